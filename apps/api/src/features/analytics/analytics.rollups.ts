import { Acc, bucketStartDay, dayToIso, isoToDay, nextBucketDay, startOfLocalDay, type IncidentFact } from '@ikb/domain';
import { poolKey, type ConnectionSource, type PgClient } from '../../db/internals';
import {
  accFromRow,
  addFactToCells,
  FACT_COLUMNS,
  histBytes,
  keyString,
  MEASURE_COLUMNS,
  MEASURE_TYPES,
  parseKey,
  rawMeasures,
  sameFact,
  toFact,
  type FactRow,
} from './analytics.cells';
import { withClient } from './analytics.db';
import { rebuildAllSpans, refreshSpans } from '../workload/workload.spans';
import { CalendarCache, readFacts, rebuildAllFacts, recurrenceDependents, refreshGaps, successors, upsertFacts } from './analytics.facts';

/**
 * The rollups and facts' maintenance, below both the read path (analytics.query.ts builds a zone
 * the first time it is asked for) and the background job (analytics.refresher.ts): folds queued
 * incident changes into the facts and the rollups, builds and rebuilds zones.
 *
 * One refresh is one REPEATABLE READ transaction holding a transaction-level advisory lock, so
 * refreshes (and zone builds) never overlap, across API instances too. It takes up to `batch`
 * queued entries, recomputes those incidents' facts (plus the incidents whose recurrence flag or
 * MTBF gap depends on them), and adds new minus old contribution to every cell of every built
 * zone. When the queue is empty in its snapshot, analytics.state.as_of moves to the snapshot's
 * time: everything committed before it is folded in.
 */

export const REFRESH_LOCK_KEY = 80_082_026;

const calendarsByPool = new WeakMap<object, CalendarCache>();
function calendarsFor(source: ConnectionSource): CalendarCache {
  const key = poolKey(source);
  let c = calendarsByPool.get(key);
  if (!c) calendarsByPool.set(key, (c = new CalendarCache()));
  return c;
}

export interface RefreshResult {
  /** Queue entries taken. */
  taken: number;
  /** Incidents whose facts were recomputed (queued ones and their dependants). */
  incidents: number;
  /** Rollup cells written or deleted. */
  cells: number;
  /** Whether the queue was empty afterwards (then asOf moved to this refresh's snapshot). */
  drained: boolean;
  asOf: Date | null;
  ms: number;
}

/** In-process queue of lock holders per pool, so one process never waits on itself in the database. */
const tails = new WeakMap<object, Promise<unknown>>();

/**
 * Runs fn in a REPEATABLE READ transaction while holding the refresh lock: a session-level
 * advisory lock taken before the transaction starts, so the transaction's snapshot already sees
 * whatever the previous holder committed. Returns null when `wait` is false and the lock is busy.
 * fn receives the snapshot time (ms): changes committed before it are visible.
 */
