import { REVIEW_STATUSES } from '@ikb/domain';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Empty, ErrorBox, Pager, PriorityBadge, StatusBadge } from '@/components/ui';
import { ReviewListDocument, type ReviewStatus } from '@/gql/graphql';
import { formatDate, humanize } from '@/lib/format';
import { many, one, type SearchParams } from '@/lib/params';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Reviews' };

export default async function ReviewsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const status = many(sp, 'status').filter((s): s is ReviewStatus => (REVIEW_STATUSES as readonly string[]).includes(s));
  const after = one(sp, 'after');
  const res = await gql(ReviewListDocument, { first: 25, after, filter: status.length ? { status } : undefined });
  return (
    <>
      <h1>Post-incident reviews</h1>
      <form className="filters" method="get" action="/reviews" aria-label="Filter reviews">
        <div className="form">
          <fieldset>
            <legend>Status</legend>
            <div className="checks">
              {REVIEW_STATUSES.map((s) => (
                <label key={s}>
                  <input type="checkbox" name="status" value={s} defaultChecked={status.includes(s)} /> {humanize(s)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="actions">
            <button className="btn primary" type="submit">
              Apply
            </button>
          </div>
        </div>
      </form>
      {res.error !== undefined ? (
        <ErrorBox title="Reviews could not be loaded" message={res.error} />
      ) : res.data.reviews.nodes.length === 0 ? (
        <Empty>
          No reviews{status.length ? ' with this status' : ' yet'}. Start one from <Link href="/reviews/awaiting">the incidents awaiting review</Link>.
        </Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <caption>{res.data.reviews.totalCount} reviews, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Title</th>
                  <th scope="col">Status</th>
                  <th scope="col">Incidents</th>
                  <th scope="col">Facilitator</th>
                  <th scope="col">Action items</th>
                  <th scope="col">Missing</th>
                  <th scope="col">Published</th>
                </tr>
              </thead>
              <tbody>
                {res.data.reviews.nodes.map((r) => {
                  const open = r.actionItems.filter((a) => a.status === 'OPEN' || a.status === 'IN_PROGRESS').length;
                  const overdue = r.actionItems.filter((a) => a.overdue).length;
                  return (
                    <tr key={r.id}>
                      <td className="mono">
                        <Link href={`/reviews/${r.id}`}>{r.number}</Link>
                      </td>
                      <td className="title-cell">
                        <Link href={`/reviews/${r.id}`}>{r.title}</Link>
                      </td>
                      <td>
                        <StatusBadge status={r.status} />
                      </td>
                      <td className="small">
                        {r.incidents.map((i) => (
                          <div key={i.id}>
                            <Link href={`/incidents/${encodeURIComponent(i.number)}`}>{i.number}</Link> <PriorityBadge priority={i.priority} />
                          </div>
                        ))}
                      </td>
                      <td>{r.facilitator?.name ?? '—'}</td>
                      <td className="small">
                        {r.actionItems.length} ({open} open{overdue ? `, ${overdue} overdue` : ''})
                      </td>
                      <td className="small">{r.status === 'PUBLISHED' ? '—' : r.missingSections.length ? r.missingSections.map(humanize).join(', ') : 'none'}</td>
                      <td className="small nowrap">{formatDate(r.publishedAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager
            basePath="/reviews"
            params={{ status: status.join(',') || undefined }}
            endCursor={res.data.reviews.pageInfo.endCursor}
            hasNextPage={res.data.reviews.pageInfo.hasNextPage}
            isFirstPage={!after}
            shown={res.data.reviews.nodes.length}
            total={res.data.reviews.totalCount}
          />
        </>
      )}
    </>
  );
}
