import type { Metadata } from 'next';
import Link from 'next/link';
import { ExportLink } from '@/components/export-link';
import { SelectAllBox } from '@/components/lists/select-all-box';
import { AwaitingReviewBar } from '@/components/reviews/awaiting-review-bar';
import { StartReviewButton } from '@/components/reviews/start-review-button';
import { Empty, ErrorBox, MajorBadge, PriorityBadge } from '@/components/ui';
import { AwaitingReviewListDocument, BulkReviewOptionsDocument, LookupsDocument } from '@/gql/graphql';
import { formatDate } from '@/lib/format';
import { gql, may } from '@/lib/server';
import { IfAllowed } from '@/components/if-allowed';

export const metadata: Metadata = { title: 'Awaiting review' };
const BULK_FORM = 'awaiting-bulk';

export default async function AwaitingReviewPage() {
  const [res, lookups, bulk] = await Promise.all([gql(AwaitingReviewListDocument), gql(LookupsDocument), may('createReview')]);
  const open = bulk ? await gql(BulkReviewOptionsDocument) : null;
  return (
    <>
      <h1>Incidents awaiting review</h1>
      <div className="list-tools">
        <ExportLink list="awaiting-review" />
      </div>
      <p className="lead">Priority 1–2 and major incidents that are resolved without a published review, longest waiting first.</p>
      {res.data && res.data.incidentsAwaitingReviewCount > res.data.incidentsAwaitingReview.length ? (
        <p className="small muted">
          Showing the {res.data.incidentsAwaitingReview.length} that have waited longest of {res.data.incidentsAwaitingReviewCount}; start a
          review of a newer one from its incident page.
        </p>
      ) : null}
      {res.error !== undefined ? (
        <ErrorBox title="The list could not be loaded" message={res.error} />
      ) : res.data.incidentsAwaitingReview.length === 0 ? (
        <Empty>Nothing awaits review: every major and priority 1–2 incident has a published review.</Empty>
      ) : (
        <>
          {bulk ? (
            <AwaitingReviewBar
              form={BULK_FORM}
              incidents={res.data.incidentsAwaitingReview.map((a) => a.incident)}
              users={(lookups.data?.users ?? []).map((u) => ({ id: u.id, name: u.name }))}
              reviews={(open?.data?.reviews.nodes ?? []).map((r) => ({ id: r.id, number: r.number, name: `${r.number} ${r.title}` }))}
            />
          ) : (
            <p className="read-only-note">Reviews are started by problem managers and admins.</p>
          )}
          <div className="table-wrap">
            <table className="data">
              <caption>
                {res.data.incidentsAwaitingReviewCount} incident{res.data.incidentsAwaitingReviewCount === 1 ? '' : 's'} awaiting review
              </caption>
              <thead>
                <tr>
                  {bulk ? (
                    <th scope="col" className="select-cell">
                      <SelectAllBox form={BULK_FORM} label="Select every incident awaiting review" />
                    </th>
                  ) : null}
                  <th scope="col">Incident</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Resolved</th>
                  <th scope="col" className="num">
                    Days waiting
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {res.data.incidentsAwaitingReview.map(({ incident: i, daysSinceResolution }) => (
                  <tr key={i.id}>
                    {bulk ? (
                      <td className="select-cell">
                        <input type="checkbox" name="incident" value={i.id} form={BULK_FORM} aria-label={`Select ${i.number}`} />
                      </td>
                    ) : null}
                    <td>
                      <Link href={`/incidents/${encodeURIComponent(i.number)}`} className="mono">
                        {i.number}
                      </Link>{' '}
                      {i.title} {i.major ? <MajorBadge /> : null}
                      <div className="muted small">{[i.service?.name, i.team?.name].filter(Boolean).join(' · ')}</div>
                    </td>
                    <td>
                      <PriorityBadge priority={i.priority} />
                    </td>
                    <td className="small nowrap">{formatDate(i.resolvedAt)}</td>
                    <td className="num">{daysSinceResolution}</td>
                    <td>
                      <IfAllowed op="createReview">
                        <StartReviewButton incidentId={i.id} title={`Review of ${i.number}: ${i.title}`} />
                      </IfAllowed>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