async function underRefreshLock<T>(
  source: ConnectionSource,
  wait: boolean,
  fn: (c: PgClient, snapshotMs: number) => Promise<T>,
): Promise<T | null> {
  const key = poolKey(source);
  const busy = tails.get(key);
  if (busy && !wait) return null;
  const run = async (): Promise<T | null> =>
    withClient(source, async (c) => {
      if (wait) await c.query(`select pg_advisory_lock(${REFRESH_LOCK_KEY})`);
      else if (!(await c.query<{ ok: boolean }>(`select pg_try_advisory_lock(${REFRESH_LOCK_KEY}) as ok`)).rows[0]!.ok) return null;
      try {
        await c.query('begin isolation level repeatable read');
        try {
          const { rows } = await c.query<{ now_ms: number }>(
            `select (extract(epoch from date_trunc('milliseconds', statement_timestamp())) * 1000)::float8 as now_ms`,
          );
          const out = await fn(c, rows[0]!.now_ms);
          await c.query('commit');
          return out;
        } catch (err) {
          await c.query('rollback').catch(() => {});
          throw err;
        }
      } finally {
        await c.query(`select pg_advisory_unlock(${REFRESH_LOCK_KEY})`).catch(() => {});
      }
    });
  const p = (busy ?? Promise.resolve()).then(run, run);
  const tail = p.catch(() => {});
  tails.set(key, tail);
  try {
    return await p;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/**
 * One refresh step. Returns null when another refresh holds the lock (unless `wait`).
 * `batch` bounds the queue entries taken (and so the transaction's length).
 */
export async function refreshOnce(
  source: ConnectionSource,
  opts: { batch?: number; wait?: boolean; bulk?: boolean } = {},
): Promise<RefreshResult | null> {
  const r = await refreshStep(source, opts);
  // A bulk refresh leaves the queue (and the facts) full of dead rows: reclaim them now rather than
  // waiting for autovacuum, so that reading the head of the queue stays cheap.
  if (r && r.taken >= BULK_QUEUE / 4)
    await withClient(source, (c) =>
      c.query(`vacuum analyze analytics.queue, analytics.facts, analytics.rollups, analytics.workload_spans`),
    ).catch(() => {});
  return r;
}

async function refreshStep(
  source: ConnectionSource,
  opts: { batch?: number; wait?: boolean; bulk?: boolean },
): Promise<RefreshResult | null> {
  const t0 = Date.now();
  const batch = opts.batch ?? 5000;
  const calendars = calendarsFor(source);
  return underRefreshLock(source, opts.wait ?? false, async (c, snapshotMs) => {
    const { rows: backlog } = await c.query<{ n: number }>(
      `select count(*)::int as n from (select seq from analytics.queue order by seq limit ${BULK_QUEUE}) q`,
    );
    if (opts.bulk || backlog[0]!.n >= BULK_QUEUE) return bulkRefresh(c, snapshotMs, calendars, t0);
    const taken = await c.query<{ incident_id: string }>(takeBatchSql(), [batch]);
    const { rows: left } = await c.query<{ more: boolean }>(`select exists (select seq from analytics.queue order by seq limit 1) as more`);
    const drained = !left[0]!.more;
    let incidents = 0;
    let cells = 0;
    if (taken.rows.length) {
      const r = await fold(
        c,
        taken.rows.map((x) => x.incident_id),
        calendars,
      );
      incidents = r.incidents;
      cells = r.cells;
    }
    await c.query(
      `update analytics.state set refreshed_at = statement_timestamp(), refreshes = refreshes + 1,
         as_of = case when $1::boolean then to_timestamp($2::float8 / 1000) else as_of end where id = 1`,
      [drained, snapshotMs],
    );
    return { taken: taken.rows.length, incidents, cells, drained, asOf: drained ? new Date(snapshotMs) : null, ms: Date.now() - t0 };
  });
}

/**
 * A backlog this long (queue entries; bulk loads, imports, a first start on existing data) is not
 * folded in incident by incident: every fact is recomputed set-wise and the zones are rebuilt.
 */
export const BULK_QUEUE = 200_000;

/**
 * Takes the oldest $1 queued changes off `queue`. seq = any(array(...)) is an index probe per entry
 * whatever the statistics say: as a join, a queue analysed while nearly empty (after a drain that
 * left its pages) was planned as a nested loop that compared every queued row with every taken one
 * (134.7 s a batch at 90,000 queued; bench:scale, docs/SCALING.md). tests/analytics-refresh-plan.test.ts.
 */
export function takeBatchSql(queue = 'analytics.queue'): string {
  return `with d as (delete from ${queue} q
                      where q.seq = any(array(select seq from ${queue} order by seq limit $1))
                      returning q.incident_id)
          select distinct incident_id from d`;
}

async function bulkRefresh(c: PgClient, snapshotMs: number, calendars: CalendarCache, t0: number): Promise<RefreshResult> {
  await calendars.refresh(c);
  // Everything queued up to this snapshot is covered by recomputing everything as of it.
  const { rowCount } = await c.query(`delete from analytics.queue`);
  const incidents = await rebuildAllFacts(c, calendars);
  await rebuildAllSpans(c);
  const { rows: zones } = await c.query<{ zone: string }>(`select zone from analytics.zones order by zone`);
  let cells = 0;
  for (const { zone } of zones) {
    await c.query(`delete from analytics.rollups where zone = $1`, [zone]);
    const b = await buildZoneIn(c, zone);
    cells += b.cells;
    await c.query(`update analytics.zones set built_at = now(), build_ms = $2, cells = $3 where zone = $1`, [zone, b.ms, b.cells]);
  }
  const { rows: left } = await c.query<{ more: boolean }>(`select exists (select seq from analytics.queue order by seq limit 1) as more`);
  const drained = !left[0]!.more;
  await c.query(
    `update analytics.state set refreshed_at = statement_timestamp(), refreshes = refreshes + 1,
       as_of = case when $1::boolean then to_timestamp($2::float8 / 1000) else as_of end where id = 1`,
    [drained, snapshotMs],
  );
  return { taken: rowCount ?? 0, incidents, cells, drained, asOf: drained ? new Date(snapshotMs) : null, ms: Date.now() - t0 };
}

/** Refreshes until the queue is empty (or `maxMs` passed); returns the summed work. */
export async function drain(
  source: ConnectionSource,
  opts: { batch?: number; maxMs?: number; wait?: boolean } = {},
): Promise<RefreshResult> {
  const t0 = Date.now();
  const total: RefreshResult = { taken: 0, incidents: 0, cells: 0, drained: false, asOf: null, ms: 0 };
  for (;;) {
    const r = await refreshOnce(source, { batch: opts.batch, wait: opts.wait ?? true });
    if (!r) break;
    total.taken += r.taken;
    total.incidents += r.incidents;
    total.cells += r.cells;
    total.drained = r.drained;
    total.asOf = r.asOf;
    if (r.drained || (opts.maxMs !== undefined && Date.now() - t0 > opts.maxMs)) break;
  }
  total.ms = Date.now() - t0;
  return total;
}

const DEBUG = process.env.ANALYTICS_DEBUG === '1';

/**
 * Recomputes facts of the queued incidents and their dependants, and folds the change into every
 * zone. The caller holds the refresh lock (a refresh, or an import folding its own incidents:
 * analytics.fold-now.ts).
 */
export async function fold(
  c: PgClient,
  queued: string[],
  calendars: CalendarCache,
  /** Writes a zone's change another way (a bulk writer's COPY); returns the cells written. */
  applyZone?: (zone: string, before: Map<string, IncidentFact>, after: Map<string, IncidentFact>) => Promise<number>,
): Promise<{ incidents: number; cells: number }> {
  let t = performance.now();
  const step = (name: string) => {
    if (!DEBUG) return;
    const now = performance.now();
    console.log(`[analytics] ${name}: ${(now - t).toFixed(1)} ms`);
    t = now;
  };
  await calendars.refresh(c);
  const before = await readFacts(c, queued);
  step(`read ${before.size} facts`);
  const oldNext = await successors(c, queued);
  step('old successors');
  const after = await upsertFacts(c, queued, calendars, before);
  step(`upsert ${after.size} facts`);
  // The workload's spans depend on the incident's own events and entries only: dependants keep theirs.
  const spans = await refreshSpans(c, queued);
  step(`${spans} workload spans`);

  // The first incident of a touched problem (before and after) changes its recurrence flag.
  const problems = new Set<string>();
  for (const f of [...before.values(), ...after.values()]) if (f.problemId) problems.add(f.problemId);
  const dependants = (await recurrenceDependents(c, [...problems])).filter((id) => !before.has(id) && !after.has(id));
  if (dependants.length) {
    const depBefore = await readFacts(c, dependants);
    for (const [id, f] of depBefore) before.set(id, f);
    for (const [id, f] of await upsertFacts(c, dependants, calendars, depBefore)) after.set(id, f);
  }
  step(`${dependants.length} recurrence dependants`);

  // MTBF: a gap depends on the previous incident on the service, so the next incidents of the
  // changed ones (in the old order and in the new) are recomputed too.
  const newNext = await successors(c, queued);
  step('new successors');
  const changed = new Set([...queued, ...dependants]);
  const gapIds = new Set([...changed, ...oldNext, ...newNext]);
  const others = [...gapIds].filter((id) => !changed.has(id));
  const othersBefore = await readFacts(c, others);
  for (const [id, f] of othersBefore) {
    before.set(id, f);
    after.set(id, { ...f });
  }
  const gaps = await refreshGaps(
    c,
    [...gapIds].filter((id) => after.has(id)),
  );
  for (const [id, gap] of gaps) {
    const f = after.get(id);
    if (f) f.gapSeconds = gap;
  }
  step(`${gaps.size} gaps`);

  const { rows: zones } = await c.query<{ zone: string }>(`select zone from analytics.zones order by zone`);
  let cells = 0;
  const ids = new Set([...before.keys(), ...after.keys()]);
  for (const { zone } of zones) {
    if (applyZone) {
      cells += await applyZone(zone, before, after);
      step(`zone ${zone}`);
      continue;
    }
    const delta = new Map<string, Acc>();
    for (const id of ids) {
      const o = before.get(id);
      const n = after.get(id);
      if (sameFact(o, n)) continue;
      if (o) addFactToCells(delta, o, zone, -1);
      if (n) addFactToCells(delta, n, zone, 1);
    }
    cells += await applyDelta(c, zone, delta);
    step(`zone ${zone}: ${delta.size} cells`);
  }
  return { incidents: ids.size, cells };
}

const KEY_ARRAYS = `$2::char[], $3::int2[], $4::date[], $5::uuid[], $6::uuid[], $7::int2[]`;

function keyArrays(keys: string[]) {
  const grain: string[] = [];
  const dim: number[] = [];
  const period: string[] = [];
  const value: string[] = [];
  const value2: string[] = [];
  const priority: number[] = [];
  for (const s of keys) {
    const k = parseKey(s);
    grain.push(k.grain);
    dim.push(k.dim);
    period.push(dayToIso(k.period));
    value.push(k.value);
    value2.push(k.value2);
    priority.push(k.priority);
  }
  return [grain, dim, period, value, value2, priority];
}

/** Adds the delta cells to the stored ones (read, add, write back; empty cells are deleted). */
async function applyDelta(c: PgClient, zone: string, delta: Map<string, Acc>): Promise<number> {
  for (const [k, acc] of delta) if (acc.isEmpty()) delta.delete(k);
  if (!delta.size) return 0;
  const keys = [...delta.keys()];
  const { rows } = await c.query<Record<string, unknown>>(
    `select r.grain, r.dim, r.period::text as period, r.value, r.value2, r.priority, ${rawMeasures('r')}, r.ttr_hist, r.biz_hist
       from analytics.rollups r
       join unnest(${KEY_ARRAYS}) as k(grain, dim, period, value, value2, priority)
         on r.grain = k.grain and r.dim = k.dim and r.period = k.period and r.value = k.value and r.value2 = k.value2
        and r.priority = k.priority
      where r.zone = $1`,
    [zone, ...keyArrays(keys)],
  );
  for (const row of rows) {
    const key = keyString({
      grain: row.grain as 'D' | 'M',
      dim: Number(row.dim),
      period: isoToDay(row.period as string),
      value: row.value as string,
      value2: row.value2 as string,
      priority: Number(row.priority),
    });
    accFromRow(row, delta.get(key)!);
  }
  const write: [string, Acc][] = [];
  const remove: string[] = [];
  for (const [k, acc] of delta) {
    if (acc.get('n') <= 0) {
      if (acc.get('n') < 0) console.error(`[analytics] negative count in cell ${zone} ${k}: rebuild the zone`);
      remove.push(k);
    } else write.push([k, acc]);
  }
  await writeCells(c, zone, write);
  if (remove.length) {
    await c.query(
      `delete from analytics.rollups r using unnest(${KEY_ARRAYS}) as k(grain, dim, period, value, value2, priority)
        where r.zone = $1 and r.grain = k.grain and r.dim = k.dim and r.period = k.period and r.value = k.value
          and r.value2 = k.value2 and r.priority = k.priority`,
      [zone, ...keyArrays(remove)],
    );
  }
  return delta.size;
}

const CELL_COLUMNS = ['grain', 'dim', 'period', 'value', 'value2', 'priority', ...MEASURE_COLUMNS, 'ttr_hist', 'biz_hist'];
const CELL_TYPES = ['char', 'int2', 'date', 'uuid', 'uuid', 'int2', ...MEASURE_TYPES, 'bytea', 'bytea'];
const UPSERT_CELLS = `insert into analytics.rollups (zone, ${CELL_COLUMNS.join(', ')})
  select $1, * from unnest(${CELL_TYPES.map((t, i) => `$${i + 2}::${t}[]`).join(', ')})
  on conflict (zone, grain, dim, period, value, value2, priority) do update set
    ${[...MEASURE_COLUMNS, 'ttr_hist', 'biz_hist'].map((col) => `${col} = excluded.${col}`).join(', ')}`;

/** Writes whole cells (insert or replace), in chunks. */
async function writeCells(c: PgClient, zone: string, cells: [string, Acc][]): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < cells.length; i += CHUNK) {
    const part = cells.slice(i, i + CHUNK);
    const keyCols = keyArrays(part.map(([k]) => k));
    const measureCols = MEASURE_COLUMNS.map((_, m) => part.map(([, acc]) => acc.m[m]));
    const ttr = part.map(([, acc]) => histBytes(acc, 'ttr'));
    const biz = part.map(([, acc]) => histBytes(acc, 'biz'));
    await c.query(UPSERT_CELLS, [zone, ...keyCols, ...measureCols, ttr, biz]);
  }
}

