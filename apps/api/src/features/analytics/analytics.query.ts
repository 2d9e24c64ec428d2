import {
  Acc,
  M,
  bucketStartDay,
  bucketsBetween,
  dayToIso,
  isoToDay,
  isValidTimeZone,
  localDay,
  RELATIVE_ERROR,
  splitRange,
  startOfLocalDay,
  type Bucket,
  type BucketSpan,
  type IncidentFact,
} from '@ikb/domain';
import { poolKey, type ConnectionSource } from '../../db/internals';
import { accFromRow, DIM, FACT_COLUMNS, factDims, HIST_DIMS, rawMeasures, SUM_MEASURES, toFact, type FactRow } from './analytics.cells';
import { inTransaction, NONE, withClient } from './analytics.db';
import { buildZone, MAX_ZONES } from './analytics.rollups';
import { assertUuid, badInput, notFound } from '../../errors';

/**
 * The read side: one consistent snapshot of the rollups (or of the facts) for a filter.
 *
 * Plan: with at most one of the service / category / team filters (priority filters always fit)
 * the answer comes from the zone's rollup cells: whole local months from month cells, whole days
 * from day cells, and the cut days at the range's edges from per-incident facts. Breakdowns by the
 * filtered dimension come from the same cells; breakdowns by another dimension ("cross") need the
 * pair, which the cells do not hold, so they are computed from the filtered facts. With two or
 * more of those filters (e.g. a service AND a team), or when the zone cannot have rollups, the
 * whole answer is an exact scan of the facts (SCAN).
 *
 * Every read of one request runs in one REPEATABLE READ READ ONLY transaction, so all figures
 * come from the same state; asOf is that state's time.
 */

export interface NormalizedFilter {
  from: number;
  to: number;
  zone: string;
  serviceIds: string[] | null;
  teamIds: string[] | null;
  /** Top-level categories (their subcategories included) and subcategories. */
  tops: string[] | null;
  subs: string[] | null;
  priorities: number[] | null;
}

export interface RawFilter {
  from: Date;
  to: Date;
  timeZone?: string | null;
  serviceIds?: string[] | null;
  categoryIds?: string[] | null;
  teamIds?: string[] | null;
  priorities?: number[] | null;
}

const MAX_RANGE_DAYS = 3700;
/** Queue entries looked at to find the oldest (and counted as pendingChanges). */
const QUEUE_PEEK = 10_000;
/** Zones already validated (Intl is slow to ask). */
const knownZones = new Set<string>(['UTC']);
const MAX_BUCKETS = 1500;

export async function normalizeFilter(source: ConnectionSource, f: RawFilter): Promise<NormalizedFilter> {
  const from = f.from?.getTime();
  const to = f.to?.getTime();
  if (!Number.isFinite(from)) throw badInput('filter.from', 'is not a valid date');
  if (!Number.isFinite(to)) throw badInput('filter.to', 'is not a valid date');
  if (!(to > from)) throw badInput('filter.to', 'must be after filter.from');
  if (to - from > MAX_RANGE_DAYS * 86_400_000) throw badInput('filter.to', `the range must not exceed ${MAX_RANGE_DAYS} days`);
  const zone: string = f.timeZone?.trim() || 'UTC';
  if (!knownZones.has(zone) && !isValidTimeZone(zone))
    throw badInput('filter.timeZone', `unknown time zone "${String(zone).slice(0, 64)}"; use an IANA name such as Europe/Berlin`);
  knownZones.add(zone);
  const ids = (field: string, list: string[] | null | undefined) => {
    if (!list || list.length === 0) return null;
    for (const id of list) assertUuid(field, id);
    return [...new Set(list.map((x) => x.toLowerCase()))];
  };
  const serviceIds = ids('filter.serviceIds', f.serviceIds);
  const teamIds = ids('filter.teamIds', f.teamIds);
  const categoryIds = ids('filter.categoryIds', f.categoryIds);
  let tops: string[] | null = null;
  let subs: string[] | null = null;
  if (categoryIds) {
    const rows = await withClient(
      source,
      async (c) =>
        (
          await c.query<{ id: string; parent_id: string | null }>(`select id, parent_id from categories where id = any($1::uuid[])`, [
            categoryIds,
          ])
        ).rows,
    );
    const found = new Map(rows.map((r) => [r.id, r.parent_id]));
    const missing = categoryIds.find((id) => !found.has(id));
    if (missing) throw notFound('filter.categoryIds', 'category', missing);
    const top = categoryIds.filter((id) => found.get(id) === null);
    // A subcategory of a category already chosen adds nothing.
    const sub = categoryIds.filter((id) => found.get(id) !== null && !top.includes(found.get(id)!));
    tops = top;
    subs = sub;
  }
  const priorities = f.priorities?.length ? [...new Set(f.priorities)].sort() : null;
  if (priorities?.some((p) => !Number.isInteger(p) || p < 1 || p > 5)) throw badInput('filter.priorities', 'priorities are 1 to 5');
  return { from, to, zone, serviceIds, teamIds, tops, subs, priorities };
}

