import { Acc, binOf, bucketStartDay, dayToIso, isoToDay, localDay, type IncidentFact } from '@ikb/domain';
import type { PgClient } from '../../db/internals';
import { DIM, factDims, HIST_DIMS, MEASURE_COLUMNS, rawMeasures, sameFact, type CellKey } from './analytics.cells';
import { CalendarCache } from './analytics.facts';
import { fold, REFRESH_LOCK_KEY } from './analytics.rollups';

/**
 * Folds incidents into the analytics now, in the caller's transaction (a file import, which writes
 * thousands of incidents with the queue triggers off): their facts are recomputed set-wise, with
 * the incidents whose recurrence flag or MTBF gap depends on them, and the difference is added to
 * the rollup cells of every built zone, exactly as a background refresh would. So the figures are
 * exact as soon as the caller commits, with no API process running.
 *
 * Takes the refresh lock for the rest of the transaction (a transaction-level advisory lock on the
 * key background refreshes and zone builds take): a refresh in progress finishes first, and the
 * next one starts from a snapshot that holds the caller's commit. `c` must be the connection of an
 * open transaction, READ COMMITTED (each statement sees what refreshes committed before it).
 *
 * With `copy` (COPY FROM STDIN on the same connection; not on the embedded database) the cells go
 * in bulk: the changed cells' keys are copied to a temporary table, the stored cells with those
 * keys are deleted (and returned, to be added in), and the new cells are copied in: a few
 * statements for tens of thousands of cells, where the refresher's row-by-row arrays are built for
 * a few hundred. Without it, the refresher's own path. Both give the same cells, byte for byte
 * (tests/import-rollups.test.ts compares them with a rebuild from scratch).
 */
export async function foldNow(
  c: PgClient,
  incidentIds: readonly string[],
  opts: { copy?: CopyLines } = {},
): Promise<{ incidents: number; cells: number; ms: number }> {
  const t0 = Date.now();
  if (!incidentIds.length) return { incidents: 0, cells: 0, ms: 0 };
  await c.query(`select pg_advisory_xact_lock(${REFRESH_LOCK_KEY})`);
  const copy = opts.copy;
  let keysTable = false;
  const r = await fold(
    c,
    [...new Set(incidentIds)],
    new CalendarCache(),
    copy
      ? async (zone, before, after) => {
          if (!keysTable) {
            await c.query(`drop table if exists pg_temp.analytics_fold_keys`);
            await c.query(
              `create temp table analytics_fold_keys (grain char(1), dim int2, period date, value uuid, value2 uuid, priority int2)
                on commit drop`,
            );
            keysTable = true;
          }
          return applyBulk(c, copy, zone, before, after);
        }
      : undefined,
  );
  return { ...r, ms: Date.now() - t0 };
}

/**
 * COPY ... FROM STDIN on the caller's connection: `fill` hands over the rows as lines in COPY's
 * text format (each ending with a line break).
 */
export type CopyLines = (table: string, columns: readonly string[], fill: (line: (text: string) => void) => void) => Promise<void>;

/**
 * The analytics queue triggers (analytics_q_*) enabled on these tables, for a bulk writer that
 * folds in by itself (and switches them back on after).
 */
export async function queueTriggers(c: PgClient, tables: readonly string[]): Promise<{ table: string; name: string }[]> {
  const { rows } = await c.query<{ table: string; name: string }>(
    `select c.relname::text as table, t.tgname::text as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where t.tgname like 'analytics\\_q\\_%' and not t.tgisinternal and t.tgenabled <> 'D'
        and c.relname = any($1::text[]) and c.relnamespace = current_schema()::regnamespace
      order by array_position($1::text[], c.relname::text), t.tgname`,
    [tables],
  );
  return rows;
}

/**
 * The change to a zone's cells, kept in flat arrays (tens of thousands of cells: one object per
 * cell, with a dense histogram each as Acc keeps them, is mostly garbage collection): per cell its
 * key parts, its measures in one shared Float64Array, and its histogram bins as a list of (bin,
 * count) pairs, summed only when written.
 */