// ---- zones ----

export const MAX_ZONES = 8;

export interface ZoneBuild {
  zone: string;
  cells: number;
  incidents: number;
  ms: number;
}

/**
 * Builds the rollups of a zone from the facts, a local month at a time (bounded memory), in one
 * transaction under the refresh lock: afterwards every refresh keeps it current. Returns null
 * when it was already built.
 */
export async function buildZone(source: ConnectionSource, zone: string): Promise<ZoneBuild | null> {
  return underRefreshLock(source, true, async (c) => {
    const { rows: exists } = await c.query(`select 1 from analytics.zones where zone = $1`, [zone]);
    if (exists.length) return null;
    const b = await buildZoneIn(c, zone);
    await c.query(`insert into analytics.zones (zone, built_at, build_ms, cells) values ($1, now(), $2, $3)`, [zone, b.ms, b.cells]);
    return b;
  });
}

/** Writes the zone's cells from the facts (in the caller's transaction). */
async function buildZoneIn(c: PgClient, zone: string): Promise<ZoneBuild> {
  const t0 = Date.now();
  const { rows: span } = await c.query<{ lo: number | null; hi: number | null }>(
    `select (extract(epoch from min(opened_at)) * 1000)::float8 as lo, (extract(epoch from max(opened_at)) * 1000)::float8 as hi
       from analytics.facts`,
  );
  let cells = 0;
  let incidents = 0;
  if (span[0]!.lo !== null) {
    const first = bucketStartDay(Math.floor(span[0]!.lo / 86_400_000) - 1, 'MONTH');
    const last = Math.floor(span[0]!.hi! / 86_400_000) + 1;
    for (let m = first; m <= last; m = nextBucketDay(m, 'MONTH')) {
      const from = startOfLocalDay(m, zone);
      const to = startOfLocalDay(nextBucketDay(m, 'MONTH'), zone);
      const { rows } = await c.query<FactRow>(
        `select ${FACT_COLUMNS} from analytics.facts f
          where f.opened_at >= to_timestamp($1::float8 / 1000) and f.opened_at < to_timestamp($2::float8 / 1000)`,
        [from, to],
      );
      if (!rows.length) continue;
      const acc = new Map<string, Acc>();
      for (const r of rows) addFactToCells(acc, toFact(r), zone, 1);
      await writeCells(c, zone, [...acc]);
      cells += acc.size;
      incidents += rows.length;
    }
  }
  return { zone, cells, incidents, ms: Date.now() - t0 };
}

