'use client';
// The awaiting-review list's bulk bar: the incidents selected in the table get ONE review covering
// them all (createReview takes several incidents), or join a review that is still a draft or in
// review (bulkUpdateIncidents' addToReviewId: all or nothing, each refusal in plain words). The list
// refreshes, the selection clears and the live region says what happened, with a link to the review.
import Link from 'next/link';
import { useState } from 'react';
import { FormError, str } from '@/components/forms';
import { BulkActionSelect, BulkApply, BulkCount, BulkOutcome, plural, useBulkOutcome } from '@/components/lists/bulk-outcome';
import { BulkSelect, type Option } from '@/components/lists/bulk-select';
import { useSelectedCount } from '@/components/lists/select-all-box';
import { BulkUpdateIncidentsDocument, CreateReviewDocument } from '@/gql/graphql';
import { localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';

type Picked = { id: string; number: string; title: string };

export function AwaitingReviewBar({
  form,
  incidents,
  users,
  reviews,
}: {
  form: string;
  incidents: Picked[];
  users: Option[];
  /** Reviews still open to more incidents (draft or in review). */
  reviews: (Option & { number: string })[];
}) {
  const start = useAction(CreateReviewDocument);
  const add = useAction(BulkUpdateIncidentsDocument);
  const selected = useSelectedCount(form);
  const [action, setAction] = useState<'start' | 'add'>('start');
  const outcome = useBulkOutcome<{ text: string; href: string; number: string }>(form);
  const done = outcome.done;

  return (
    <form
      id={form}
      className="bulk-bar"
      aria-label="Review the selected incidents"
      onSubmit={async (e) => {
        e.preventDefault();
        const ids = outcome.begin();
        const f = new FormData(e.currentTarget);
        if (!ids.length) return;
        if (action === 'start') {
          const lead = incidents.find((i) => i.id === ids[0]);
          const title = str(f, 'title') ?? (lead ? `Review of ${lead.number}: ${lead.title}` : 'Review');
          const r = await start.run({
            input: { incidentIds: ids, title, facilitatorId: str(f, 'facilitatorId'), meetingAt: localInputToIso(f.get('meetingAt')) },
          });
          if (!r) return;
          const { id, number } = r.createReview;
          outcome.succeeded({ text: `Review ${number} started for ${plural(ids.length, 'incident')}.`, href: `/reviews/${id}`, number });
        } else {
          const reviewId = String(f.get('reviewId') ?? '');
          const r = await add.run({ input: { incidentIds: ids, addToReviewId: reviewId } });
          if (!r) return;
          const out = r.bulkUpdateIncidents;
          if (out.errors.length) return outcome.refused(out.errors.map((x) => ({ id: x.incidentId, message: x.message })));
          const review = reviews.find((v) => v.id === reviewId);
          outcome.succeeded({
            text: `${plural(out.applied, 'incident')} added to ${review?.name ?? 'the review'}.`,
            href: `/reviews/${reviewId}`,
            number: review?.number ?? 'the review',
          });
        }
      }}
    >
      <BulkCount selected={selected} none="Select incidents below to review them together." />
      <BulkActionSelect
        value={action}
        onChange={setAction}
        options={[['start', 'Start one review'], reviews.length ? ['add', 'Add to a review'] : null]}
      />
      {action === 'start' ? (
        <>
          <label className="field inline">
            <span className="field-label">Title</span>
            <input type="text" name="title" maxLength={200} placeholder="Review of the first selected" />
          </label>
          <BulkSelect name="facilitatorId" label="Facilitator" options={users} empty="—" />
          <label className="field inline">
            <span className="field-label">Meeting (UTC)</span>
            <input type="datetime-local" name="meetingAt" />
          </label>
        </>
      ) : (
        <BulkSelect name="reviewId" label="Review" options={reviews} required />
      )}
      <BulkApply form={form} selected={selected} busy={start.busy || add.busy} ask={null} />
      <FormError error={action === 'start' ? start.error : add.error} />
      <BulkOutcome done={done?.text ?? null} refusals={outcome.refusals} asked={outcome.asked} noun="incident" />
      {done ? (
        <p className="small">
          <Link href={done.href}>Open {done.number}</Link>
        </p>
      ) : null}
    </form>
  );
}
