// Recording searches without slowing them (decision 0011): the search resolver and recordSearchOpen
// push rows into this process's buffer; a timer writes them to the primary in batches (one
// statement per batch and kind), with the rollups (per query and day, per query and month, per
// day) kept in the same statement. A search stays a read (a replica may answer it). What a crash
// or kill -9 loses: the rows of the last interval (at most one batch, FLUSH_ROWS); a clean stop
// writes them.
import { randomUUID } from 'node:crypto';
import type { ConnectionSource } from '../../db/internals';
import { IntervalJob } from '../../db/interval-job';
import { isDatabaseUnavailable } from '../../errors';
import { withClient } from '../analytics/analytics.db';
import { sweepSearchLog } from './search-log.retention';

export interface SearchRecord {
  id: string;
  at: Date;
  query: string;
  filters: Record<string, unknown>;
  hits: number;
  role: string | null;
  /** Kept in memory only, to look up the searcher's team when written; never stored. */
  userId: string | null;
  incidentId: string | null;
}

export interface OpenRecord {
  searchId: string;
  kind: string;
  itemId: string;
  position: number;
  at: Date;
  /** Flushes this open has waited for its search (written by another instance, not yet flushed). */
  tries: number;
}

export interface SearchLogOptions {
  /** Off: searches get no searchId and nothing is written (the bench's "recording off"). Default on. */
  enabled?: boolean;
  /** Milliseconds between writes of the buffer (default 1000); 0 writes only when asked (tests). */
  flushMs?: number;
  /** Days raw searches and opens are kept (SEARCH_LOG_RETENTION_DAYS, default 180). */
  retentionDays?: number;
  log?: (line: string) => void;
}

/** A batch is written at once when this many rows wait. */
export const FLUSH_ROWS = 1000;
/** Rows kept at most while the database is unreachable: beyond, new ones are dropped (and counted). */
const BUFFER_MAX = 50_000;
/** An open whose search is unknown waits this many flushes (its search may be in another instance's buffer). */
const OPEN_TRIES = 5;

const recorders = new WeakMap<object, SearchRecorder>();

/** The recorder of the database whose metadata this is (one per running app; tests run several in a process). */
export function searchRecorder(scope: object): SearchRecorder | undefined {
  return recorders.get(scope);
}

export class SearchRecorder {
  private searches: SearchRecord[] = [];
  private opens: OpenRecord[] = [];
  private readonly job: IntervalJob;
  private flushing: Promise<void> | null = null;
  private lastSweep = 0;
  /** Rows dropped because the buffer was full (the database was away). */
  dropped = 0;

  constructor(
    private readonly source: ConnectionSource,
    readonly opts: SearchLogOptions,
  ) {
    this.job = new IntervalJob(() => this.tick(), opts.flushMs ?? 1000);
  }

  get enabled(): boolean {
    return this.opts.enabled !== false;
  }

  start(scope: object): this {
    recorders.set(scope, this);
    this.job.start();
    return this;
  }