// ---- what a request needs ----

export interface Needs {
  /**
   * Bucket kinds to compute, with the breakdown dimensions each must hold per bucket. MONTH is
   * always there: range totals (and breakdowns as range totals) are sums over its buckets.
   */
  kinds: Map<Bucket, Set<number>>;
}

export function allNeeds(): Needs {
  return { kinds: new Map([['MONTH', new Set([1, 2, 3, 4, 5, 6, 7])]]) };
}

// ---- the loaded data ----

/** Cells of one bucket kind: the filtered set by priority and bucket, and breakdowns by dimension value and bucket. */
export class Slice {
  /** `${priority}|${bucketDay}` -> Acc (with histograms). */
  readonly base = new Map<string, Acc>();
  /** dim -> `${value}|${value2}|${bucketDay}` -> Acc. */
  readonly dims = new Map<number, Map<string, Acc>>();

  constructor(
    readonly bucket: Bucket,
    readonly spans: BucketSpan[],
    private readonly exact: boolean,
  ) {}

  private acc(map: Map<string, Acc>, key: string): Acc {
    let a = map.get(key);
    if (!a) map.set(key, (a = new Acc(this.exact)));
    return a;
  }

  baseCell(priority: number, bucketDay: number): Acc {
    return this.acc(this.base, `${priority}|${bucketDay}`);
  }

  dimCell(dim: number, value: string, value2: string, bucketDay: number): Acc {
    let m = this.dims.get(dim);
    if (!m) this.dims.set(dim, (m = new Map()));
    return this.acc(m, `${value}|${value2}|${bucketDay}`);
  }
}

export interface AnalyticsData {
  filter: NormalizedFilter;
  source: 'ROLLUP' | 'SCAN';
  reason: string;
  asOf: Date;
  evaluatedAt: Date;
  pending: number;
  percentileRelativeError: number;
  slices: Map<Bucket, Slice>;
  /** Breakdown dimensions available (by bucket kind). */
  available: Map<Bucket, Set<number>>;
  priorities: number[];
}

/** The breakdown dimension a single-dimension filter selects, if any. */
function filterDims(f: NormalizedFilter): { count: number; dim: number | null } {
  let count = 0;
  let dim: number | null = null;
  if (f.serviceIds) {
    count += 1;
    dim = DIM.SERVICE;
  }
  if (f.teamIds) {
    count += 1;
    dim = DIM.TEAM;
  }
  if (f.tops || f.subs) {
    count += 1;
    dim = f.tops?.length && f.subs?.length ? null : f.tops?.length ? DIM.CATEGORY : DIM.SUBCATEGORY;
  }
  return { count, dim };
}

/** SQL conditions on analytics.facts f for the filter (parameters appended to params). */
export function factConditions(f: NormalizedFilter, params: unknown[], range: [number, number]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts = [`f.opened_at >= to_timestamp(${p(range[0])}::float8 / 1000)`, `f.opened_at < to_timestamp(${p(range[1])}::float8 / 1000)`];
  if (f.serviceIds) parts.push(`f.service_id = any(${p(f.serviceIds)}::uuid[])`);
  if (f.teamIds) parts.push(`f.team_id = any(${p(f.teamIds)}::uuid[])`);
  if (f.tops || f.subs)
    parts.push(`(f.top_category_id = any(${p(f.tops ?? [])}::uuid[]) or f.category_id = any(${p(f.subs ?? [])}::uuid[]))`);
  if (f.priorities) parts.push(`f.priority = any(${p(f.priorities)}::int2[])`);
  return parts.join(' and ');
}

