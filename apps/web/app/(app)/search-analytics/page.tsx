import type { Metadata } from 'next';
import Link from 'next/link';
import { ExportLink } from '@/components/export-link';
import { IfAllowed } from '@/components/if-allowed';
import { BoostDecisions, BoostSuggestions } from '@/components/search-analytics/boost-review';
import { MrrChart } from '@/components/search-analytics/mrr-chart';
import { Empty, ErrorBox, NotAllowed } from '@/components/ui';
import { SearchAnalyticsPageDocument } from '@/gql/graphql';
import { formatDate } from '@/lib/format';
import type { SearchParams } from '@/lib/params';
import {
  SEARCH_BUCKETS,
  SEARCH_LIST_SIZE,
  SEARCH_RANGES,
  mrrText,
  parseSearchAnalyticsState,
  searchRange,
  share,
  type SearchAnalyticsState,
} from '@/lib/search-analytics';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Search analytics' };

type Def = { id: string; name: string; definition: string; details: string };

/** The metric's definition beside its figure, as on the dashboard. */
function Definition({ def }: { def: Def | undefined }) {
  if (!def) return null;
  return (
    <details className="small muted metric-definition">
      <summary>{def.definition}</summary>
      {def.details}
    </details>
  );
}

const href = (s: SearchAnalyticsState, change: Partial<SearchAnalyticsState>) => {
  const n = { ...s, ...change };
  return `/search-analytics?days=${n.days}&bucket=${n.bucket}`;
};

