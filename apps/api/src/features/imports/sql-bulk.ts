import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { boundSql, copyFrom, poolKey, withConnection, type PgClient } from '../../db/internals';

/**
 * Set-wise writes: rows travel as one JSON parameter per statement and are unpacked by
 * json_to_recordset, so ten thousand rows cost one round trip and one statement, with no
 * placeholder limit. Keys of the row objects are the column names.
 */
export type Column = readonly [name: string, type: string];

/**
 * A statement with real bind parameters (`?` placeholders), in the EntityManager's transaction
 * (boundSql, db/internals: MikroORM's execute() would inline multi-megabyte JSON parameters).
 */
export async function sql<T = Record<string, unknown>>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const t0 = TIMING ? Date.now() : 0;
  const rows = await boundSql<T>(em, text, params);
  if (TIMING) console.error(`[import sql] ${Date.now() - t0} ms  ${text.replace(/\s+/g, ' ').slice(0, 100)}`);
  return rows;
}

/** IKB_IMPORT_TIMING=1 prints the time of every statement of an import (for tuning). */
const TIMING = process.env.IKB_IMPORT_TIMING === '1';

export const CHUNK = 10_000;

export function recordset(cols: readonly Column[]): string {
  return `json_to_recordset(?::json) as x(${cols.map(([n, t]) => `${n} ${t}`).join(', ')})`;
}

export async function insertRows(
  em: EntityManager,
  table: string,
  cols: readonly Column[],
  rows: readonly Record<string, unknown>[],
  opts: { suffix?: string; chunk?: number; generatedId?: boolean } = {},
): Promise<void> {
  const names = cols.map(([n]) => n).join(', ');
  const chunk = opts.chunk ?? CHUNK;
  // generatedId: an `id uuid` column the rows do not carry, made by the database.
  const [into, from] = opts.generatedId ? [`id, ${names}`, `gen_random_uuid(), ${names}`] : [names, names];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.length <= chunk ? rows : rows.slice(i, i + chunk);
    await sql(em, `insert into ${table} (${into}) select ${from} from ${recordset(cols)} ${opts.suffix ?? ''}`, [JSON.stringify(part)]);
  }
}

/** A JSON list parameter, for `in (select ... from json_array_elements_text(?::json))`. */
export const jsonList = (values: readonly unknown[]) => JSON.stringify(values);

export const IN_TEXT = `(select value from json_array_elements_text(?::json))`;
export const IN_UUID = `(select value::uuid from json_array_elements_text(?::json))`;

// ---------------------------------------------------------------------------------------------
// COPY ... FROM STDIN, for the big tables: PostgreSQL parses its text format several times faster
// than JSON. The embedded PostgreSQL (PGlite over a socket) cannot take COPY from a client, so
// there the rows go through json_to_recordset instead.

/** Text-format field: \N for null, backslash, tab, newline and carriage return escaped. */
const ESCAPE = /[\\\t\n\r]/;
const ESCAPES = /[\\\t\n\r]/g;
const escapeChar = (c: string) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r');

/** A text value in COPY's text format. */
export const copyText = (v: string | null): string => (v === null ? '\\N' : ESCAPE.test(v) ? v.replace(ESCAPES, escapeChar) : v);

/** A JSON value in COPY's text format. */
export function copyJson(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const json = JSON.stringify(v);
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
}

function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return ESCAPE.test(v) ? v.replace(ESCAPES, escapeChar) : v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  // JSON text has no raw tabs or line breaks: only its backslashes need doubling.
  const json = JSON.stringify(v);
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
}

/** Lines in COPY's text format, encoded into 1 MB buffers as the COPY sends them (a line longer than that goes on its own). */
function* encodeLines(count: number, lineAt: (i: number) => string): Generator<Buffer> {
  // Lines are written straight into the buffer (no string concatenation to flatten and encode
  // again): a line that might not fit (3 bytes per UTF-16 unit at worst) sends the buffer first.
  const CAP = 1 << 20;
  let buf = Buffer.allocUnsafe(CAP);
  let used = 0;
  for (let i = 0; i < count; i++) {
    const line = lineAt(i);
    if (used + line.length * 3 > CAP) {
      if (used) yield buf.subarray(0, used);
      buf = Buffer.allocUnsafe(CAP);
      used = 0;
      if (line.length * 3 > CAP) {
        yield Buffer.from(line, 'utf8');
        continue;
      }
    }
    used += buf.write(line, used, 'utf8');
  }
  if (used) yield buf.subarray(0, used);
}

/** What COPY sends of rows, as buffers of COPY's text format. */
function copyChunks(rows: CopyData): Iterable<Buffer> {
  if ('chunks' in rows) return rows.chunks;
  if ('lines' in rows) return encodeLines(rows.lines.length, (i) => rows.lines[i]!);
  return encodeLines(rows.length, (i) => `${rows[i]!.map(copyField).join('\t')}\n`);
}

const copyCapable = new WeakMap<object, boolean>();

/** Whether the server takes COPY FROM STDIN (a real PostgreSQL, not the embedded one). */
export async function canCopy(em: EntityManager): Promise<boolean> {
  const key = poolKey(em);
  let known = copyCapable.get(key);
  if (known === undefined) {
    const [row] = await sql<{ v: string }>(em, 'select version() as v');
    known = !/pglite|emscripten|wasm/i.test(row.v);
    copyCapable.set(key, known);
  }
  return known;
}

