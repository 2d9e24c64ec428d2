'use client';
// The awaiting-review list's bulk bar: the incidents selected in the table get ONE review covering
// them all (createReview takes several incidents), or join a review that is still a draft or in
// review (bulkUpdateIncidents' addToReviewId: all or nothing, each refusal in plain words). The list
// refreshes, the selection clears and the live region says what happened, with a link to the review.
import Link from 'next/link';
import { useState } from 'react';
import { FormError, str } from '@/components/forms';
import { BulkApply, BulkOutcome, plural } from '@/components/lists/bulk-outcome';
import { BulkSelect, type Option } from '@/components/lists/bulk-select';
import { clearSelection, selectedIds, useSelectedCount } from '@/components/lists/select-all-box';
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
  const [refusals, setRefusals] = useState<{ id: string; message: string }[]>([]);
  const [asked, setAsked] = useState(0);
  const [done, setDone] = useState<{ text: string; href: string; number: string } | null>(null);

  return (
    <form
      id={form}
      className="bulk-bar"
      aria-label="Review the selected incidents"
      onSubmit={async (e) => {
        e.preventDefault();
        const ids = selectedIds(form);
        const f = new FormData(e.currentTarget);
        setRefusals([]);
        setDone(null);
        if (!ids.length) return;
        setAsked(ids.length);
        if (action === 'start') {
          const lead = incidents.find((i) => i.id === ids[0]);
          const title = str(f, 'title') ?? (lead ? `Review of ${lead.number}: ${lead.title}` : 'Review');
          const r = await start.run({
            input: { incidentIds: ids, title, facilitatorId: str(f, 'facilitatorId'), meetingAt: localInputToIso(f.get('meetingAt')) },
          });
          if (!r) return;
          const { id, number } = r.createReview;
          setDone({ text: `Review ${number} started for ${plural(ids.length, 'incident')}.`, href: `/reviews/${id}`, number });
        } else {
          const reviewId = String(f.get('reviewId') ?? '');
          const r = await add.run({ input: { incidentIds: ids, addToReviewId: reviewId } });
          if (!r) return;
          const out = r.bulkUpdateIncidents;
          if (out.errors.length) return setRefusals(out.errors.map((x) => ({ id: x.incidentId, message: x.message })));
          const review = reviews.find((v) => v.id === reviewId);
          setDone({
            text: `${plural(out.applied, 'incident')} added to ${review?.name ?? 'the review'}.`,
            href: `/reviews/${reviewId}`,
            number: review?.number ?? 'the review',
          });
        }
        clearSelection(form);
      }}
    >
      <p className="bulk-count" aria-live="polite">
        {selected ? `${selected} selected` : 'Select incidents below to review them together.'}
      </p>
      <label className="field inline">
        <span className="field-label">Action</span>
        <select value={action} onChange={(e) => setAction(e.currentTarget.value as 'start' | 'add')}>
          <option value="start">Start one review</option>
          {reviews.length ? <option value="add">Add to a review</option> : null}
        </select>
      </label>
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
      <BulkOutcome done={done?.text ?? null} refusals={refusals} asked={asked} noun="incident" />
      {done ? (
        <p className="small">
          <Link href={done.href}>Open {done.number}</Link>
        </p>
      ) : null}
    </form>
  );
}
