import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { basename } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isDatabaseUnavailable } from '../../errors';
import type { ImportKind, ImportOptions } from './import-options';
import type { ImportMapping } from './file/mapping';
import { SERVICENOW_MAPPING } from './servicenow/servicenow-mapping';
import type { RowProblem } from './file/records';

/**
 * The history of imports (`import_runs`): every run of an import is recorded, whatever its outcome.
 *
 * - IMPORTED: the run committed; its row is written in the import's own transaction.
 * - REFUSED: the file was refused whole (bad rows, dates, columns, an unreadable file, a bad option
 *   or mapping file); DRY_RUN: `--dry-run` checked it; FAILED: an error while writing rolled it back.
 *   Nothing of the file was written in these cases: the row is written alone, in its own statement
 *   (its own short transaction) once the outcome is known, never with incidents.
 *
 * Recording a run that wrote nothing is best effort: if it cannot be written (the database is
 * unreachable), the command still ends with its own message and exit code.
 */

export const IMPORT_OUTCOMES = ['IMPORTED', 'REFUSED', 'DRY_RUN', 'FAILED'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

/** Rejected rows kept with a run (the first ones, by row number); `rows_rejected` has the total. */
export const MAX_STORED_REJECTS = 1000;
/** Reasons kept per rejected row, and characters per reason (a reason may quote a long value). */
export const MAX_STORED_REASONS = 20;
export const MAX_REASON_CHARS = 1000;
/** Characters of a refusal's or failure's message kept. */
export const MAX_MESSAGE_CHARS = 20_000;

export interface ImportRunOptions {
  kind: ImportKind;
  mapping: string;
  /** --date-format as given (auto when not), and the order the dates were read in once settled. */
  dateFormat: string;
  dateOrder?: string;
  timeZone?: string;
  /** The language detected from the header (mappings with languages). */
  language?: string | null;
  skipInvalid: boolean;
  dryRun: boolean;
  rejectsFile?: string | null;
}

/** What is known about a run while it goes; importFile fills in the rest as it learns it. */
export interface RunFacts {
  id: string;
  /** Date.now() at the start, for the duration. */
  t0: number;
  startedAt: Date;
  fileName: string;
  source: string;
  actorName: string;
  ranBy: string | null;
  options: ImportRunOptions;
  /** Rows read; null until the rows have been read. */
  rows: number | null;
  sha256: Promise<string> | string | null;
}

export interface RunCounts {
  created: number;
  updated: number;
  unchanged: number;
  problemsCreated: number;
}

export interface RunRecord {
  outcome: ImportOutcome;
  refusalReason?: string | null;
  message?: string | null;
  shape?: 'EVENT_LOG' | 'TABLE' | null;
  counts?: RunCounts;
  /** Total rejected rows (refused, or left out by --skip-invalid). */
  rowsRejected: number;
  rejects: readonly RowProblem[];
  details?: Record<string, unknown>;
  /** Options settled during the run (date order, zone, rejects file). */
  options?: Partial<ImportRunOptions>;
}

/** Who runs the command: the operating-system user and host (the CLI has no signed-in user). */
export function currentRunner(): string | null {
  try {
    return storable(`${userInfo().username}@${hostname()}`, 200);
  } catch {
    return process.env.USER ? storable(process.env.USER, 200) : null;
  }
}

export function startRun(opts: ImportOptions, mapping: ImportMapping): RunFacts {
  return {
    id: randomUUID(),
    t0: Date.now(),
    startedAt: opts.now ?? new Date(),
    fileName: basename(opts.file),
    source: mapping.source,
    actorName: opts.actorName ?? `import (${mapping.source})`,
    ranBy: opts.ranBy !== undefined ? (opts.ranBy === null ? null : storable(opts.ranBy, 200)) : currentRunner(),
    options: {
      kind: opts.kind,
      mapping: mapping.name,
      dateFormat: opts.dateFormat ?? mapping.dateFormat ?? 'auto',
      timeZone: opts.timeZone ?? mapping.timeZone ?? undefined,
      skipInvalid: !!opts.skipInvalid,
      dryRun: !!opts.dryRun,
      rejectsFile: opts.rejectsFile ?? null,
    },
    rows: null,
    sha256: null,
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as PostgreSQL stores it: no NUL (text and jsonb refuse it) and no unpaired surrogate (jsonb
 * refuses its escape), each replaced by U+FFFD; clipped to `max` characters with an ellipsis.
 * A rejected row's reason may quote the hostile value that made it bad.
 */
export function storable(text: string, max: number): string {
  const clipped = text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
  return clipped.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
}

/** The rejects as stored: the first MAX_STORED_REJECTS by row number, reasons clipped. */
export function storedRejects(rejects: readonly RowProblem[]): { row: number; reasons: string[] }[] {
  const first = [...rejects].sort((a, b) => a.row - b.row).slice(0, MAX_STORED_REJECTS);
  return first.map((p) => {
    const reasons = p.reasons.slice(0, MAX_STORED_REASONS).map((r) => storable(r, MAX_REASON_CHARS));
    if (p.reasons.length > MAX_STORED_REASONS) reasons.push(`... and ${p.reasons.length - MAX_STORED_REASONS} more reasons`);
    return { row: p.row, reasons };
  });
}

/**
 * A refusal's message without the list of bad rows it repeats (those are in `rejects`): the lines
 * `  row 7: ...` / `  record 7: ...` and `  ... and N more` that describeProblems writes.
 */
export function messageWithoutRowList(message: string, listed: boolean): string {
  if (!listed) return message;
  return message
    .split('\n')
    .filter((l) => !/^ {2}(row|record) \d+: /.test(l) && !/^ {2}\.\.\. and \d+ more$/.test(l))
    .join('\n');
}

/** Writes the run's row with `em` (the import's transaction for IMPORTED; else a statement of its own). */
export async function insertImportRun(em: EntityManager, run: RunFacts, record: RunRecord): Promise<void> {
  const sha256 = (await run.sha256) ?? null;
  const options = { ...run.options, ...record.options };
  const c = record.counts ?? { created: 0, updated: 0, unchanged: 0, problemsCreated: 0 };
  await em.execute(
    `insert into import_runs (id, outcome, refusal_reason, message, source, file_name, file_sha256, shape, rows, incidents_created,
                              incidents_updated, incidents_unchanged, problems_created, rows_rejected, rejects, details, options,
                              actor_name, ran_by, started_at, finished_at, duration_ms)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)`,
    [
      run.id,
      record.outcome,
      record.refusalReason ?? null,
      record.message == null ? null : storable(record.message, MAX_MESSAGE_CHARS),
      storable(run.source, 120),
      storable(run.fileName, 500),
      sha256,
      record.shape ?? null,
      run.rows,
      c.created,
      c.updated,
      c.unchanged,
      c.problemsCreated,
      record.rowsRejected,
      JSON.stringify(storedRejects(record.rejects)),
      JSON.stringify(jsonSafe(record.details ?? {})),
      JSON.stringify(jsonSafe(options)),
      storable(run.actorName, 200),
      run.ranBy,
      run.startedAt,
      new Date(),
      Math.max(0, Math.min(2_147_483_647, Date.now() - run.t0)),
    ],
  );
}

/** Strings of a JSON value made storable (a file path or date evidence may hold anything). */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'string') return storable(value, MAX_REASON_CHARS);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k, 200), jsonSafe(v)]));
  return value;
}

