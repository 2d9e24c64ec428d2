import { matchSynonyms, normalizeSearchQuery, type SynonymGroup } from '@ikb/domain';
import { pgTextArray } from '../../db/pg-array';
import { badInput } from '../../errors';
import {
  CANDIDATE_CAP,
  FULL_BELOW,
  PARTIAL_CAP,
  SPELL_MAX_TERMS,
  expandTerms,
  parseQuery,
  RANKING_DEFINITION,
  RELAX_BELOW,
  type TermMatch,
} from './search-query';
import { explainHit, type LexEntry } from './search-explain';
import { GROUPED, HIT_EXTRAS, PAGE_DOC, exactSql, identifierValues } from './search-extras';
import { saturations, textScore } from './search-score';
import {
  PERIODS,
  type FacetCount,
  type Period,
  type SearchConnection,
  type SearchHit,
  type SearchInput,
  type SearchFix,
  type SearchKind,
  type SearchUnderstanding,
} from './search.types';
import { formatIncidentNumber } from '../incidents/incident.entity';
import { formatProblemNumber } from '../problems/problem.entity';

export { CANDIDATE_CAP };
export const MAX_FIRST = 50;

const PERIOD_DAYS: Record<Exclude<Period, 'OLDER'>, number> = { LAST_7_DAYS: 7, LAST_30_DAYS: 30, LAST_90_DAYS: 90, LAST_365_DAYS: 365 };

type Dim = 'kind' | 'service' | 'category' | 'priority' | 'status' | 'period';

/** SQL text with named values: `{{name}}` becomes a positional `?` bound to values[name], in order of appearance. */
interface Template {
  sql: string;
  /** The {{name}} of each ? in order. */
  names: string[];
}

/** Statement texts by page and filter shape (a few dozen in practice; cleared if it ever grows). */
const templates = new Map<string, Template>();

function compileNamed(text: string): Template {
  const names: string[] = [];
  const sql = text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    names.push(name);
    return '?';
  });
  return { sql, names };
}

function bindValues(t: Template, values: Record<string, unknown>): unknown[] {
  return t.names.map((name) => {
    if (!(name in values)) throw new Error(`search SQL: no value for ${name}`);
    return values[name];
  });
}

interface Filter {
  dim: Dim;
  /** SQL over alias `c`, with named values. */
  sql: string;
}

function filters(input: SearchInput, childCategories: string[], values: Record<string, unknown>): Filter[] {
  const out: Filter[] = [];
  const inList = (dim: Dim, col: string, list: unknown[] | undefined, cast: string) => {
    if (!list?.length) return;
    const names = list.map((v, i) => {
      values[`${dim}${i}`] = v;
      return `{{${dim}${i}}}::${cast}`;
    });
    out.push({ dim, sql: `${col} in (${names.join(', ')})` });
  };
  inList('kind', 'c.kind', input.kinds, 'text');
  inList('service', 'c.service_id', input.serviceIds, 'uuid');
  inList('category', 'c.category_id', input.categoryIds?.length ? [...input.categoryIds, ...childCategories] : undefined, 'uuid');
  inList('priority', 'c.priority', input.priorities, 'int');
  inList('status', 'c.status', input.statuses, 'text');
  if (input.period) {
    out.push(
      input.period === 'OLDER'
        ? { dim: 'period', sql: `c.occurred_at < now() - interval '365 days'` }
        : { dim: 'period', sql: `c.occurred_at >= now() - interval '${PERIOD_DAYS[input.period]} days'` },
    );
  }
  return out;
}

const conj = (fs: Filter[], except?: Dim) => fs.filter((f) => f.dim !== except).map((f) => f.sql);
const whereOf = (parts: string[]) => (parts.length ? `where ${parts.join(' and ')}` : '');

/** A cursor: the offset, and the search's id (search analytics) so that later pages are the same search. */
export function encodeOffset(n: number, searchId?: string | null): string {
  return Buffer.from(searchId ? `o:${n}:${searchId}` : `o:${n}`).toString('base64url');
}