export default async function SearchAnalyticsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const s = parseSearchAnalyticsState(sp);
  const res = await gql(SearchAnalyticsPageDocument, { range: searchRange(s), bucket: s.bucket, first: SEARCH_LIST_SIZE });
  if (res.error !== undefined) {
    return (
      <>
        <h1>Search analytics</h1>
        {res.codes?.includes('FORBIDDEN') ? (
          <NotAllowed what="read search analytics (admins and problem managers)" />
        ) : (
          <ErrorBox title="Search analytics could not be loaded" message={res.error} />
        )}
      </>
    );
  }
  const a = res.data.searchAnalytics;
  const defs = new Map(res.data.metricDefinitions.map((d) => [d.id, d]));
  const exportParams = { days: String(s.days), bucket: s.bucket };
  const r = a.resolvedWithIt;
  return (
    <>
      <h1>Search analytics</h1>
      <p className="lead">
        What people look for in the solution catalog, what they open and where it stood. Searches are counted by role and team only, never
        by person; raw searches are kept {a.retentionDays} days, daily totals per query two years.
      </p>
      <nav className="toolbar" aria-label="Range">
        {SEARCH_RANGES.map((d) => (
          <Link
            key={d}
            className={`btn plain small${d === s.days ? ' active' : ''}`}
            aria-current={d === s.days ? 'true' : undefined}
            href={href(s, { days: d })}
          >
            Last {d} days
          </Link>
        ))}
        <span className="muted small">
          {formatDate(a.from)} to {formatDate(new Date(new Date(a.to).getTime() - 1).toISOString())} (UTC days)
        </span>
      </nav>

      <section aria-labelledby="mrr-title">
        <h2 id="mrr-title">Mean reciprocal rank of the opened hit</h2>
        <Definition def={defs.get('search-mrr')} />
        <nav className="toolbar" aria-label="Bucket">
          {SEARCH_BUCKETS.map((b) => (
            <Link
              key={b}
              className={`btn plain small${b === s.bucket ? ' active' : ''}`}
              aria-current={b === s.bucket ? 'true' : undefined}
              href={href(s, { bucket: b })}
            >
              {b === 'DAY' ? 'Days' : b === 'WEEK' ? 'Weeks' : 'Months'}
            </Link>
          ))}
          <ExportLink list="search-mrr" searchParams={exportParams} />
        </nav>
        <MrrChart buckets={a.mrr} />
      </section>

      <section aria-labelledby="top-title">
        <h2 id="top-title">Top queries</h2>
        <Definition def={defs.get('search-top-queries')} />
        <ExportLink list="search-queries" searchParams={exportParams} />
        {a.topQueries.length ? (
          <div className="table-wrap">
            <table className="table" data-table="top-queries">
              <caption className="small muted">{a.topQueries.length} most searched queries</caption>
              <thead>
                <tr>
                  <th scope="col">Query</th>
                  <th scope="col" className="num">
                    Searches
                  </th>
                  <th scope="col" className="num">
                    Zero hits
                  </th>
                  <th scope="col" className="num">
                    Click-through
                  </th>
                  <th scope="col" className="num">
                    MRR
                  </th>
                </tr>
              </thead>
              <tbody>
                {a.topQueries.map((q) => (
                  <tr key={q.query}>
                    <td>
                      <Link href={`/search?q=${encodeURIComponent(q.query)}`}>{q.query}</Link>
                    </td>
                    <td className="num">{q.searches}</td>
                    <td className="num">{share(q.zeroHitShare)}</td>
                    <td className="num">{share(q.clickThrough)}</td>
                    <td className="num">{mrrText(q.mrr)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>No search in this range.</Empty>
        )}
      </section>

      <section aria-labelledby="gaps-title">
        <h2 id="gaps-title">Content gaps</h2>
        <Definition def={defs.get('search-content-gaps')} />
        <ExportLink list="search-gaps" searchParams={exportParams} />
        {a.contentGaps.length ? (
          <div className="table-wrap">
            <table className="table" data-table="content-gaps">
              <thead>
                <tr>
                  <th scope="col">Query</th>
                  <th scope="col">Gap</th>
                  <th scope="col" className="num">
                    Searches
                  </th>
                  <th scope="col">Last searched</th>
                </tr>
              </thead>
              <tbody>
                {a.contentGaps.map((g) => (
                  <tr key={g.query}>
                    <td>{g.query}</td>
                    <td>{g.kind === 'ZERO_RESULTS' ? 'Zero results' : 'No hit opened'}</td>
                    <td className="num">{g.searches}</td>
                    <td>{formatDate(g.lastDay)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>No content gap in this range.</Empty>
        )}
      </section>

      <section aria-labelledby="resolved-title">
        <h2 id="resolved-title">Resolved with a search hit</h2>
        <Definition def={defs.get('search-resolved-with-it')} />
        <p data-figure="resolved-with-it">
          {r.opensWithIncident
            ? `${r.resolvedWithIt} of ${r.opensWithIncident} hits opened for an incident resolved it (${share(r.share)}).`
            : 'No hit was opened from an incident’s search in this range.'}
        </p>
      </section>

      <section aria-labelledby="ke-title">
        <h2 id="ke-title">Searches that preceded a new known error</h2>
        <Definition def={defs.get('search-preceded-known-error')} />
        <ExportLink list="search-known-errors" searchParams={exportParams} />
        {a.precededKnownErrors.length ? (
          <div className="table-wrap">
            <table className="table" data-table="preceded-known-errors">
              <thead>
                <tr>
                  <th scope="col">Known error</th>
                  <th scope="col">Since</th>
                  <th scope="col" className="num">
                    Searches
                  </th>
                  <th scope="col">Queries</th>
                </tr>
              </thead>
              <tbody>
                {a.precededKnownErrors.map((p) => (
                  <tr key={p.problemId}>
                    <td>
                      <Link href={`/problems/${encodeURIComponent(p.number)}`}>
                        <span className="mono">{p.number}</span> {p.title}
                      </Link>
                    </td>
                    <td>{formatDate(p.knownErrorAt)}</td>
                    <td className="num">{p.searches}</td>
                    <td>{p.queries.map((q) => `${q.query} (${q.searches})`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>No known error of this range was preceded by unanswered searches for its words.</Empty>
        )}
      </section>

      <section aria-labelledby="boosts-title">
        <h2 id="boosts-title">Ranking boosts</h2>
        <p className="small muted">
          A record opened from at least 3 searches of one query while it stood 4th or lower is suggested. An approved boost multiplies its
          score for that query by 1 + weight (at most 2); the search shows it in the hit’s explanation.
        </p>
        <IfAllowed op="approveSearchBoost" fallback={<NotAllowed what="approve or dismiss boosts (admins)" />}>
          <BoostSuggestions suggestions={a.boostSuggestions} />
        </IfAllowed>
        <BoostDecisions boosts={res.data.searchBoosts} />
      </section>
    </>
  );
}
