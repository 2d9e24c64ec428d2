// CSV exports of the Search analytics tables: the page's range and bucket, through the same GraphQL
// query with the browser's session (admins and problem managers, as on the page).
import { SearchAnalyticsExportDocument, type SearchAnalyticsExportQuery } from '@/gql/graphql';
import type { CsvColumn, CsvSource } from '../csv-export';
import { isoInstant } from '../dates';
import type { SearchParams } from '../params';
import { parseSearchAnalyticsState, searchRange, SEARCH_LIST_SIZE } from '../search-analytics';
import type { Gql } from '../server';
import { pageOf } from './map-result';

type A = SearchAnalyticsExportQuery['searchAnalytics'];
type Table = 'queries' | 'gaps' | 'mrr' | 'known-errors';

const COLUMNS: { [K in Table]: CsvColumn<Row<K>>[] } = {
  queries: [
    { header: 'Query', value: (q) => q.query },
    { header: 'Searches', value: (q) => q.searches },
    { header: 'Zero-hit searches', value: (q) => q.zeroHitSearches },
    { header: 'Zero-hit share', value: (q) => q.zeroHitShare },
    { header: 'Searches with an open', value: (q) => q.searchesWithOpen },
    { header: 'Click-through', value: (q) => q.clickThrough },
    { header: 'MRR', value: (q) => q.mrr },
  ],
  gaps: [
    { header: 'Query', value: (g) => g.query },
    { header: 'Gap', value: (g) => (g.kind === 'ZERO_RESULTS' ? 'Zero results' : 'No hit opened') },
    { header: 'Searches', value: (g) => g.searches },
    { header: 'Zero-hit searches', value: (g) => g.zeroHitSearches },
    { header: 'Last searched (UTC day)', value: (g) => isoInstant(g.lastDay)?.slice(0, 10) },
  ],
  mrr: [
    { header: 'Bucket start (UTC)', value: (b) => isoInstant(b.start) },
    { header: 'Searches', value: (b) => b.searches },
    { header: 'Searches with an open', value: (b) => b.searchesWithOpen },
    { header: 'MRR', value: (b) => b.mrr },
  ],
  'known-errors': [
    { header: 'Known error', value: (p) => p.number },
    { header: 'Title', value: (p) => p.title },
    { header: 'Known error since (UTC)', value: (p) => isoInstant(p.knownErrorAt) },
    { header: 'Unanswered searches before', value: (p) => p.searches },
    { header: 'Queries', value: (p) => p.queries.map((q) => `${q.query} (${q.searches})`).join('; ') },
  ],
};

type Row<K extends Table> = K extends 'queries'
  ? A['topQueries'][number]
  : K extends 'gaps'
    ? A['contentGaps'][number]
    : K extends 'mrr'
      ? A['mrr'][number]
      : A['precededKnownErrors'][number];

function rowsOf<K extends Table>(table: K, a: A): Row<K>[] {
  const by = { queries: a.topQueries, gaps: a.contentGaps, mrr: a.mrr, 'known-errors': a.precededKnownErrors };
  return by[table] as Row<K>[];
}

export const SEARCH_ANALYTICS_TABLES: Table[] = ['queries', 'gaps', 'mrr', 'known-errors'];

export function searchAnalyticsExport<K extends Table>(table: K, sp: SearchParams, gql: Gql): CsvSource<Row<K>> {
  const s = parseSearchAnalyticsState(sp);
  return {
    name: `search-${table}`,
    columns: COLUMNS[table] as CsvColumn<Row<K>>[],
    page: async () =>
      pageOf(await gql(SearchAnalyticsExportDocument, { range: searchRange(s), bucket: s.bucket, first: SEARCH_LIST_SIZE }), (d) => {
        const rows = rowsOf(table, d.searchAnalytics);
        return { rows, next: null, total: rows.length };
      }),
  };
}
