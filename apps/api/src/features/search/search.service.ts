import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../../db/pg-array';
import { badInput } from '../../errors';
import { fuzzyText, identifierTokens, RANKING_DEFINITION } from './search-query';
import { PERIODS, type FacetCount, type Period, type SearchConnection, type SearchHit, type SearchInput, type SearchKind } from './search.types';

export const MAX_FIRST = 50;
/** Ranking and facets consider at most this many matches (the best by static rank); totals say when capped. */
export const CANDIDATE_CAP = 10_000;
const FUZZY_THRESHOLD = 0.5;

const PERIOD_DAYS: Record<Exclude<Period, 'OLDER'>, number> = { LAST_7_DAYS: 7, LAST_30_DAYS: 30, LAST_90_DAYS: 90, LAST_365_DAYS: 365 };

type Dim = 'kind' | 'service' | 'category' | 'priority' | 'status' | 'period';

interface Filter {
  dim: Dim;
  sql: string;
  params: unknown[];
}

function filters(input: SearchInput, childCategories: string[]): Filter[] {
  const out: Filter[] = [];
  const inList = (dim: Dim, col: string, values: unknown[] | undefined) => {
    if (values?.length) out.push({ dim, sql: `${col} in (${values.map(() => '?').join(', ')})`, params: values });
  };
  inList('kind', 'c.kind', input.kinds);
  inList('service', 'c.service_id', input.serviceIds);
  inList('category', 'c.category_id', input.categoryIds?.length ? [...input.categoryIds, ...childCategories] : undefined);
  inList('priority', 'c.priority', input.priorities);
  inList('status', 'c.status', input.statuses);
  if (input.period) {
    out.push(
      input.period === 'OLDER'
        ? { dim: 'period', sql: `c.occurred_at < now() - interval '365 days'`, params: [] }
        : { dim: 'period', sql: `c.occurred_at >= now() - interval '${PERIOD_DAYS[input.period]} days'`, params: [] },
    );
  }
  return out;
}

function where(fs: Filter[], except?: Dim): { sql: string; params: unknown[] } {
  const use = fs.filter((f) => f.dim !== except);
  return { sql: use.length ? `where ${use.map((f) => f.sql).join(' and ')}` : '', params: use.flatMap((f) => f.params) };
}

export function encodeOffset(n: number): string {
  return Buffer.from(`o:${n}`).toString('base64url');
}

