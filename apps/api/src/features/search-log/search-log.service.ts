// The figures of search analytics (decision 0011). Over the rollups: top queries, content gaps
// (per query and month, and day at a range's edges), MRR over time (per day). Over raw rows (kept
// SEARCH_LOG_RETENTION_DAYS): resolved with it, searches that preceded a known error, boost
// suggestions. Each figure is one statement.
import { BOOST_SUGGESTION, KNOWN_ERROR_LOOKBACK_DAYS } from '@ikb/domain';
import { rawDate } from '../../db/raw-dates';
import { badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import type { AnalyticsBucket } from '../analytics/analytics.inputs';
import { formatProblemNumber } from '../problems/problem.entity';
import type { SearchKind } from '../search/search.types';
import type { SearchAnalyticsRange } from './search-log.inputs';
import {
  SearchAnalytics,
  SearchBoostSuggestion,
  SearchContentGap,
  SearchKnownErrorPrecursor,
  SearchMrrBucket,
  SearchQueryFigure,
  SearchResolvedWithIt,
} from './search-log.types';

/** The longest range (days): two years, what the rollup keeps. */
export const RANGE_MAX_DAYS = 731;
export const LIST_MAX = 100;

type Sql = Context['sql'];
const DAY_MS = 86_400_000;
const dayText = (d: Date) => d.toISOString().slice(0, 10);

/** The range as whole UTC days: from's day, to the day after `to` unless `to` is a midnight. */
export function searchRange(range: SearchAnalyticsRange, retentionDays: number): SearchAnalytics {
  const from = new Date(range.from);
  const to = new Date(range.to);
  if (Number.isNaN(from.getTime())) throw badInput('range.from', 'is not a date');
  if (Number.isNaN(to.getTime())) throw badInput('range.to', 'is not a date');
  const start = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
  const end = Math.ceil(to.getTime() / DAY_MS) * DAY_MS;
  if (end <= start || to <= from) throw badInput('range.to', 'must be after range.from');
  if ((end - start) / DAY_MS > RANGE_MAX_DAYS) throw badInput('range', `must span at most ${RANGE_MAX_DAYS} days`);
  return Object.assign(new SearchAnalytics(), { from: new Date(start), to: new Date(end), retentionDays });
}

export function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > LIST_MAX) throw badInput('first', `must be between 1 and ${LIST_MAX}`);
  return first;
}

const share = (a: number, b: number) => (b > 0 ? a / b : 0);

/**
 * The rollup rows of a range: whole UTC months from the monthly rollup, the days before the first
 * and after the last whole month from the daily one (180 days: 5 month rows and ~27 day rows per
 * query instead of 180). Columns: query, searches, zero_hits, opened, rr_sum, last_day. Each part is a
 * plain range of its primary key (one range with "or" made PostgreSQL scan the whole daily table).
 */
const RANGE_ROWS = `
  select query, searches, zero_hits, opened, rr_sum, last_day from search_log.monthly where month >= ?::date and month < ?::date
  union all
  select query, searches, zero_hits, opened, rr_sum, day from search_log.daily where day >= ?::date and day < ?::date
  union all
  select query, searches, zero_hits, opened, rr_sum, day from search_log.daily where day >= ?::date and day < ?::date`;

function rangeParams(a: SearchAnalytics): string[] {
  const from = a.from;
  const to = a.to;
  const first = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + (from.getUTCDate() === 1 ? 0 : 1), 1));
  const end = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1));
  // No whole month: the first edge is the whole range, the second empty.
  if (first >= end) return [dayText(from), dayText(from), dayText(from), dayText(to), dayText(to), dayText(to)];
  return [dayText(first), dayText(end), dayText(from), dayText(first), dayText(end), dayText(to)];
}