class Cells {
  readonly index = new Map<string, number>();
  readonly keys: CellKey[] = [];
  measures = new Float64Array(1024 * MEASURES);
  readonly ttr: (number[] | null)[] = [];
  readonly biz: (number[] | null)[] = [];
  /** One incident's contribution to each of its cells (the refresher's Acc.addFact, computed once). */
  private readonly scratch = new Acc();

  get size(): number {
    return this.keys.length;
  }

  /** Small numbers for the ids in keys: a key of numbers hashes faster than one of uuids. */
  private readonly ids = new Map<string, number>();
  private id(uuid: string): number {
    let n = this.ids.get(uuid);
    if (n === undefined) this.ids.set(uuid, (n = this.ids.size));
    return n;
  }

  /** The cell's index (added when new): this runs for every cell of every incident. */
  cell(grain: 'D' | 'M', dim: number, period: number, value: string, value2: string, priority: number): number {
    const key = `${grain}${dim}${priority}|${period}|${this.id(value)}|${this.id(value2)}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.index.set(key, i);
      this.keys.push({ grain, dim, period, value, value2, priority });
      this.ttr.push(null);
      this.biz.push(null);
      if ((i + 1) * MEASURES > this.measures.length) {
        const grown = new Float64Array(this.measures.length * 2);
        grown.set(this.measures);
        this.measures = grown;
      }
    }
    return i;
  }

  /** The index of a stored cell's key, if the change has it. */
  find(k: CellKey): number | undefined {
    const v = this.ids.get(k.value);
    const v2 = this.ids.get(k.value2);
    if (v === undefined || v2 === undefined) return undefined;
    return this.index.get(`${k.grain}${k.dim}${k.priority}|${k.period}|${v}|${v2}`);
  }

  /** What addFactToCells (analytics.cells.ts) adds: every dimension, day and month, sign x the incident. */
  addFact(f: IncidentFact, zone: string, sign: 1 | -1): void {
    const m = this.scratch.m;
    m.fill(0);
    this.scratch.addFact(f, sign, false);
    const day = localDay(f.openedAt, zone);
    const month = bucketStartDay(day, 'MONTH');
    const ttrBin = f.resolveSeconds !== null ? binOf(f.resolveSeconds) : -1;
    const bizBin = f.businessResolveSeconds !== null ? binOf(f.businessResolveSeconds) : -1;
    for (const [dim, value, value2] of factDims(f)) {
      const hist = HIST_DIMS.has(dim);
      for (let g = 0; g < 2; g++) {
        const i = g ? this.cell('M', dim, month, value, value2, f.priority) : this.cell('D', dim, day, value, value2, f.priority);
        const at = i * MEASURES;
        for (let k = 0; k < MEASURES; k++) this.measures[at + k] += m[k]!;
        if (hist) {
          if (ttrBin >= 0) (this.ttr[i] ??= []).push(ttrBin, sign);
          if (bizBin >= 0) (this.biz[i] ??= []).push(bizBin, sign);
        }
      }
    }
  }
}

/** (bin, count) pairs from a stored histogram (encodeHistogram's layout: uint16 bin, int32 count, little-endian). */
function pushStored(into: number[], bytes: Buffer | null): void {
  if (!bytes) return;
  for (let i = 0; i + 6 <= bytes.length; i += 6) into.push(bytes.readUInt16LE(i), bytes.readInt32LE(i + 2));
}

/** The histogram in COPY's text format as encodeHistogram writes it (non-zero bins ascending), or \N when empty. */
function copyHistogram(pairs: number[] | null): string {
  if (!pairs?.length) return '\\N';
  let bins: [number, number][];
  if (pairs.length === 2) bins = pairs[1] ? [[pairs[0]!, pairs[1]!]] : [];
  else {
    const sums = new Map<number, number>();
    for (let i = 0; i < pairs.length; i += 2) sums.set(pairs[i]!, (sums.get(pairs[i]!) ?? 0) + pairs[i + 1]!);
    bins = [...sums].filter(([, n]) => n !== 0).sort((a, b) => a[0] - b[0]);
  }
  if (!bins.length) return '\\N';
  const out = Buffer.allocUnsafe(bins.length * 6);
  bins.forEach(([bin, n], i) => {
    out.writeUInt16LE(bin, i * 6);
    out.writeInt32LE(n, i * 6 + 2);
  });
  return `\\\\x${out.toString('hex')}`;
}

const MEASURES = MEASURE_COLUMNS.length;
const KEY_COLUMNS = ['grain', 'dim', 'period', 'value', 'value2', 'priority'];
const N = MEASURE_COLUMNS.indexOf('n');

async function applyBulk(
  c: PgClient,
  copy: CopyLines,
  zone: string,
  before: Map<string, IncidentFact>,
  after: Map<string, IncidentFact>,
): Promise<number> {
  const cells = new Cells();
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const o = before.get(id);
    const n = after.get(id);
    if (sameFact(o, n)) continue;
    if (o) cells.addFact(o, zone, -1);
    if (n) cells.addFact(n, zone, 1);
  }
  if (!cells.size) return 0;
  const keyText = cells.keys.map((k) => `${k.grain}\t${k.dim}\t${dayToIso(k.period)}\t${k.value}\t${k.value2}\t${k.priority}`);
  // Only months that hold cells already can hold one of these keys: every incident counts in its
  // month's ALL cell, so a month without one has no cell at all (an import into new months, or
  // into an empty database, skips the lookup entirely).
  const monthOf = (k: CellKey) => (k.grain === 'M' ? k.period : bucketStartDay(k.period, 'MONTH'));
  const months = [...new Set(cells.keys.map(monthOf))];
  const { rows: stored } = await c.query<{ period: string }>(
    `select distinct r.period::text as period from analytics.rollups r
      where r.zone = $1 and r.grain = 'M' and r.dim = ${DIM.ALL} and r.period = any($2::date[])`,
    [zone, months.map(dayToIso)],
  );
  const storedMonths = new Set(stored.map((r) => isoToDay(r.period)));
  let rows: Record<string, unknown>[] = [];
  if (storedMonths.size) {
    await c.query(`truncate analytics_fold_keys`);
    await copy('analytics_fold_keys', KEY_COLUMNS, (line) =>
      keyText.forEach((k, i) => storedMonths.has(monthOf(cells.keys[i]!)) && line(`${k}\n`)),
    );
    await c.query(`analyze analytics_fold_keys`);
    // The stored cells with these keys go, and come back added in.
    ({ rows } = await c.query<Record<string, unknown>>(
      `delete from analytics.rollups r using analytics_fold_keys k
        where r.zone = $1 and r.grain = k.grain and r.dim = k.dim and r.period = k.period and r.value = k.value
          and r.value2 = k.value2 and r.priority = k.priority
        returning r.grain, r.dim, r.period::text as period, r.value, r.value2, r.priority, ${rawMeasures('r')}, r.ttr_hist, r.biz_hist`,
      [zone],
    ));
  }
  for (const row of rows) {
    const i = cells.find({
      grain: row.grain as 'D' | 'M',
      dim: Number(row.dim),
      period: isoToDay(row.period as string),
      value: row.value as string,
      value2: row.value2 as string,
      priority: Number(row.priority),
    })!;
    MEASURE_COLUMNS.forEach((col, k) => {
      cells.measures[i * MEASURES + k] += Number(row[col] ?? 0);
    });
    if (row.ttr_hist) pushStored((cells.ttr[i] ??= []), row.ttr_hist as Buffer);
    if (row.biz_hist) pushStored((cells.biz[i] ??= []), row.biz_hist as Buffer);
  }
  const prefix = `${zone}\t`;
  await copy('analytics.rollups', ['zone', ...KEY_COLUMNS, ...MEASURE_COLUMNS, 'ttr_hist', 'biz_hist'], (line) => {
    for (let i = 0; i < cells.size; i++) {
      const at = i * MEASURES;
      const n = cells.measures[at + N]!;
      if (n <= 0) {
        if (n < 0) console.error(`[analytics] negative count in cell ${zone} ${keyText[i]}: rebuild the zone`);
        continue;
      }
      const measures = cells.measures.subarray(at, at + MEASURES).join('\t');
      line(`${prefix}${keyText[i]}\t${measures}\t${copyHistogram(cells.ttr[i]!)}\t${copyHistogram(cells.biz[i]!)}\n`);
    }
  });
  return cells.size;
}