function decodeOffset(cursor: string): number {
  const m = /^o:(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw badInput('after', 'is not a cursor from this search');
  return Number(m[1]);
}

interface RawHit {
  entity_id: string;
  kind: SearchKind;
  title: string;
  snippet: string;
  score: number;
  text_rank: number;
  boost: number;
  trgm: number;
  id_hit: boolean;
  in_title: boolean;
  in_body: boolean;
  terms: string[] | null;
  occurred_at: string;
  priority: number | null;
  status: string | null;
  retired: boolean;
  service_id: string | null;
  category_id: string | null;
}

/**
 * One statement: the matches (full text, exact identifiers, fuzzy titles), scored; the requested
 * page with snippets and match reasons; the total; and facet counts, each facet ignoring its own
 * filter so that it shows what choosing another value would give.
 */
export async function searchCatalog(em: EntityManager, input: SearchInput, first: number, after?: string | null): Promise<SearchConnection> {
  const query = input.query.trim();
  if (!query) throw badInput('input.query', 'must not be empty');
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) throw badInput('first', `must be between 1 and ${MAX_FIRST}`);
  const offset = after ? decodeOffset(after) : 0;
  if (offset > CANDIDATE_CAP) throw badInput('after', 'is beyond the last page');
  const ids = identifierTokens(query);
  const fuzzy = fuzzyText(query);
  const children = input.categoryIds?.length
    ? (await em.execute<{ id: string }[]>(`select id from categories where parent_id in (${input.categoryIds.map(() => '?').join(', ')})`, input.categoryIds)).map((r) => r.id)
    : [];
  const fs = filters(input, children);
  const all = where(fs);
  const facet = (dim: Dim, expr: string, label: string) => {
    const w = where(fs, dim);
    return {
      sql: `(select coalesce(json_agg(json_build_object('value', x.value, 'label', x.label, 'count', x.n) order by x.n desc, x.value), '[]') from (
              select ${expr} as value, ${label} as label, count(*) as n from scored c ${w.sql} group by 1, 2) x where x.value is not null)`,
      params: w.params,
    };
  };
  const periodFacet = (() => {
    const w = where(fs, 'period');
    const parts = PERIODS.map((p) =>
      p === 'OLDER'
        ? `json_build_object('value', 'OLDER', 'label', 'Older than a year', 'count', count(*) filter (where c.occurred_at < now() - interval '365 days'))`
        : `json_build_object('value', '${p}', 'label', 'Last ${PERIOD_DAYS[p]} days', 'count', count(*) filter (where c.occurred_at >= now() - interval '${PERIOD_DAYS[p]} days'))`,
    );
    return { sql: `(select json_build_array(${parts.join(', ')}) from scored c ${w.sql})`, params: w.params };
  })();
  const facets = [
    facet('kind', 'c.kind', 'c.kind'),
    facet('service', 'c.service_id::text', `(select s.name from services s where s.id = c.service_id)`),
    facet('category', 'c.category_id::text', `(select coalesce(pc.name || ' / ', '') || cc.name from categories cc left join categories pc on pc.id = cc.parent_id where cc.id = c.category_id)`),
    facet('priority', 'c.priority::text', `'P' || c.priority`),
    facet('status', 'c.status', 'c.status'),
    periodFacet,
  ];

  const matchBranches = [`select d.entity_id from search_documents d, p where d.tsv @@ p.tsq`];
  const matchParams: unknown[] = [];
  if (ids.length) {
    matchBranches.push(`select d.entity_id from search_documents d where d.identifiers && ?::text[]`);
    matchParams.push(pgTextArray(ids));
  }
  if (fuzzy) {
    matchBranches.push(`select d.entity_id from search_documents d where ? <% d.title`);
    matchParams.push(fuzzy);
  }
  const sql = `
    with p as materialized (
      select websearch_to_tsquery('english', ?) as tsq, ?::text as fuzzy, ?::text[] as ids
    ), lx as materialized (
      select coalesce(array_agg(distinct x[1]), '{}') as lexemes from p, regexp_matches(p.tsq::text, '''([^'']+)''', 'g') x
    ), m as (
      ${matchBranches.join(' union ')}
    ), cand as materialized (
      select d.* from search_documents d join m using (entity_id)
      order by d.retired, d.boost desc, d.occurred_at desc limit ${CANDIDATE_CAP + 1}
    ), scored as materialized (
      select c.entity_id, c.kind, c.service_id, c.category_id, c.priority, c.status, c.occurred_at, c.retired, c.boost,
        ts_rank_cd(c.tsv, p.tsq, 32) as text_rank,
        coalesce(word_similarity(p.fuzzy, c.title), 0) as trgm,
        (c.identifiers && p.ids) as id_hit
      from cand c, p
    ), ranked as (
      select c.*, ((c.text_rank + case when c.trgm >= ${FUZZY_THRESHOLD} then 0.5 * c.trgm else 0 end + case when c.id_hit then 1 else 0 end)
          * c.boost * (1 + 0.2 * exp(-extract(epoch from (now() - c.occurred_at)) / 86400 / 180))) as score
      from scored c ${all.sql}
    ), page as (
      select * from ranked order by retired, score desc, occurred_at desc, entity_id limit ${first + 1} offset ${offset}
    )
    select json_build_object(
      'total', (select count(*) from ranked),
      'capped', (select count(*) > ${CANDIDATE_CAP} from cand),
      'tsquery', (select p.tsq::text from p),
      'hits', (select coalesce(json_agg(h order by h.retired, h.score desc, h.occurred_at desc, h.entity_id), '[]') from (
        select pg.entity_id, pg.kind, d.title, pg.score, pg.text_rank, pg.boost, pg.trgm, pg.id_hit, pg.occurred_at, pg.priority, pg.status, pg.retired, pg.service_id, pg.category_id,
          case when d.tsv @@ p.tsq then ts_headline('english', replace(replace(replace(d.body, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), p.tsq,
                 'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')
               else replace(replace(replace(left(d.body, 220), '&', '&amp;'), '<', '&lt;'), '>', '&gt;') end as snippet,
          exists (select 1 from unnest(lx.lexemes) l where to_tsvector('english', d.title) @@ quote_literal(l)::tsquery) as in_title,
          exists (select 1 from unnest(lx.lexemes) l where to_tsvector('english', d.body) @@ quote_literal(l)::tsquery) as in_body,
          array(select l from unnest(lx.lexemes) l where d.tsv @@ quote_literal(l)::tsquery order by l) as terms
        from page pg join search_documents d on d.entity_id = pg.entity_id, p, lx) h),
      'kinds', ${facets[0]!.sql}, 'services', ${facets[1]!.sql}, 'categories', ${facets[2]!.sql},
      'priorities', ${facets[3]!.sql}, 'statuses', ${facets[4]!.sql}, 'periods', ${facets[5]!.sql}
    ) as result`;
  const params = [query, fuzzy, pgTextArray(ids), ...matchParams, ...all.params, ...facets.flatMap((f) => f.params)];
  const [row] = await em.execute<{ result: unknown }[]>(sql, params);
  const result = (typeof row!.result === 'string' ? JSON.parse(row!.result) : row!.result) as {
    total: number;
    capped: boolean;
    tsquery: string;
    hits: RawHit[];
    kinds: FacetCount[];
    services: FacetCount[];
    categories: FacetCount[];
    priorities: FacetCount[];
    statuses: FacetCount[];
    periods: FacetCount[];
  };
  const hits = result.hits.slice(0, first).map(toHit);
  const edges = hits.map((node, i) => ({ node, cursor: encodeOffset(offset + i + 1) }));
  return {
    edges,
    nodes: hits,
    pageInfo: { hasNextPage: result.hits.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: Number(result.total),
    totalIsExact: !result.capped,
    facets: { kinds: result.kinds, services: result.services, categories: result.categories, priorities: result.priorities, statuses: result.statuses, periods: result.periods },
    interpretedAs: result.tsquery,
    ranking: RANKING_DEFINITION,
  };
}

function toHit(h: RawHit): SearchHit {
  const fields = [
    ...(h.in_title ? ['title'] : []),
    ...(h.in_body ? ['body'] : []),
    ...(h.id_hit ? ['identifiers'] : []),
    ...(h.trgm >= FUZZY_THRESHOLD && !h.in_title ? ['title (fuzzy)'] : []),
  ];
  const terms = h.terms ?? [];
  const reason = [
    h.id_hit ? 'exact identifier' : '',
    terms.length ? `${terms.map((t) => `"${t}"`).join(', ')} in ${[h.in_title ? 'title' : '', h.in_body ? 'body' : ''].filter(Boolean).join(' and ') || 'identifiers'}` : '',
    h.trgm >= FUZZY_THRESHOLD && !h.in_title ? `title ${Math.round(h.trgm * 100)} % similar to the query` : '',
    h.boost > 1 ? `boosted x${h.boost.toFixed(1)}` : h.boost < 1 ? `lowered x${h.boost.toFixed(1)}` : '',
    h.retired ? 'retired' : '',
  ]
    .filter(Boolean)
    .join('; ');
  return {
    kind: h.kind,
    id: h.entity_id,
    title: h.title,
    snippet: h.snippet,
    score: Number(h.score),
    textScore: Number(h.text_rank),
    boost: Number(h.boost),
    matchedFields: fields,
    matchedTerms: terms,
    reason,
    occurredAt: new Date(h.occurred_at),
    priority: h.priority,
    status: h.status,
    retired: h.retired,
    serviceId: h.service_id,
    categoryId: h.category_id,
  };
}