/**
 * Records a run that wrote no incident data (REFUSED, DRY_RUN, FAILED), best effort: a failure to
 * record is reported on standard error and otherwise ignored, so the command's own outcome stands.
 * Returns whether the row was written.
 */
export async function recordRunAlone(em: EntityManager, run: RunFacts, record: RunRecord, cause?: unknown): Promise<boolean> {
  // The database being away is most likely why the run failed: do not wait for it again.
  if (cause !== undefined && isDatabaseUnavailable(cause)) return false;
  try {
    await insertImportRun(em, run, record);
    return true;
  } catch (err) {
    process.stderr.write(
      `(the import history could not record this run: ${err instanceof Error ? err.message.split('\n')[0] : String(err)})\n`,
    );
    return false;
  }
}

/** A mapping file that could not be used (`--mapping`): the run is refused before the file is read. */
export async function recordRefusedMapping(em: EntityManager, opts: ImportOptions, mappingFile: string, message: string): Promise<boolean> {
  const source = opts.kind === 'servicenow' ? SERVICENOW_MAPPING.source : 'unknown (the mapping file could not be used)';
  const run = startRun(opts, { name: `mapping file ${basename(mappingFile)}`, source, columns: {} });
  return recordRunAlone(em, run, { outcome: 'REFUSED', refusalReason: 'BAD_MAPPING', message, rowsRejected: 0, rejects: [] });
}
