// MRR per bucket as bars drawn in SVG on the server (no script, no inline styles: the CSP holds),
// with the numbers in a table for screen readers and copying.
import type { SearchAnalyticsPageQuery } from '@/gql/graphql';
import { formatDate } from '@/lib/format';
import { mrrText } from '@/lib/search-analytics';

type Bucket = SearchAnalyticsPageQuery['searchAnalytics']['mrr'][number];

export function MrrChart({ buckets }: { buckets: Bucket[] }) {
  const W = 720;
  const H = 160;
  const w = W / Math.max(buckets.length, 1);
  return (
    <figure className="mrr-chart">
      <svg viewBox={`0 0 ${W} ${H + 20}`} role="img" aria-label="Mean reciprocal rank per bucket, 0 to 1" width="100%">
        <line x1="0" y1={H} x2={W} y2={H} stroke="currentColor" strokeOpacity="0.3" />
        {buckets.map((b, i) =>
          b.mrr == null ? null : (
            <rect key={b.start} x={i * w + 1} y={H - b.mrr * H} width={Math.max(w - 2, 1)} height={b.mrr * H} fill="#3b6ea5">
              <title>{`${formatDate(b.start)}: MRR ${mrrText(b.mrr)} over ${b.searches} searches`}</title>
            </rect>
          ),
        )}
        <text x="0" y={H + 16} fontSize="11" fill="currentColor">
          {buckets[0] ? formatDate(buckets[0].start) : ''}
        </text>
        <text x={W} y={H + 16} fontSize="11" fill="currentColor" textAnchor="end">
          {buckets.at(-1) ? formatDate(buckets.at(-1)!.start) : ''}
        </text>
      </svg>
      <details className="small">
        <summary>The figures</summary>
        <div className="table-wrap">
          <table className="table" data-table="mrr">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col" className="num">
                  Searches
                </th>
                <th scope="col" className="num">
                  With an open
                </th>
                <th scope="col" className="num">
                  MRR
                </th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((b) => (
                <tr key={b.start}>
                  <td>{formatDate(b.start)}</td>
                  <td className="num">{b.searches}</td>
                  <td className="num">{b.searchesWithOpen}</td>
                  <td className="num">{mrrText(b.mrr)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
