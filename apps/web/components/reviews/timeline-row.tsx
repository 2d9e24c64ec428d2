'use client';
// One entry of the review timeline: star, hide, annotate, remove (entries added by reviewers only).
import { useState } from 'react';
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { CurateTimelineEntryDocument, RemoveTimelineEntryDocument, type ReviewTimelineRowFragment } from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function TimelineRow({ reviewId, item, editable }: { reviewId: string; item: ReviewTimelineRowFragment; editable: boolean }) {
  const curate = useAction(CurateTimelineEntryDocument);
  const remove = useAction(RemoveTimelineEntryDocument);
  const [annotating, setAnnotating] = useState(false);
  return (
    <li className={`${item.starred ? 'starred' : ''} ${item.hidden ? 'hidden-entry' : ''} kind-${item.kind.toLowerCase()}`}>
      <div className="meta">
        <time dateTime={item.at}>{formatDateTime(item.at)}</time> · {humanize(item.kind)}
        {item.incidentNumber ? ` · ${item.incidentNumber}` : ''}
        {item.actorName ? ` · ${item.actorName}` : ''}
        {item.source === 'ADDED' ? ' · added by reviewers' : ''}
        {item.hidden ? ' · hidden' : ''}
      </div>
      <div>
        {item.starred ? <span aria-label="Starred">★ </span> : null}
        {item.summary}
      </div>
      {item.annotation ? <div className="annotation">Note: {item.annotation}</div> : null}
      {editable && !item.curatable ? (
        <div className="muted small">From the incident record: not curated here (add an entry to comment on it).</div>
      ) : null}
      {editable && item.curatable ? (
        <div className="actions small">
          <button
            type="button"
            className="btn link small"
            aria-pressed={item.starred}
            disabled={curate.busy}
            aria-busy={curate.busy}
            onClick={() => curate.run({ id: reviewId, entryId: item.id, input: { starred: !item.starred } })}
          >
            {item.starred ? 'Unstar' : 'Star'}
          </button>
          <button
            type="button"
            className="btn link small"
            aria-pressed={item.hidden}
            disabled={curate.busy}
            aria-busy={curate.busy}
            onClick={() => curate.run({ id: reviewId, entryId: item.id, input: { hidden: !item.hidden } })}
          >
            {item.hidden ? 'Show' : 'Hide'}
          </button>
          <button type="button" className="btn link small" aria-expanded={annotating} onClick={() => setAnnotating((a) => !a)}>
            Annotate
          </button>
          {item.source === 'ADDED' ? (
            <ConfirmButton
              label="Remove"
              accessibleLabel={`Remove entry: ${item.summary.slice(0, 60)}`}
              question={`Remove the entry “${item.summary.slice(0, 60)}” that reviewers added? It leaves the review timeline.`}
              busy={remove.busy}
              onConfirm={() => remove.run({ id: reviewId, entryId: item.id })}
            />
          ) : null}
        </div>
      ) : null}
      {annotating ? (
        <form
          className="actions"
          onSubmit={async (e) => {
            e.preventDefault();
            const text = String(new FormData(e.currentTarget).get('annotation') ?? '');
            if (await curate.run({ id: reviewId, entryId: item.id, input: { annotation: text } })) setAnnotating(false);
          }}
        >
          <label className="visually-hidden" htmlFor={`ann-${item.id}`}>
            Annotation
          </label>
          <input
            id={`ann-${item.id}`}
            type="text"
            name="annotation"
            defaultValue={item.annotation ?? ''}
            style={{ maxWidth: '28rem' }}
            autoFocus
          />
          <button type="submit" className="btn primary small">
            Save note
          </button>
        </form>
      ) : null}
      <FormError error={curate.error ?? remove.error} />
    </li>
  );
}