/** A raw node-postgres query interface (what the analytics code takes). */
export type RawClient = PgClient;

/**
 * fn with the connection of the EntityManager's transaction, as a raw client (for code written
 * against node-postgres, such as the analytics fold). Outside a transaction, a pooled connection.
 */
export async function withRawClient<T>(em: EntityManager, fn: (c: RawClient) => Promise<T>): Promise<T> {
  return withConnection<T>(em, (conn) => fn(TIMING ? timed(conn) : conn));
}

/** The client, printing the time of each statement (IKB_IMPORT_TIMING=1). */
function timed(conn: RawClient): RawClient {
  return {
    async query(text, values) {
      const t0 = Date.now();
      try {
        return await conn.query(text, values);
      } finally {
        console.error(`[import sql] ${Date.now() - t0} ms  ${text.replace(/\s+/g, ' ').slice(0, 100)}`);
      }
    },
  };
}

/** What COPY sends: rows (arrays), lines in COPY's text format, or a CopyWriter's chunks. */
export type CopyData = readonly (readonly unknown[])[] | { lines: readonly string[] } | { chunks: readonly Buffer[]; rows: number };

const copyCount = (rows: CopyData) => ('chunks' in rows ? rows.rows : 'lines' in rows ? rows.lines.length : rows.length);

/**
 * Rows in COPY's text format, encoded as they are made (UTF-8 in 1 MB buffers): a batch waiting to
 * be sent holds bytes outside the JavaScript heap, not thousands of strings that every young-
 * generation collection would copy, and no line has to be flattened and encoded again when sent.
 */
export class CopyWriter {
  private readonly chunks: Buffer[] = [];
  private buf: Buffer | null = null;
  private used = 0;
  rows = 0;

  /** One row: a line in COPY's text format, ending with a line break. */
  line(text: string): void {
    this.rows++;
    const CAP = 1 << 20;
    // 3 bytes per UTF-16 unit at worst: a line that might not fit starts a new buffer.
    if (!this.buf || this.used + text.length * 3 > CAP) {
      this.seal();
      if (text.length * 3 > CAP) {
        this.chunks.push(Buffer.from(text, 'utf8'));
        return;
      }
      this.buf = Buffer.allocUnsafe(CAP);
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  /** A row from values (copyField's conversions). */
  values(values: readonly unknown[]): void {
    let text = '';
    for (let i = 0; i < values.length; i++) text += `${i ? '\t' : ''}${copyField(values[i])}`;
    this.line(`${text}\n`);
  }

  private seal() {
    if (this.buf && this.used) this.chunks.push(this.buf.subarray(0, this.used));
    this.buf = null;
    this.used = 0;
  }

  /** What to COPY (the writer is done). */
  data(): { chunks: readonly Buffer[]; rows: number } {
    this.seal();
    return { chunks: this.chunks, rows: this.rows };
  }
}

/**
 * COPY rows (arrays in `columns` order, text lines or a CopyWriter's data) into a table, on the
 * EntityManager's transaction (copyFrom, db/internals).
 */
export async function copyRows(em: EntityManager, table: string, columns: readonly string[], rows: CopyData): Promise<void> {
  if (copyCount(rows) === 0) return;
  const t0 = TIMING ? Date.now() : 0;
  try {
    await copyFrom(em, `copy ${table} (${columns.join(', ')}) from stdin`, copyChunks(rows));
  } finally {
    if (TIMING) console.error(`[import copy] ${Date.now() - t0} ms  ${table}: ${copyCount(rows)} rows`);
  }
}

/**
 * Inserts rows given as objects keyed by column: COPY on PostgreSQL, json_to_recordset on the
 * embedded database. `generatedId` adds an `id` made here (COPY cannot call gen_random_uuid()).
 */
export async function bulkInsert(
  em: EntityManager,
  table: string,
  cols: readonly Column[],
  rows: readonly Record<string, unknown>[],
  opts: { generatedId?: boolean; chunk?: number } = {},
): Promise<void> {
  if (!rows.length) return;
  if (await canCopy(em)) {
    const names = cols.map(([n]) => n);
    const arrays = rows.map((r) => (opts.generatedId ? [randomUUID(), ...names.map((n) => r[n])] : names.map((n) => r[n])));
    await copyRows(em, table, opts.generatedId ? ['id', ...names] : names, arrays);
    return;
  }
  await insertRows(em, table, cols, rows, opts);
}

/**
 * Time-ordered UUIDs (version 7 layout: the millisecond, then a counter, then random bits) for the
 * rows one import makes. B-tree indexes then take them at their right edge, which PostgreSQL does
 * without descending the tree: about a quarter less work for the big tables than random UUIDs.
 */
export function orderedUuids(): () => string {
  const ms = Date.now().toString(16).padStart(12, '0');
  const tail = randomBytes(5).toString('hex');
  const head = `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7`;
  let n = 0;
  return () => {
    const c = n++;
    // 12 + 14 + 6 counter bits (2^32 ids per import), in order, around the version and variant bits.
    const hi = ((c / 0x100000) >>> 0) & 0xfff;
    const mid = (c >>> 6) & 0x3fff;
    const lo = c & 0x3f;
    return `${head}${hi.toString(16).padStart(3, '0')}-${(0x8000 | mid).toString(16)}-${lo.toString(16).padStart(2, '0')}${tail}`;
  };
}