export async function builtZones(source: ConnectionSource): Promise<string[]> {
  return withClient(source, async (c) =>
    (await c.query<{ zone: string }>(`select zone from analytics.zones order by zone`)).rows.map((r) => r.zone),
  );
}

/**
 * Recomputes every fact from the source tables set-wise and rebuilds every built zone, in one
 * transaction (bulk loads and repairs; what a long backlog triggers by itself).
 */
export async function rebuildAll(source: ConnectionSource): Promise<RefreshResult> {
  return (await refreshOnce(source, { wait: true, bulk: true }))!;
}

/**
 * Switches the queue triggers off or on (the benchmark's "without rollup maintenance"). While
 * off, changes are not queued: call requeue for what changed, or rebuildAll.
 */
export async function setMaintenance(source: ConnectionSource, enabled: boolean): Promise<void> {
  const tables = ['incidents', 'incident_events', 'sla_clocks', 'time_entries', 'review_incidents', 'reviews', 'categories'];
  await withClient(source, async (c) => {
    const { rows } = await c.query<{ table: string; name: string }>(
      `select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where t.tgname like 'analytics_q_%' and c.relname = any($1)`,
      [tables],
    );
    for (const r of rows) await c.query(`alter table ${r.table} ${enabled ? 'enable' : 'disable'} trigger ${r.name}`);
  });
}

