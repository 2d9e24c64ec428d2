import { REVIEW_STATUSES, SAVED_VIEW_KEYS } from '@ikb/domain';
import type { Metadata } from 'next';
import Link from 'next/link';
import { SavedViewsPanel, filtersFromParams } from '@/components/lists/saved-views-panel';
import { ExportLink } from '@/components/export-link';
import { ReviewRow } from '@/components/reviews/review-row';
import { Empty, ErrorBox, Pager } from '@/components/ui';
import { ReviewListDocument } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { reviewStatuses } from '@/lib/list-params';
import { one, type SearchParams } from '@/lib/params';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Reviews' };

export default async function ReviewsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const status = reviewStatuses(sp);
  const after = one(sp, 'after');
  const res = await gql(ReviewListDocument, { first: 25, after, filter: status.length ? { status } : undefined });
  return (
    <>
      <h1>Post-incident reviews</h1>
      <SavedViewsPanel list="REVIEWS" filters={filtersFromParams(sp, SAVED_VIEW_KEYS.REVIEWS)} />
      <div className="list-tools">
        <ExportLink list="reviews" searchParams={sp} />
      </div>
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
          No reviews{status.length ? ' with this status' : ' yet'}. Start one from{' '}
          <Link href="/reviews/awaiting">the incidents awaiting review</Link>.
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
                {res.data.reviews.nodes.map((r) => (
                  <ReviewRow key={r.id} review={r} />
                ))}
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