/** SQL condition on analytics.rollups r selecting the filtered set's cells. */
function baseCondition(f: NormalizedFilter, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts: string[] = [];
  if (f.serviceIds) parts.push(`(r.dim = ${DIM.SERVICE} and r.value = any(${p(f.serviceIds)}::uuid[]))`);
  else if (f.teamIds) parts.push(`(r.dim = ${DIM.TEAM} and r.value = any(${p(f.teamIds)}::uuid[]))`);
  else if (f.tops || f.subs) {
    const or: string[] = [];
    if (f.tops?.length) or.push(`(r.dim = ${DIM.CATEGORY} and r.value = any(${p(f.tops)}::uuid[]))`);
    if (f.subs?.length) or.push(`(r.dim = ${DIM.SUBCATEGORY} and r.value = any(${p(f.subs)}::uuid[]))`);
    parts.push(`(${or.join(' or ')})`);
  } else parts.push(`r.dim = ${DIM.ALL}`);
  if (f.priorities) parts.push(`r.priority = any(${p(f.priorities)}::int2[])`);
  return parts.join(' and ');
}

/** SQL condition on the cells' periods covering the whole days of the range, for a bucket kind. */
function periodCondition(kind: Bucket, days: [number, number], months: [number, number] | null, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}::date`;
  };
  if (kind === 'MONTH' && months) {
    const parts = [`(r.grain = 'M' and r.period >= ${p(dayToIso(months[0]))} and r.period < ${p(dayToIso(months[1]))})`];
    if (days[0] < months[0]) parts.push(`(r.grain = 'D' and r.period >= ${p(dayToIso(days[0]))} and r.period < ${p(dayToIso(months[0]))})`);
    if (months[1] < days[1]) parts.push(`(r.grain = 'D' and r.period >= ${p(dayToIso(months[1]))} and r.period < ${p(dayToIso(days[1]))})`);
    return `(${parts.join(' or ')})`;
  }
  return `(r.grain = 'D' and r.period >= ${p(dayToIso(days[0]))} and r.period < ${p(dayToIso(days[1]))})`;
}

/** Breakdown columns of facts f and the grouping set of each dimension (as in factDims). */
const CROSS_COLUMNS = ['f.service_id', 'f.team_id', 'f.top_category_id', 'f.category_id', 'f.problem_id', 'f.workaround_id', 'f.model_id'];
const CROSS_SET: Record<number, string[]> = {
  [DIM.SERVICE]: ['f.service_id'],
  [DIM.TEAM]: ['f.team_id'],
  [DIM.CATEGORY]: ['f.top_category_id'],
  [DIM.SUBCATEGORY]: ['f.category_id'],
  [DIM.PROBLEM]: ['f.problem_id'],
  [DIM.WORKAROUND]: ['f.workaround_id', 'f.category_id'],
  [DIM.MODEL]: ['f.model_id', 'f.category_id'],
};
/** grouping(cols) bitmask of each dimension's set (bit set: column not grouped, first column highest). */
function crossMasks(cols: string[], dims: number[]): Map<number, number> {
  return new Map(
    dims.map((d) => [cols.reduce((mask, col, i) => (CROSS_SET[d]!.includes(col) ? mask : mask | (1 << (cols.length - 1 - i))), 0), d]),
  );
}
/** (dim, value, value2) of a grouping-sets row; value null: no cell (no problem, workaround or model). */
function crossKey(row: Record<string, unknown>, masks: Map<number, number>): { dim: number; value: string | null; value2: string } {
  const dim = masks.get(Number(row.g))!;
  const v = (col: string) => row[col.slice(2)] as string | null;
  const value = v(CROSS_SET[dim]![0]!);
  const value2 = CROSS_SET[dim]![1] ? (v(CROSS_SET[dim]![1]!) ?? NONE) : NONE;
  if (dim <= DIM.SUBCATEGORY) return { dim, value: value ?? NONE, value2 };
  return { dim, value, value2 };
}

/** The measures of Acc.addFact as SQL sums over facts f (durations rounded to ms as Math.round does). */
const msOf = (col: string) => `floor(${col} * 1000 + 0.5)`;
const FACT_SUMS = [
  `count(*)::float8 as n`,
  `count(f.ttr_s)::float8 as resolved`,
  `coalesce(sum(${msOf('f.ttr_s')}), 0)::float8 as ttr_ms`,
  `count(f.biz_s)::float8 as biz_n`,
  `coalesce(sum(${msOf('f.biz_s')}), 0)::float8 as biz_ms`,
  `count(f.ack_s)::float8 as ack_n`,
  `coalesce(sum(${msOf('f.ack_s')}), 0)::float8 as ack_ms`,
  `count(f.det_s)::float8 as det_n`,
  `coalesce(sum(${msOf('f.det_s')}), 0)::float8 as det_ms`,
  `count(*) filter (where f.resp_verdict = 'M')::float8 as resp_met`,
  `count(*) filter (where f.resp_verdict = 'B')::float8 as resp_breached`,
  `count(*) filter (where f.res_verdict = 'M')::float8 as res_met`,
  `count(*) filter (where f.res_verdict = 'B')::float8 as res_breached`,
  `count(*) filter (where f.reopened)::float8 as reopened`,
  `count(*) filter (where f.reused and f.ttr_s is not null)::float8 as reused`,
  `coalesce(sum(${msOf('f.ttr_s')}) filter (where f.reused), 0)::float8 as reused_ttr_ms`,
  `count(*) filter (where f.recurring)::float8 as recurring`,
  `count(*) filter (where f.eligible)::float8 as eligible`,
  `count(*) filter (where f.eligible and f.reviewed)::float8 as reviewed`,
  `sum(f.cost_mc)::float8 as cost_mc`,
  `sum(f.minutes)::float8 as minutes`,
  `count(f.gap_s)::float8 as gap_n`,
  `coalesce(sum(${msOf('f.gap_s')}), 0)::float8 as gap_ms`,
].join(', ');

const BUCKET_SQL: Record<Bucket, string> = {
  DAY: `r.period`,
  WEEK: `(r.period - (extract(isodow from r.period)::int - 1))`,
  MONTH: `(case when r.grain = 'M' then r.period else date_trunc('month', r.period)::date end)`,
};

/** Ensures the zone has rollups (building them on first use); false when it cannot have any. */
/** Zones known to be built, per pool (a zone once built stays built). */
const builtZones = new WeakMap<object, Set<string>>();

async function ensureZone(source: ConnectionSource, zone: string): Promise<boolean> {
  const key = poolKey(source);
  let known = builtZones.get(key);
  if (!known) builtZones.set(key, (known = new Set()));
  if (known.has(zone)) return true;
  const ok = await checkZone(source, zone);
  if (ok) known.add(zone);
  return ok;
}

async function checkZone(source: ConnectionSource, zone: string): Promise<boolean> {
  const { built, count } = await withClient(source, async (c) => {
    const { rows } = await c.query<{ built: boolean; count: number }>(
      `select exists (select 1 from analytics.zones where zone = $1) as built, (select count(*)::int from analytics.zones) as count`,
      [zone],
    );
    return rows[0]!;
  });
  if (built) return true;
  if (count >= MAX_ZONES) return false;
  await buildZone(source, zone);
  return true;
}

/** Loads everything `needs` asks for, in one snapshot. */
export async function loadAnalytics(source: ConnectionSource, f: NormalizedFilter, needs: Needs): Promise<AnalyticsData> {
  const { count, dim: filterDim } = filterDims(f);
  let source_: 'ROLLUP' | 'SCAN' = 'ROLLUP';
  let reason = count === 0 ? 'no dimension filter: rollup cells' : `one dimension filter: rollup cells of that dimension`;
  if (count >= 2) {
    source_ = 'SCAN';
    reason = 'filters on two or more of service, category and team: exact scan of the incidents of the range';
  } else if (!(await ensureZone(source, f.zone))) {
    source_ = 'SCAN';
    reason = `time zone ${f.zone} has no rollups (at most ${MAX_ZONES} zones are kept): exact scan of the incidents of the range`;
  }
  const exact = source_ === 'SCAN';
  const priorities = f.priorities ?? [1, 2, 3, 4, 5];
  for (const [kind] of needs.kinds) {
    const n = bucketsBetween(f.from, f.to, f.zone, kind).length;
    if (n > MAX_BUCKETS)
      throw badInput(
        'bucket',
        `${n} ${kind.toLowerCase()} buckets are too many (at most ${MAX_BUCKETS}); choose a larger bucket or a shorter range`,
      );
  }

  const debug = process.env.ANALYTICS_DEBUG === '1';
  let tt = performance.now();
  const step = (name: string) => {
    if (!debug) return;
    const now = performance.now();
    console.log(`[analytics read] ${name}: ${(now - tt).toFixed(1)} ms`);
    tt = now;
  };
  step('plan');
  return inTransaction(source, 'repeatable read', true, async (c) => {
    // Grouping sets over many measures: let them hash in memory rather than sort on disk.
    if (exact || count === 1) await c.query(`set local work_mem = '64MB'`);
    step('begin');
    // asOf: with nothing queued, this snapshot. Otherwise every change committed before the
    // oldest queued change's transaction began is folded in (its queue row would be older), and so
    // is everything before the last refresh's snapshot; a very long queue falls back to the latter.
    const { rows: state } = await c.query<{ now_ms: number; as_of_ms: number; pending: number; oldest_ms: number | null }>(
      `select (extract(epoch from date_trunc('milliseconds', statement_timestamp())) * 1000)::float8 as now_ms,
         (extract(epoch from date_trunc('milliseconds', s.as_of)) * 1000)::float8 as as_of_ms,
         q.pending, q.oldest_ms
       from analytics.state s,
         (select count(*)::int as pending, (extract(epoch from date_trunc('milliseconds', min(queued_at))) * 1000)::float8 as oldest_ms
            from (select queued_at from analytics.queue order by seq limit ${QUEUE_PEEK}) x) q
       where s.id = 1`,
    );
    const { now_ms, pending } = state[0]!;
    const as_of_ms =
      pending === 0 ? now_ms : pending < QUEUE_PEEK ? Math.max(state[0]!.as_of_ms, state[0]!.oldest_ms!) : state[0]!.as_of_ms;
    step('state');
    const slices = new Map<Bucket, Slice>();
    const available = new Map<Bucket, Set<number>>();
    for (const [kind] of needs.kinds) slices.set(kind, new Slice(kind, bucketsBetween(f.from, f.to, f.zone, kind), exact));

    /** Adds a fact (or a part of its contribution) to the base cells and the wanted breakdowns of every slice. */
    const addFact = (fact: IncidentFact, dims: (kind: Bucket) => Set<number>, contribution?: Acc) => {
      const day = localDay(fact.openedAt, f.zone);
      for (const [kind, slice] of slices) {
        const b = bucketStartDay(day, kind);
        const cell = slice.baseCell(fact.priority, b);
        if (contribution) cell.add(contribution);
        else cell.addFact(fact);
        const wanted = dims(kind);
        if (!wanted.size) continue;
        for (const [d, value, value2] of factDims(fact)) {
          if (!wanted.has(d)) continue;
          const dc = slice.dimCell(d, value, value2, b);
          if (contribution) dc.add(contribution);
          else dc.addFact(fact, 1, HIST_DIMS.has(d));
        }
      }
    };
    const scanFacts = async (range: [number, number]): Promise<IncidentFact[]> => {
      const params: unknown[] = [];
      const where = factConditions(f, params, range);
      const { rows } = await c.query<FactRow>(`select ${FACT_COLUMNS} from analytics.facts f where ${where}`, params);
      return rows.map(toFact);
    };
    const everyDim = () => new Set([1, 2, 3, 4, 5, 6, 7]);

    if (exact) {
      for (const fact of await scanFacts([f.from, f.to])) addFact(fact, everyDim);
      for (const [kind] of slices) available.set(kind, everyDim());
    } else {
      const split = splitRange(f.from, f.to, f.zone);
      // Breakdowns served by the cells: all dimensions without a dimension filter; the filtered one otherwise.
      const own = count === 0 ? everyDim() : new Set(filterDim === null ? [] : [filterDim]);
      for (const [kind, slice] of slices) {
        const wanted = new Set([...(needs.kinds.get(kind) ?? [])].filter((d) => own.has(d)));
        available.set(kind, wanted);
        if (!split.days) continue;
        // One statement: the filtered set's cells with histograms, un-aggregated (few rows:
        // priority x period), and the breakdowns by every other dimension (no dimension filter),
        // aggregated in SQL.
        const params: unknown[] = [f.zone];
        const where = `r.zone = $1 and ${baseCondition(f, params)} and ${periodCondition(kind, split.days, split.months, params)}`;
        const more = [...wanted].filter((d) => count === 0 && d !== DIM.ALL);
        let breakdown = '';
        if (more.length) {
          params.push(more);
          const dims = `r.dim = any($${params.length}::int2[])`;
          let prio = '';
          if (f.priorities) {
            params.push(f.priorities);
            prio = `and r.priority = any($${params.length}::int2[])`;
          }
          const period = periodCondition(kind, split.days, split.months, params);
          breakdown = `union all
            select false, r.dim, r.value, r.value2, null, ${BUCKET_SQL[kind]}::text, ${SUM_MEASURES}, null, null
              from analytics.rollups r where r.zone = $1 and ${dims} ${prio} and ${period} group by r.dim, r.value, r.value2, 6`;
        }
        const { rows } = await c.query<Record<string, unknown>>(
          `select true as base, r.dim, r.value, r.value2, r.priority, r.period::text as period, ${rawMeasures('r')}, r.ttr_hist, r.biz_hist
             from analytics.rollups r where ${where}
           ${breakdown}`,
          params,
        );
        step(`${kind} cells (${rows.length})`);
        for (const row of rows) {
          const d = Number(row.dim);
          if (row.base) {
            const b = bucketStartDay(isoToDay(row.period as string), kind);
            accFromRow(row, slice.baseCell(Number(row.priority), b));
            if (count === 1 && wanted.has(d))
              accFromRow({ ...row, ttr_hist: null, biz_hist: null }, slice.dimCell(d, row.value as string, NONE, b));
          } else {
            accFromRow(row, slice.dimCell(d, row.value as string, row.value2 as string, isoToDay(row.period as string)));
          }
        }
      }
      // Cut days at the edges: per-incident facts.
      for (const piece of [split.head, split.tail]) {
        if (!piece) continue;
        for (const fact of await scanFacts(piece)) addFact(fact, (kind) => available.get(kind)!);
      }
      // Cross breakdowns (another dimension than the filtered one): the filtered set's facts,
      // aggregated by value and bucket in SQL (sums only: breakdowns carry no percentiles).
      if (count === 1) {
        for (const [kind, dims] of needs.kinds) {
          const wanted = [...dims].filter((d) => !available.get(kind)!.has(d));
          if (!wanted.length) continue;
          const slice = slices.get(kind)!;
          const params: unknown[] = [];
          const where = factConditions(f, params, [f.from, f.to]);
          params.push(slice.spans.map((sp) => new Date(sp.start).toISOString()));
          const bounds = `$${params.length}::timestamptz[]`;
          const sets = wanted.map((d) => `(${CROSS_SET[d]!.join(', ')}, f.b)`).join(', ');
          const cols = CROSS_COLUMNS.filter((col) => wanted.some((d) => CROSS_SET[d]!.includes(col)));
          const masks = crossMasks(cols, wanted);
          // Two steps: sums per combination of the wanted columns (few), then the grouping sets over those.
          const { rows } = await c.query<Record<string, unknown>>(
            `select grouping(${cols.join(', ')}) as g, ${cols.join(', ')}, f.b, ${SUM_MEASURES}
               from (select ${cols.join(', ')}, width_bucket(f.opened_at, ${bounds}) as b, ${FACT_SUMS}
                       from analytics.facts f where ${where} group by ${cols.map((_, i) => i + 1).join(', ')}, ${cols.length + 1}) f
              group by grouping sets (${sets})`,
            params,
          );
          for (const row of rows) {
            const { dim, value, value2 } = crossKey(row, masks);
            if (value === null) continue;
            accFromRow(row, slice.dimCell(dim, value, value2, slice.spans[Number(row.b) - 1]!.startDay));
          }
          for (const d of wanted) available.get(kind)!.add(d);
          step(`${kind} cross breakdown (${rows.length})`);
        }
      }
    }

    // Running clocks past their due time are breached now, whatever their stored verdict says.
    {
      const params: unknown[] = [now_ms];
      const where = factConditions(f, params, [f.from, f.to]);
      const { rows } = await c.query<FactRow & { target: 'RESPONSE' | 'RESOLUTION' }>(
        `select c.target, ${FACT_COLUMNS} from sla_clocks c join analytics.facts f on f.incident_id = c.incident_id
          where c.state = 'RUNNING' and c.verdict = 'PENDING' and c.due_at <= to_timestamp($1::float8 / 1000) and ${where}
            and ((c.target = 'RESPONSE' and f.resp_verdict is null) or (c.target = 'RESOLUTION' and f.res_verdict is null))`,
        params,
      );
      step(`sla correction (${rows.length})`);
      for (const r of rows) {
        const delta = new Acc(exact);
        delta.m[r.target === 'RESPONSE' ? M.respBreached : M.resBreached] = 1;
        addFact(toFact(r), (kind) => available.get(kind)!, delta);
      }
    }

    return {
      filter: f,
      source: source_,
      reason,
      asOf: new Date(as_of_ms),
      evaluatedAt: new Date(now_ms),
      pending,
      percentileRelativeError: exact ? 0 : RELATIVE_ERROR,
      slices,
      available,
      priorities,
    };
  });
}

/** Local midnight of a bucket day, as a Date. */
export const bucketDate = (day: number, zone: string) => new Date(startOfLocalDay(day, zone));