  private async tick() {
    try {
      await this.flush();
      if (Date.now() - this.lastSweep >= 3_600_000) {
        this.lastSweep = Date.now();
        await sweepSearchLog(this.source, this.opts.retentionDays ?? 180);
      }
    } catch (err) {
      if (!this.job.stopped) this.opts.log?.(`search log: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A new search's id, recorded with it; null when recording is off. */
  recordSearch(r: Omit<SearchRecord, 'id' | 'at'>): string | null {
    if (!this.enabled) return null;
    const id = randomUUID();
    this.push(this.searches, { ...r, id, at: new Date() });
    return id;
  }

  recordOpen(r: Omit<OpenRecord, 'at' | 'tries'>): void {
    if (!this.enabled) return;
    this.push(this.opens, { ...r, at: new Date(), tries: 0 });
  }

  private push<T>(list: T[], row: T) {
    if (this.searches.length + this.opens.length >= BUFFER_MAX) {
      this.dropped++;
      return;
    }
    list.push(row);
    if (this.searches.length + this.opens.length >= FLUSH_ROWS && !this.flushing) void this.flush().catch(() => {});
  }

  /** Writes what waits; one flush at a time. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.searches.length === 0 && this.opens.length === 0) return Promise.resolve();
    this.flushing = this.write().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write() {
    const searches = this.searches.splice(0, FLUSH_ROWS);
    const opens = this.opens.splice(0, FLUSH_ROWS);
    try {
      if (searches.length) await writeSearches(this.source, searches);
    } catch (err) {
      // The database was away: the batch goes back for the next round (the buffer's cap bounds it).
      // Any other failure would fail again: the batch is dropped, not retried for ever.
      if (isDatabaseUnavailable(err)) {
        this.searches.unshift(...searches);
        this.opens.unshift(...opens);
      } else this.dropped += searches.length + opens.length;
      throw err;
    }
    if (!opens.length) return;
    let unknown: Set<string>;
    try {
      unknown = await writeOpens(this.source, opens);
    } catch (err) {
      if (isDatabaseUnavailable(err)) this.opens.unshift(...opens);
      else this.dropped += opens.length;
      throw err;
    }
    for (const o of opens) if (unknown.has(o.searchId) && ++o.tries < OPEN_TRIES) this.opens.push(o);
  }

  async stop(): Promise<void> {
    await this.job.stop();
    // What waits is written, unless the database is gone.
    for (let i = 0; i < 50 && (this.searches.length || this.opens.some((o) => o.tries === 0)); i++) await this.flush().catch(() => {});
  }
}

/** Writes a batch of searches with their rollup counts (a search id already written is skipped). */
export async function writeSearches(source: ConnectionSource, searches: readonly SearchRecord[]): Promise<void> {
  await withClient(source, (c) => c.query(WRITE_SEARCHES, [JSON.stringify(searches)]));
}

/** Writes a batch of opens (in the order they were made) with their rollup counts; answers the search ids not found. */
export async function writeOpens(source: ConnectionSource, opens: readonly Omit<OpenRecord, 'tries'>[]): Promise<Set<string>> {
  const rows = opens.map((o) => ({ search_id: o.searchId, kind: o.kind, item_id: o.itemId, position: o.position, at: o.at }));
  const result = await withClient(source, (c) => c.query<{ unknown: string[] }>(WRITE_OPENS, [JSON.stringify(rows)]));
  return new Set(result.rows[0]?.unknown ?? []);
}

/** One batch of searches: the rows (the team looked up from the user, who is not stored) and the rollups' counts. */
const WRITE_SEARCHES = `
  with x as (
    select * from jsonb_to_recordset($1::jsonb)
      as x(id uuid, at timestamptz, query text, filters jsonb, hits int, role text, "userId" uuid, "incidentId" uuid)
  ), ins as (
    insert into search_log.searches (id, at, query, filters, hits, role, team_id, incident_id)
    select x.id, x.at, x.query, x.filters, x.hits, x.role,
           (select u.team_id from users u where u.id = x."userId"),
           (select i.id from incidents i where i.id = x."incidentId")
      from x
    on conflict (id) do nothing
    returning at, query, hits
  ), g as (
    select (at at time zone 'UTC')::date as day, query, count(*) as n, count(*) filter (where hits = 0) as z from ins group by 1, 2
  ), daily as (
    insert into search_log.daily as d (day, query, searches, zero_hits) select day, query, n, z from g
    on conflict (day, query) do update set searches = d.searches + excluded.searches, zero_hits = d.zero_hits + excluded.zero_hits
  ), monthly as (
    insert into search_log.monthly as m (month, query, searches, zero_hits, last_day)
    select date_trunc('month', day::timestamp)::date, query, sum(n), sum(z), max(day) from g group by 1, 2
    on conflict (month, query) do update set searches = m.searches + excluded.searches, zero_hits = m.zero_hits + excluded.zero_hits,
      last_day = greatest(m.last_day, excluded.last_day)
  )
  insert into search_log.day_totals as t (day, searches) select day, sum(n) from g group by 1
  on conflict (day) do update set searches = t.searches + excluded.searches`;

/**
 * One batch of opens: those of known searches within the search's hit count, once per search and
 * item; a search's first open (in time, in the database's snapshot before this batch) adds its
 * reciprocal rank to the rollup of the search's day. Answers the search ids not found.
 */
const WRITE_OPENS = `
  with x as (
    select * from jsonb_to_recordset($1::jsonb) as x(search_id uuid, kind text, item_id uuid, position int, at timestamptz)
  ), v as (
    select distinct on (x.search_id, x.kind, x.item_id) x.*
      from x join search_log.searches s on s.id = x.search_id and x.position between 1 and s.hits
     order by x.search_id, x.kind, x.item_id, x.at
  ), ins as (
    insert into search_log.opens (search_id, kind, item_id, position, at)
    select search_id, kind, item_id, position, at from v
    on conflict do nothing
    returning search_id, position, at
  ), firsts as (
    select distinct on (i.search_id) i.search_id, i.position from ins i
     where not exists (select 1 from search_log.opens o where o.search_id = i.search_id)
     order by i.search_id, i.at, i.position
  ), g as (
    select (s.at at time zone 'UTC')::date as day, s.query, count(*) as n, sum(1.0 / f.position)::float8 as rr
      from firsts f join search_log.searches s on s.id = f.search_id group by 1, 2
  ), roll as (
    insert into search_log.daily as d (day, query, opened, rr_sum) select day, query, n, rr from g
    on conflict (day, query) do update set opened = d.opened + excluded.opened, rr_sum = d.rr_sum + excluded.rr_sum
    returning 1
  ), monthly as (
    insert into search_log.monthly as m (month, query, opened, rr_sum, last_day)
    select date_trunc('month', day::timestamp)::date, query, sum(n), sum(rr), max(day) from g group by 1, 2
    on conflict (month, query) do update set opened = m.opened + excluded.opened, rr_sum = m.rr_sum + excluded.rr_sum,
      last_day = greatest(m.last_day, excluded.last_day)
  ), totals as (
    insert into search_log.day_totals as t (day, opened, rr_sum) select day, sum(n), sum(rr) from g group by 1
    on conflict (day) do update set opened = t.opened + excluded.opened, rr_sum = t.rr_sum + excluded.rr_sum
  )
  select array(select distinct x.search_id::text from x
                where not exists (select 1 from search_log.searches s where s.id = x.search_id)) as unknown,
         (select count(*) from roll) as rolled`;