export async function topQueries(sql: Sql, a: SearchAnalytics, first: number): Promise<SearchQueryFigure[]> {
  const rows = await sql<{ query: string; s: string; z: string; o: string; rr: number }[]>(
    `select query, sum(searches) as s, sum(zero_hits) as z, sum(opened) as o, sum(rr_sum) as rr
       from (${RANGE_ROWS}) r
      group by query order by sum(searches) desc, query limit ?`,
    [...rangeParams(a), checkFirst(first)],
  );
  return rows.map((r) => {
    const [s, z, o] = [Number(r.s), Number(r.z), Number(r.o)];
    return Object.assign(new SearchQueryFigure(), {
      metricId: 'search-top-queries',
      query: r.query,
      searches: s,
      zeroHitSearches: z,
      zeroHitShare: share(z, s),
      searchesWithOpen: o,
      clickThrough: share(o, s),
      mrr: share(Number(r.rr), s),
    });
  });
}

export async function contentGaps(sql: Sql, a: SearchAnalytics, first: number): Promise<SearchContentGap[]> {
  const rows = await sql<{ query: string; s: string; z: string; last: string }[]>(
    `select query, sum(searches) as s, sum(zero_hits) as z, max(last_day)::text as last
       from (${RANGE_ROWS}) r
      group by query having sum(zero_hits) = sum(searches) or sum(opened) = 0
      order by sum(searches) desc, query limit ?`,
    [...rangeParams(a), checkFirst(first)],
  );
  return rows.map((r) =>
    Object.assign(new SearchContentGap(), {
      metricId: 'search-content-gaps',
      query: r.query,
      kind: Number(r.z) === Number(r.s) ? 'ZERO_RESULTS' : 'NO_CLICK',
      searches: Number(r.s),
      zeroHitSearches: Number(r.z),
      lastDay: new Date(`${r.last}T00:00:00Z`),
    }),
  );
}

const STEP: Record<AnalyticsBucket, string> = { DAY: '1 day', WEEK: '1 week', MONTH: '1 month' };
const UNIT: Record<AnalyticsBucket, string> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };

export async function mrrSeries(sql: Sql, a: SearchAnalytics, bucket: AnalyticsBucket): Promise<SearchMrrBucket[]> {
  const step = STEP[bucket];
  // The day totals of the range grouped by bucket, then every bucket listed.
  const rows = await sql<{ start: string; end: string; s: string; o: string; rr: number }[]>(
    `with d as (
       select date_trunc('${UNIT[bucket]}', day::timestamp) as start, sum(searches) as s, sum(opened) as o, sum(rr_sum) as rr
         from search_log.day_totals where day >= ?::date and day < ?::date group by 1
     )
     select b.start::text as start, (b.start + interval '${step}')::text as end,
            coalesce(d.s, 0) as s, coalesce(d.o, 0) as o, coalesce(d.rr, 0) as rr
       from generate_series(date_trunc('${UNIT[bucket]}', ?::timestamp), ?::timestamp - interval '1 day', interval '${step}') b(start)
       left join d on d.start = b.start
      order by b.start`,
    [dayText(a.from), dayText(a.to), dayText(a.from), dayText(a.to)],
  );
  return rows.map((r) =>
    Object.assign(new SearchMrrBucket(), {
      metricId: 'search-mrr',
      start: new Date(`${r.start.replace(' ', 'T')}Z`),
      end: new Date(`${r.end.replace(' ', 'T')}Z`),
      searches: Number(r.s),
      searchesWithOpen: Number(r.o),
      mrr: Number(r.s) > 0 ? Number(r.rr) / Number(r.s) : null,
    }),
  );
}

/** An open counts as resolved with it when its incident was resolved after it, with the opened record (search-resolved-with-it). */
export const RESOLVED_WITH_IT_SQL = `i.resolved_at is not null and i.resolved_at >= o.at and (
      (o.kind = 'WORKAROUND' and i.resolution_workaround_id = o.item_id)
   or (o.kind = 'MODEL' and exists (select 1 from incident_model_applications ma
        join incident_model_versions v on v.id = ma.model_version_id where ma.incident_id = i.id and v.model_id = o.item_id))
   or (o.kind in ('PROBLEM', 'KNOWN_ERROR') and i.problem_id = o.item_id))`;