export interface RefreshBacklog {
  /** Queued changes not folded in yet (counted up to BULK_QUEUE). */
  pending: number;
  /**
   * How far the analytics are behind the writes, in seconds: 0 with nothing queued, else the age of
   * what is (as analytics.query.ts dates asOf).
   */
  lagSeconds: number;
  /** When a refresh last committed (any instance), or null before the first. */
  refreshedAt: Date | null;
}

/** Read-only: the refresher's backlog and last refresh, for metrics (one statement, no lock). */
export async function refreshBacklog(source: ConnectionSource): Promise<RefreshBacklog> {
  const { rows } = await withClient(source, (c) =>
    c.query<{ pending: number; lag: number; refreshed_ms: number | null }>(
      `select q.pending,
         case when q.pending = 0 then 0
              else extract(epoch from statement_timestamp()
                - case when q.pending < ${BULK_QUEUE} then greatest(s.as_of, q.oldest) else s.as_of end) end::float8 as lag,
         (extract(epoch from s.refreshed_at) * 1000)::float8 as refreshed_ms
       from analytics.state s,
         (select count(*)::int as pending, min(queued_at) as oldest
            from (select queued_at from analytics.queue order by seq limit ${BULK_QUEUE}) x) q
       where s.id = 1`,
    ),
  );
  const r = rows[0];
  return {
    pending: r?.pending ?? 0,
    lagSeconds: Math.max(0, r?.lag ?? 0),
    refreshedAt: r?.refreshed_ms == null ? null : new Date(r.refreshed_ms),
  };
}