const CURSOR = /^o:(\d{1,6})(?::([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?$/;

function decodeOffset(cursor: string): number {
  const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw badInput('after', 'is not a cursor from this search');
  return Number(m[1]);
}

/** The search id a cursor carries (null for a cursor without one, or not a cursor). */
export function cursorSearchId(cursor: string): string | null {
  return CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[2] ?? null;
}

interface RawHit {
  entity_id: string;
  kind: SearchKind;
  title: string;
  snippet: string;
  score: number;
  text_rank: number;
  boost: number;
  query_boost: number | null;
  id_hit: boolean;
  strict: boolean;
  exact: boolean;
  ids: string[] | null;
  title_lex: string[] | null;
  body_lex: string[] | null;
  fix_lex: string[] | null;
  terms: string[] | null;
  repeats: number;
  fix: SearchFix | null;
  group_problem: { id: string; number: number; title: string; status: string } | null;
  latest: { id: string; number: number; title: string; status: string; occurredAt: string }[] | null;
  occurred_at: string;
  priority: number | null;
  status: string | null;
  retired: boolean;
  service_id: string | null;
  category_id: string | null;
}

interface Correction {
  word: string;
  alternatives: string[];
  lexemes: string[];
}

interface RawResult {
  total: number;
  records: number;
  capped: boolean;
  tsquery: string;
  corrections: Correction[] | null;
  expansions: { term: string; alternatives: string[] }[] | null;
  msm: { required: number; of: number; terms: number } | null;
  hits: RawHit[];
  lexmap: LexEntry[] | null;
  kinds: FacetCount[];
  services: FacetCount[];
  categories: FacetCount[];
  priorities: FacetCount[];
  statuses: FacetCount[];
  periods: FacetCount[];
  services_rows: Record<string, unknown>[];
  categories_rows: Record<string, unknown>[];
  incidents_rows?: Record<string, unknown>[];
}

/** The services and categories of the page's hits, as rows, so that the resolver can hand them to the loaders. */
export interface SearchRefs {
  services: Record<string, unknown>[];
  categories: Record<string, unknown>[];
}

export interface SearchStatement {
  /** The query as typed (trimmed), for "showing results for". */
  query: string;
  sql: string;
  params: unknown[];
  offset: number;
  first: number;
}

/**
 * Validates the input and builds the one statement that answers a search (exported so that the
 * benchmark can time the SQL alone). The category filter's subcategories are looked up first.
 *
 * Candidates, at most CANDIDATE_CAP in all, each row carrying what ranking needs:
 * - hot: full-text matches among the hot documents (partial GIN index; knowledge records and recent incidents);
 * - full: full-text matches among the other documents, only when the hot tier had fewer than the cap;
 * - relaxed (hot, then full): all terms but one, when fewer than RELAX_BELOW records have every term.
 * Identifiers (INC-000123, PRB-00001, ORA-01555) are terms of the full-text query, matched verbatim.
 * When filters are given the same branches run again with the filters applied, so that a selective
 * filter on a very common query still finds its records; facets count hits (as the total does) among
 * all the candidates found, each facet ignoring its own filter: exact when the total is, else counts
 * of the capped candidates.
 */
/** Runs one raw statement (the request's Context.sql, or a connection's execute). */
export type RunSql = <T>(text: string, params: unknown[], opts?: { prepared?: boolean }) => Promise<T>;

/** Finds synonyms among a query's words (the admins' list); none when not given. */
export type SynonymMatcher = (words: string[]) => TermMatch[];

/** The matcher for a list of groups (pass the loader's array itself: its compiled index is kept per array). */
export function synonymMatcher(groups: readonly SynonymGroup[]): SynonymMatcher {
  return (words) => matchSynonyms(words, groups);
}

export async function buildSearch(
  sql: RunSql,
  input: SearchInput,
  first: number,
  after?: string | null,
  synonyms: SynonymMatcher = () => [],
): Promise<SearchStatement> {
  if (typeof input.query !== 'string' || !input.query.trim()) throw badInput('input.query', 'must not be empty');
  if (input.query.length > 500) throw badInput('input.query', 'must be at most 500 characters');
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) throw badInput('first', `must be between 1 and ${MAX_FIRST}`);
  const offset = after ? decodeOffset(after) : 0;
  if (offset > CANDIDATE_CAP * 2) throw badInput('after', 'is beyond the last page');
  // NUL cannot be sent to PostgreSQL in text; other control characters are just spaces to the parser.
  // oxlint-disable-next-line no-control-regex -- control characters are what it looks for
  const parsed = parseQuery(input.query.replace(/[\u0000-\u001f\u007f]/g, ' ').trim());
  if (!parsed.searchable) throw badInput('input.query', 'needs a word, a "phrase" or an identifier to look for (a -term only excludes)');
  const children = input.categoryIds?.length
    ? (
        await sql<{ id: string }[]>(
          `select id from categories where parent_id in (${input.categoryIds.map(() => '?').join(', ')})`,
          input.categoryIds,
        )
      ).map((r) => r.id)
    : [];

  const expanded = expandTerms(parsed.terms, synonyms);
  const values: Record<string, unknown> = {
    positive: parsed.positive,
    useOr: parsed.useOr,
    // Spelling is corrected in short queries only: in a sentence a word the catalog lacks is usually the
    // engineer's own word, not a typo ("kicked" is not "picked"), and each guess costs a trigram lookup.
    words: pgTextArray(!input.literal && expanded.terms.length <= SPELL_MAX_TERMS ? parsed.words : []),
    terms: pgTextArray(expanded.terms),
    alts: pgTextArray(expanded.alts),
    negative: parsed.negative,
    ids: pgTextArray(parsed.identifiers),
    idTokens: pgTextArray(parsed.idTokens),
    idForms: pgTextArray(parsed.idForms),
    normQuery: normalizeSearchQuery(input.query),
    ...identifierValues(parsed),
  };
  const fs = filters(input, children, values);
  // The text depends only on the page and the shape of the filters (values are bound): built once per shape.
  // Scoring is written out per concept (no subquery per candidate): one text per number of terms.
  const k = Math.max(1, expanded.terms.length);
  const key = `${first}:${offset}:${k}:${fs.map((f) => f.sql).join(' & ')}`;
  let template = templates.get(key);
  if (!template) {
    template = compileNamed(searchText(fs, first, offset, k));
    if (templates.size >= 256) templates.clear();
    templates.set(key, template);
  }
  return { query: input.query.trim(), sql: template.sql, params: bindValues(template, values), offset, first };
}

/** The statement text for a page and a filter shape; values stay {{named}} until bound. */
function searchText(fs: Filter[], first: number, offset: number, k: number): string {
  const cap = CANDIDATE_CAP;
  // Records with some of the terms are ranked after those with all: fewer of them are enough.
  const pcap = PARTIAL_CAP;
  const ks = Array.from({ length: k }, (_, i) => i + 1);
  const cols = (strict: string) => `d.entity_id, d.kind, d.service_id, d.category_id, d.priority, d.status, d.occurred_at, d.retired,
        d.boost, ${strict} as strict, ${saturations(k, 'p')} as sats, (d.identifiers && p.ids) as id_hit`;
  // How many of the counted concepts a record has.
  const has = ks.map((i) => `coalesce((d.tsv @@ p.counted[${i}])::int, 0)`).join(' + ');
  // Every term: the index finds the records with the rarer ones, the commoner ones are checked on
  // those (ts_match_vq is @@ in a form the planner does not take to the index).
  const strict = `d.tsv @@ p.tsqidx and ts_match_vq(d.tsv, p.tsq)`;
  // Records with fewer than every term: at least msm of the counted concepts.
  const most = `d.tsv @@ p.relaxed and not d.tsv @@ p.tsq and ${has} >= p.msm`;
  // The last resort: fewer than msm (only when msm >= 2; below that the relaxed branch is this).
  const some = `p.msm >= 2 and d.tsv @@ p.anyrare and not d.tsv @@ p.tsq and ${has} < p.msm`;
  /**
   * The candidate branches, with extra conditions over alias d. Strict matches (every term) come from
   * the hot tier, then from the rest when the hot tier has fewer than the cap; relaxed matches (all
   * terms but one, for 3 to 6 terms; either term of 2 when no record has both) only when fewer than
   * RELAX_BELOW records have every term.
   */
  const branches = (s: string, extra: string[]) => {
    const and = extra.map((x) => ` and ${x.replace(/\bc\./g, 'd.')}`).join('');
    const n = (t: string) => `(select count(*) from ${t}${s})`;
    return `t_hot${s} as materialized (
      select ${cols('true')} from search_documents d, p where d.hot and ${strict}${and} limit ${cap}
    ), t_full${s} as materialized (
      select ${cols('true')} from search_documents d, p where not d.hot and ${strict}${and} and ${n('t_hot')} < ${FULL_BELOW}
        limit ${cap} - ${n('t_hot')}
    ), t_rel_hot${s} as materialized (
      select ${cols('false')} from search_documents d, p where d.hot and ${most}${and}
        and ${n('t_hot')} + ${n('t_full')} < ${RELAX_BELOW} and (p.nterms >= 3 or ${n('t_hot')} + ${n('t_full')} = 0)
        limit greatest(${pcap} - ${n('t_hot')} - ${n('t_full')}, 0)
    ), t_rel_full${s} as materialized (
      select ${cols('false')} from search_documents d, p where not d.hot and ${most}${and}
        and ${n('t_hot')} + ${n('t_full')} < ${RELAX_BELOW} and ${n('t_hot')} + ${n('t_full')} + ${n('t_rel_hot')} < ${pcap}
        and (p.nterms >= 3 or ${n('t_hot')} + ${n('t_full')} = 0)
        limit greatest(${pcap} - ${n('t_hot')} - ${n('t_full')} - ${n('t_rel_hot')}, 0)
    ), t_any_hot${s} as materialized (
      select ${cols('false')} from search_documents d, p where d.hot and ${some}${and}
        and ${n('t_hot')} + ${n('t_full')} + ${n('t_rel_hot')} + ${n('t_rel_full')} < ${RELAX_BELOW}
        limit greatest(${pcap} - ${n('t_hot')} - ${n('t_full')} - ${n('t_rel_hot')} - ${n('t_rel_full')}, 0)
    ), t_any_full${s} as materialized (
      select ${cols('false')} from search_documents d, p where not d.hot and ${some}${and}
        and ${n('t_hot')} + ${n('t_full')} + ${n('t_rel_hot')} + ${n('t_rel_full')} < ${RELAX_BELOW}
        and ${n('t_hot')} + ${n('t_full')} + ${n('t_rel_hot')} + ${n('t_rel_full')} + ${n('t_any_hot')} < ${pcap}
        limit greatest(${pcap} - ${n('t_hot')} - ${n('t_full')} - ${n('t_rel_hot')} - ${n('t_rel_full')} - ${n('t_any_hot')}, 0)
    ), cand${s} as materialized (
      -- Disjoint by construction (hot or not; every term, at least msm of them, or fewer).
      select * from t_hot${s} union all select * from t_full${s} union all select * from t_rel_hot${s} union all select *
        from t_rel_full${s} union all select * from t_any_hot${s} union all select * from t_any_full${s}
    )`;
  };
  const filtered = fs.length > 0;
  // Relaxed matches (one term missing) count for the share of the terms they have.
  // date_part is double precision (extract is numeric, and numeric exp() is slow at a thousand rows).
  const textExpr = textScore(k, 'c.sats', 'p.idf');
  // An identifier typed alone goes first; in a sentence ("bank api answering 401 since...") it is one term among many.
  // An approved boost for this query (search_log.boosts, decision 0011) multiplies by 1 + its weight.
  const scoreExpr = `((${textExpr} + case when c.id_hit then 1.0 / greatest(p.nterms - 1, 1) else 0 end)
      * c.boost * (1 + 0.2 * exp(-date_part('epoch', now() - c.occurred_at) / 86400 / 180))
      * (1 + coalesce(p.boost_w[array_position(p.boost_ids, c.entity_id)], 0)))`;
  /**
   * Facets count what the headline counts: hits, a group of repeats once. Each value's count is the
   * number of hits the search would show with that value chosen (the other facets as they are), so
   * the repeats of a problem are grouped among the records with that value, as the filtered search
   * would group them (GROUPED: two or more matching incidents of one problem, not found by their own
   * number, are one hit, with the problem itself when it matched).
   *
   * Counted as records per value (a plain count per facet, as cheap as before issue 23), less what
   * grouping folds: `ffold` takes the few records that can be grouped (incidents with a problem, not
   * found by number, and problems), keyed per facet value (its own filter ignored, a row per period a
   * record falls in) by the problem; a key with two or more repeats is one hit where its n records
   * were n, so n - 1 comes off that value. A window and a distinct count per facet value over every
   * candidate (ten sorts of the candidates) cost 15-25 ms a common query at a million records.
   */
  const repeat = `c.kind = 'INCIDENT' and not c.exact and c.problem_id is not null`;
  const okOf = (parts: string[]) => (parts.length ? parts.join(' and ') : 'true');
  const periodSql = (p: Period) =>
    p === 'OLDER' ? `c.occurred_at < now() - interval '365 days'` : `c.occurred_at >= now() - interval '${PERIOD_DAYS[p]} days'`;
  const dims = [
    ['kind', 'c.kind::text'],
    ['service', 'c.service_id::text'],
    ['category', 'c.category_id::text'],
    ['priority', 'c.priority::text'],
    ['status', 'c.status::text'],
  ] as const;
  const foldRows = [
    ...dims.map(([dim, expr]) => `('${dim}', ${expr}, ${okOf(conj(fs, dim))})`),
    ...PERIODS.map((p) => `('period', '${p}', ${okOf([periodSql(p), ...conj(fs, 'period')])})`),
  ];
  const facetFold = `ffold as materialized (
      select g.dim, g.value, sum(g.n - 1)::int as n from (
        select f.dim, f.value, count(*) as n, count(*) filter (where ${repeat}) as repeats
          from fbase c cross join lateral (values ${foldRows.join(',\n            ')}) f(dim, value, ok)
          where (${repeat} or c.kind in ('PROBLEM', 'KNOWN_ERROR')) and f.ok and f.value is not null
          group by f.dim, f.value, case when ${repeat} then c.problem_id else c.entity_id end) g
        where g.repeats >= 2
        group by g.dim, g.value
    )`;
  const folded = (dim: Dim, value: string) => `coalesce((select r.n from ffold r where r.dim = '${dim}' and r.value = ${value}), 0)`;
  // Counted per value first, labelled after (one lookup per value, not per record).
  const facet = (dim: Dim, label: (v: string) => string) =>
    `(select coalesce(json_agg(json_build_object('value', x.value, 'label', ${label('x.value')}, 'count', x.n) order by x.n desc, x.value),
      '[]') from (
        select b.value, b.n - ${folded(dim, 'b.value')} as n from (
          select ${dims.find(([d]) => d === dim)![1]} as value, count(*) as n from fbase c ${whereOf(conj(fs, dim))} group by 1) b
        where b.value is not null) x)`;
  const categoryLabel = (v: string) =>
    `(select coalesce(pc.name || ' / ', '') || cc.name from categories cc left join categories pc on pc.id = cc.parent_id
      where cc.id = ${v}::uuid)`;
  const periodFacet = `(select json_build_array(${PERIODS.map(
    (p) =>
      `json_build_object('value', '${p}', 'label', '${p === 'OLDER' ? 'Older than a year' : `Last ${PERIOD_DAYS[p]} days`}', 'count',
        count(*) filter (where ${periodSql(p)}) - ${folded('period', `'${p}'`)})`,
  ).join(', ')}) from fbase c ${whereOf(conj(fs, 'period'))})`;

  const text = `
    with q as materialized (
      select s.*, case when {{negative}}::text is null then null else websearch_to_tsquery('english', {{negative}}::text) end as neg
        from search_plan({{positive}}::text, {{useOr}}::boolean, {{words}}::text[], {{terms}}::text[], {{alts}}::text[],
          {{idTokens}}::text[], {{idForms}}::text[]) s
    ), p as materialized (
      select case when numnode(q.tsq) = 0 or q.neg is null or numnode(q.neg) = 0 then q.tsq else q.tsq && !! q.neg end as tsq,
        case when q.relaxed is null then null when numnode(q.neg) > 0 then q.relaxed && !! q.neg else q.relaxed end as relaxed,
        case when q.anyrare is null then null when numnode(q.neg) > 0 then q.anyrare && !! q.neg else q.anyrare end as anyrare,
        q.tsqidx, q.anyq, q.counted, q.msm, q.nterms, q.concepts, q.idf, q.lex, q.avglen, q.corrections, q.expansions,
        {{ids}}::text[] as ids, bz.ids as boost_ids, bz.w as boost_w
        from q, lateral (
          select coalesce(array_agg(b.item_id order by b.item_id), '{}') as ids,
                 coalesce(array_agg(b.weight::float8 order by b.item_id), '{}') as w
            from search_log.boosts b where b.query = {{normQuery}}::text and b.status = 'APPROVED') bz
    ), lx as materialized (
      select coalesce(array(select distinct l from unnest(p.lex) l), '{}') as lexemes from p
    ), ${branches('', [])}${filtered ? `, ${branches('_f', conj(fs))}` : ''}
    , ${exactSql(k)}, fbase as materialized (
      -- Every record found, before the filters: what the facets count, and (filtered) what is ranked.
      select c.*, c.entity_id in (select x.entity_id from xact x) as exact,
        (select i.problem_id from incidents i where c.kind = 'INCIDENT' and i.id = c.entity_id) as problem_id from (
        select * from cand c
        ${filtered ? 'union select * from cand_f' : ''}
        union all select * from xact c where not exists (select 1 from cand y where y.entity_id = c.entity_id)
          ${filtered ? 'and not exists (select 1 from cand_f y where y.entity_id = c.entity_id)' : ''}
      ) c
    ), ranked as materialized (
      select c.*, ${textExpr} as text_rank, ${scoreExpr} as score from fbase c, p ${whereOf(conj(fs))}
    ), ${GROUPED}, ${facetFold}, page as (
      select * from grouped where gi = 1 order by gpos limit ${first + 1} offset ${offset}
    )
    select json_build_object(
      'total', (select count(*) from grouped where gi = 1),
      'records', (select count(*) from ranked),
      'capped', (select ${['t_hot', 't_full', 't_rel_hot', 't_rel_full', 't_any_hot', 't_any_full']
        .flatMap((b) => (filtered ? [b, `${b}_f`] : [b]))
        .map((b) => `(select count(*) from ${b}) >= ${b.startsWith('t_hot') ? FULL_BELOW : cap}`)
        .join(' or ')}),
      'tsquery', (select p.tsq::text from p),
      'corrections', (select p.corrections from p),
      'expansions', (select p.expansions from p),
      'msm', (select json_build_object('required', p.msm, 'of', cardinality(p.counted), 'terms', p.nterms) from p),
      'hits', (select coalesce(json_agg(h order by h.gpos), '[]') from (
        select pg.entity_id, pg.kind, d.title, pg.score, pg.text_rank, pg.boost,
          p.boost_w[array_position(p.boost_ids, pg.entity_id)] as query_boost, pg.id_hit, pg.strict, pg.occurred_at, pg.priority,
          pg.status, pg.retired, pg.service_id, pg.category_id, pg.gpos, pg.exact, pg.repeats,
          array(select x from unnest(d.identifiers) x intersect select y from unnest(p.ids) y) as ids, ${HIT_EXTRAS},
          case when d.tsv @@ p.anyq
               then ts_headline('english', replace(replace(replace(concat_ws(E'\\n', nullif(d.body, ''), nullif(d.fix, '')), '&', '&amp;'),
                 '<', '&lt;'), '>', '&gt;'), case when pg.strict then p.tsq else p.anyq end,
                 'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')
               else replace(replace(replace(left(concat_ws(E'\\n', nullif(d.body, ''), nullif(d.fix, '')), 220), '&', '&amp;'),
                 '<', '&lt;'),
                 '>', '&gt;') end as snippet,
          array(select l from unnest(lx.lexemes) l where v.title_tsv @@ quote_literal(l)::tsquery order by l) as title_lex,
          array(select l from unnest(lx.lexemes) l where v.body_tsv @@ quote_literal(l)::tsquery order by l) as body_lex,
          array(select l from unnest(lx.lexemes) l where v.fix_tsv @@ quote_literal(l)::tsquery order by l) as fix_lex,
          array(select l from unnest(lx.lexemes) l where d.tsv @@ quote_literal(l)::tsquery order by l) as terms
        from page pg cross join ${PAGE_DOC} cross join p cross join lx,
          lateral (select to_tsvector('english', d.title) as title_tsv, to_tsvector('english', d.body) as body_tsv,
            to_tsvector('english', d.fix) as fix_tsv) v) h),
      'lexmap', (select coalesce(json_agg(json_build_object('w', x.w, 'via', x.via, 'how', x.how,
          'lex', tsvector_to_array(to_tsvector('english', replace(x.w, '"', ' '))))), '[]') from (
        select t as w, null::text as via, 'term' as how from unnest({{terms}}::text[]) t
        union all select a, e->>'term', 'synonym' from p, jsonb_array_elements(coalesce(p.expansions, '[]')) e,
          jsonb_array_elements_text(e->'alternatives') a
        union all select a, c->>'word', 'spelling' from p, jsonb_array_elements(coalesce(p.corrections, '[]')) c,
          jsonb_array_elements_text(c->'alternatives') a) x),
      'kinds', ${facet('kind', (v) => v)},
      'services', ${facet('service', (v) => `(select s.name from services s where s.id = ${v}::uuid)`)},
      'categories', ${facet('category', categoryLabel)},
      'priorities', ${facet('priority', (v) => `'P' || ${v}`)},
      'statuses', ${facet('status', (v) => v)},
      'periods', ${periodFacet},
      'services_rows', (select coalesce(json_agg(to_jsonb(s)), '[]') from services s where s.id in (select pg.service_id from page pg)),
      'categories_rows', (select coalesce(json_agg(to_jsonb(x)), '[]') from categories x where x.id in (select pg.category_id
        from page pg)),
      'incidents_rows', (select coalesce(json_agg(to_jsonb(i)), '[]') from incidents i where i.id in (select pg.entity_id from page pg
        where pg.kind = 'INCIDENT'))
    ) as result`;
  return text;
}

export function readSearchResult(stmt: SearchStatement, rows: { result: unknown }[]): SearchConnection & { refs: SearchRefs } {
  const row = rows[0]!;
  const result = (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as RawResult;
  const corrections = result.corrections ?? [];
  const hits = result.hits.slice(0, stmt.first).map((h) => toHit(h, corrections, result.lexmap ?? []));
  const incidents = new Map((result.incidents_rows ?? []).map((row) => [String(row.id), row]));
  for (const hit of hits) {
    const row = hit.kind === 'INCIDENT' ? incidents.get(hit.id) : undefined;
    if (row) hit.incidentRow = row;
  }
  const edges = hits.map((node, i) => ({ node, cursor: encodeOffset(stmt.offset + i + 1) }));
  return {
    edges,
    nodes: hits,
    pageInfo: { hasNextPage: result.hits.length > stmt.first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: Number(result.total),
    recordCount: Number(result.records),
    totalIsExact: !result.capped,
    facets: {
      kinds: result.kinds,
      services: result.services,
      categories: result.categories,
      priorities: result.priorities,
      statuses: result.statuses,
      periods: result.periods,
    },
    interpretedAs: result.tsquery,
    understanding: understandingOf(result),
    ranking: RANKING_DEFINITION,
    searchId: null,
    ...correctionOf(stmt.query, result.lexmap ?? [], result.hits),
    refs: { services: result.services_rows ?? [], categories: result.categories_rows ?? [] },
  };
}

/**
 * One statement: the candidates (full text with spelling correction, exact identifiers), scored;
 * the requested page with snippets and match reasons; the total; and facet counts.
 */
export async function searchCatalog(
  sql: RunSql,
  input: SearchInput,
  first: number,
  after?: string | null,
  synonyms?: SynonymMatcher,
): Promise<SearchConnection & { refs: SearchRefs }> {
  const stmt = await buildSearch(sql, input, first, after, synonyms);
  // Prepared: planning this statement was about a third of PostgreSQL's time for a search.
  return readSearchResult(stmt, await sql<{ result: unknown }[]>(stmt.sql, stmt.params, { prepared: true }));
}

function understandingOf(result: RawResult): SearchUnderstanding {
  // Phrases are quoted in the plan; the sentence quotes every term itself.
  const bare = (t: string) => t.replace(/"/g, '');
  const synonyms = (result.expansions ?? []).map((x) => ({ term: bare(x.term), alternatives: x.alternatives.map(bare) }));
  const spellings = (result.corrections ?? []).map((c) => ({ term: c.word, alternatives: c.alternatives }));
  const msm = result.msm ?? { required: 1, of: 0, terms: 0 };
  const parts: string[] = [];
  if (msm.terms > 1)
    parts.push(
      msm.of < msm.terms
        ? `records with all ${msm.terms} terms first, then those with at least ${msm.required} of the ${msm.of} less common ones`
        : msm.required < msm.of
          ? `records with all ${msm.terms} terms first, then those with at least ${msm.required} of them`
          : `records with all ${msm.terms} terms`,
    );
  for (const x of synonyms) parts.push(`"${x.term}" also as ${x.alternatives.map((a) => `"${a}"`).join(', ')}`);
  for (const x of spellings) parts.push(`"${x.term}" (not in the catalog) also as ${x.alternatives.map((a) => `"${a}"`).join(', ')}`);
  const summary = parts.length ? `Looked for ${parts.join('; ')}.` : 'Looked for the words as typed.';
  return { synonyms, spellings, terms: msm.terms, minimumShouldMatch: msm.required, countedTerms: msm.of, summary };
}

/**
 * "Showing results for ...": only when a correction is what found some of the hits (a hit has a
 * corrected word); each corrected word of the query becomes the first of its alternatives that did.
 */
function correctionOf(query: string, lexmap: LexEntry[], hits: RawHit[]): { correctedFrom: string | null; correctedTo: string | null } {
  const found = new Set(hits.flatMap((h) => h.terms ?? []));
  let to = query;
  const done = new Set<string>();
  for (const e of lexmap) {
    if (e.how !== 'spelling' || !e.via || done.has(e.via) || !e.lex.some((l) => found.has(l))) continue;
    done.add(e.via);
    to = to.replace(new RegExp(`(?<!\\p{L})${e.via}(?!\\p{L})`, 'giu'), e.w);
  }
  return to === query ? { correctedFrom: null, correctedTo: null } : { correctedFrom: query, correctedTo: to };
}

function toHit(h: RawHit, corrections: Correction[], lexmap: LexEntry[]): SearchHit {
  const terms = h.terms ?? [];
  const corrected = corrections.filter((c) => c.lexemes.some((l) => terms.includes(l)));
  const titleLex = h.title_lex ?? [];
  const bodyLex = [...(h.body_lex ?? []), ...(h.fix_lex ?? [])];
  const fields = [...(titleLex.length ? ['title'] : []), ...(bodyLex.length ? ['body'] : []), ...(h.id_hit ? ['identifiers'] : [])];
  const reason = [
    h.id_hit ? 'exact identifier' : '',
    !h.strict && !h.id_hit ? 'some of the words' : '',
    terms.length
      ? `${terms.map((t) => `"${t}"`).join(', ')} in ` +
        `${[titleLex.length ? 'title' : '', bodyLex.length ? 'body' : ''].filter(Boolean).join(' and ') || 'identifiers'}`
      : '',
    corrected.length ? `spelling: ${corrected.map((c) => `${c.word} -> ${c.alternatives.join(' / ')}`).join(', ')}` : '',
    h.boost > 1 ? `boosted x${h.boost.toFixed(1)}` : h.boost < 1 ? `lowered x${h.boost.toFixed(1)}` : '',
    h.query_boost ? `approved boost for this query x${(1 + Number(h.query_boost)).toFixed(2)}` : '',
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
    queryBoost: h.query_boost == null ? null : Number(h.query_boost),
    matchedFields: fields,
    matchedTerms: terms,
    reason,
    explanation: explainHit(
      {
        kind: h.kind,
        status: h.status,
        boost: Number(h.boost),
        strict: h.strict,
        exact: h.exact,
        retired: h.retired,
        ids: h.ids ?? [],
        titleLex,
        bodyLex: h.body_lex ?? [],
        fixLex: h.fix_lex ?? [],
        queryBoost: h.query_boost == null ? null : Number(h.query_boost),
      },
      lexmap,
    ),
    exactMatch: h.exact,
    fix: fixOf(h.fix),
    repeats:
      h.group_problem && h.latest
        ? {
            problem: { ...h.group_problem, number: formatProblemNumber(h.group_problem.number) },
            count: Number(h.repeats),
            latest: h.latest.map((i) => ({ ...i, number: formatIncidentNumber(i.number), occurredAt: new Date(i.occurredAt) })),
          }
        : null,
    occurredAt: new Date(h.occurred_at),
    priority: h.priority,
    status: h.status,
    retired: h.retired,
    serviceId: h.service_id,
    categoryId: h.category_id,
    service: null,
    category: null,
  };
}

/** Null when nothing is known of the fix (an open incident, a problem without root cause). */
function fixOf(f: SearchFix | null): SearchFix | null {
  if (!f || (!f.resolutionKind && !f.notes && !f.workaround && !f.model)) return null;
  return { resolutionKind: f.resolutionKind ?? null, notes: f.notes ?? null, workaround: f.workaround ?? null, model: f.model ?? null };
}