export async function resolvedWithIt(sql: Sql, a: SearchAnalytics): Promise<SearchResolvedWithIt> {
  const [r] = await sql<{ n: string; resolved: string }[]>(
    `select count(*) as n, count(*) filter (where ${RESOLVED_WITH_IT_SQL}) as resolved
       from search_log.searches s join search_log.opens o on o.search_id = s.id join incidents i on i.id = s.incident_id
      where s.at >= ?::date and s.at < ?::date and s.incident_id is not null`,
    [dayText(a.from), dayText(a.to)],
  );
  const n = Number(r?.n ?? 0);
  const resolved = Number(r?.resolved ?? 0);
  return Object.assign(new SearchResolvedWithIt(), {
    metricId: 'search-resolved-with-it',
    opensWithIncident: n,
    resolvedWithIt: resolved,
    share: n > 0 ? resolved / n : null,
  });
}

export async function precededKnownErrors(sql: Sql, a: SearchAnalytics, first: number): Promise<SearchKnownErrorPrecursor[]> {
  const rows = await sql<{ id: string; number: number; title: string; at: string; n: string; queries: unknown }[]>(
    `with ke as (
       select p.id, p.number, p.title, p.known_error_at,
              regexp_split_to_array(lower(p.title || ' ' || p.description || ' ' || coalesce(p.root_cause, '')), '[^[:alnum:]]+') as words
         from problems p where p.known_error_at >= ?::date and p.known_error_at < ?::date
     ), m as (
       select ke.id, s.query, count(*) as n from ke join search_log.searches s
           on s.at >= ke.known_error_at - interval '${KNOWN_ERROR_LOOKBACK_DAYS} days' and s.at < ke.known_error_at
        where (s.hits = 0 or not exists (select 1 from search_log.opens o where o.search_id = s.id))
          and s.query ~ '[[:alnum:]]'
          and not exists (select 1 from regexp_split_to_table(s.query, '[^[:alnum:]]+') w where w <> '' and not (w = any(ke.words)))
        group by ke.id, s.query
     )
     select ke.id, ke.number, ke.title, ke.known_error_at::text as at, sum(m.n) as n,
            (array_agg(json_build_object('query', m.query, 'searches', m.n) order by m.n desc, m.query))[1:10] as queries
       from ke join m on m.id = ke.id
      group by ke.id, ke.number, ke.title, ke.known_error_at
      order by ke.known_error_at desc, ke.number limit ?`,
    [dayText(a.from), dayText(a.to), checkFirst(first)],
  );
  return rows.map((r) =>
    Object.assign(new SearchKnownErrorPrecursor(), {
      metricId: 'search-preceded-known-error',
      problemId: r.id,
      number: formatProblemNumber(Number(r.number)),
      title: r.title,
      knownErrorAt: rawDate(r.at)!,
      searches: Number(r.n),
      queries: (typeof r.queries === 'string' ? JSON.parse(r.queries) : (r.queries as { query: string; searches: number }[])).map(
        (q: string | { query: string; searches: number }) => (typeof q === 'string' ? JSON.parse(q) : q),
      ),
    }),
  );
}

export async function boostSuggestions(sql: Sql, a: SearchAnalytics, first: number): Promise<SearchBoostSuggestion[]> {
  const rows = await sql<{ query: string; kind: SearchKind; item_id: string; title: string | null; n: string; mean: number }[]>(
    `select g.query, g.kind, g.item_id, (select d.title from search_documents d where d.entity_id = g.item_id limit 1) as title,
            g.n, g.mean
       from (select s.query, o.kind, o.item_id, count(*) as n, avg(o.position)::float8 as mean
               from search_log.searches s join search_log.opens o on o.search_id = s.id
              where s.at >= ?::date and s.at < ?::date
              group by s.query, o.kind, o.item_id
             having count(*) >= ${BOOST_SUGGESTION.minOpens} and avg(o.position) >= ${BOOST_SUGGESTION.minMeanPosition}) g
      where not exists (select 1 from search_log.boosts b where b.query = g.query and b.item_id = g.item_id)
      order by g.n desc, g.mean desc, g.query, g.item_id limit ?`,
    [dayText(a.from), dayText(a.to), checkFirst(first)],
  );
  return rows.map((r) =>
    Object.assign(new SearchBoostSuggestion(), {
      query: r.query,
      kind: r.kind,
      itemId: r.item_id,
      title: r.title,
      opens: Number(r.n),
      meanPosition: Number(r.mean),
      suggestedWeight: BOOST_SUGGESTION.weight,
    }),
  );
}
