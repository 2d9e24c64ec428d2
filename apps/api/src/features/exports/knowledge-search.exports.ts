// Knowledge health (every item needing attention, streamed page by page) and the Search analytics
// tables as CSV. Headers and labels as the web app's pages say them.
import { KNOWLEDGE_ATTENTION_LABELS, KNOWLEDGE_KIND_LABELS, KNOWLEDGE_STALE_LABELS } from '@ikb/domain';
import type { ExportParams } from './export.params';
import { declare, type Data, type ExportTable } from './export.types';

const words = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' ');
const pct = (x: number | null | undefined) => (x == null ? null : Math.round(x * 1000) / 10);
const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);
/** Rows of each search table: the API's own cap on those lists. */
const SEARCH_ROWS = 100;

const SHARE = 'n share low high';
const HEALTH = `query Export($filter: KnowledgeHealthFilter, $first: Int!, $after: String) {
  knowledgeHealth(filter: $filter, first: $first, after: $after) { next totalCount items {
    kind title state reviewBy reviewedAt staleReasons attention owner { name } team { name } service { name }
    effectiveness { helpful { ${SHARE} } resolvedWithoutReopen { ${SHARE} }
      minutesToResolveWith { n median } minutesToResolveWithout { n median } }
  } } }`;

const search = (
  body: string,
) => `query Export${declare(`$range ${body}`, { range: 'SearchAnalyticsRange!', bucket: 'AnalyticsBucket!', first: 'Int!' })} {
  searchAnalytics(range: $range) { ${body} } }`;
const searchVars = (p: ExportParams) => ({ range: { from: p.search.from, to: p.search.to }, bucket: p.search.bucket, first: SEARCH_ROWS });
const metricOf = (list: { metricId?: string }[]) => [list[0]?.metricId];

export const KNOWLEDGE_SEARCH_TABLES: Record<string, ExportTable> = {
  'knowledge-health': {
    title: 'Knowledge health',
    params: 'knowledge',
    query: HEALTH,
    variables: (p, after) => ({ filter: p.knowledge, first: 200, after }),
    next: (d) => d.knowledgeHealth.next,
    total: (d) => d.knowledgeHealth.totalCount,
    columns: () => [
      'Owner',
      'Kind',
      'Title',
      'State',
      'Needs attention',
      'Stale because',
      'Review by (UTC)',
      'Last reviewed (UTC)',
      'Team',
      'Service',
      'Helped votes (n)',
      'Helped %',
      'Helped % low (95 % CI)',
      'Helped % high (95 % CI)',
      'Incidents with an outcome (n)',
      'Resolved without reopen %',
      'Resolved without reopen % low (95 % CI)',
      'Resolved without reopen % high (95 % CI)',
      'Median minutes to resolve with it',
      'Resolved with it (n)',
      'Median minutes to resolve without it',
      'Resolved without it (n)',
    ],
    rows: (d) =>
      (d.knowledgeHealth.items as Data[]).map((i) => {
        const e = i.effectiveness;
        return [
          i.owner?.name ?? '',
          KNOWLEDGE_KIND_LABELS[i.kind as keyof typeof KNOWLEDGE_KIND_LABELS] ?? i.kind,
          i.title,
          words(i.state),
          (i.attention as string[]).map((a) => KNOWLEDGE_ATTENTION_LABELS[a] ?? a).join('; '),
          (i.staleReasons as string[]).map((r) => KNOWLEDGE_STALE_LABELS[r] ?? r).join('; '),
          iso(i.reviewBy),
          iso(i.reviewedAt),
          i.team?.name,
          i.service?.name,
          e.helpful.n,
          pct(e.helpful.share),
          pct(e.helpful.low),
          pct(e.helpful.high),
          e.resolvedWithoutReopen.n,
          pct(e.resolvedWithoutReopen.share),
          pct(e.resolvedWithoutReopen.low),
          pct(e.resolvedWithoutReopen.high),
          e.minutesToResolveWith.median,
          e.minutesToResolveWith.n,
          e.minutesToResolveWithout.median,
          e.minutesToResolveWithout.n,
        ];
      }),
  },
  'search-queries': {
    title: 'Top search queries',
    params: 'search',
    query: search('topQueries(first: $first) { metricId query searches zeroHitSearches zeroHitShare searchesWithOpen clickThrough mrr }'),
    variables: searchVars,
    metricIds: (d) => metricOf(d.searchAnalytics.topQueries),
    columns: () => ['Query', 'Searches', 'Zero-hit searches', 'Zero-hit share', 'Searches with an open', 'Click-through', 'MRR'],
    rows: (d) =>
      (d.searchAnalytics.topQueries as Data[]).map((q) => [
        q.query,
        q.searches,
        q.zeroHitSearches,
        q.zeroHitShare,
        q.searchesWithOpen,
        q.clickThrough,
        q.mrr,
      ]),
  },
  'search-gaps': {
    title: 'Content gaps',
    params: 'search',
    query: search('contentGaps(first: $first) { metricId query kind searches zeroHitSearches lastDay }'),
    variables: searchVars,
    metricIds: (d) => metricOf(d.searchAnalytics.contentGaps),
    columns: () => ['Query', 'Gap', 'Searches', 'Zero-hit searches', 'Last searched (UTC day)'],
    rows: (d) =>
      (d.searchAnalytics.contentGaps as Data[]).map((g) => [
        g.query,
        g.kind === 'ZERO_RESULTS' ? 'Zero results' : 'No hit opened',
        g.searches,
        g.zeroHitSearches,
        iso(g.lastDay)?.slice(0, 10),
      ]),
  },
  'search-mrr': {
    title: 'Mean reciprocal rank over time',
    params: 'search',
    query: search('mrr(bucket: $bucket) { metricId start searches searchesWithOpen mrr }'),
    variables: searchVars,
    metricIds: (d) => metricOf(d.searchAnalytics.mrr),
    columns: () => ['Bucket start (UTC)', 'Searches', 'Searches with an open', 'MRR'],
    rows: (d) => (d.searchAnalytics.mrr as Data[]).map((b) => [iso(b.start), b.searches, b.searchesWithOpen, b.mrr]),
  },
  'search-known-errors': {
    title: 'Searches that preceded a new known error',
    params: 'search',
    query: search('precededKnownErrors(first: $first) { metricId number title knownErrorAt searches queries { query searches } }'),
    variables: searchVars,
    metricIds: (d) => metricOf(d.searchAnalytics.precededKnownErrors),
    columns: () => ['Known error', 'Title', 'Known error since (UTC)', 'Unanswered searches before', 'Queries'],
    rows: (d) =>
      (d.searchAnalytics.precededKnownErrors as Data[]).map((p) => [
        p.number,
        p.title,
        iso(p.knownErrorAt),
        p.searches,
        (p.queries as Data[]).map((q) => `${q.query} (${q.searches})`).join('; '),
      ]),
  },
};
