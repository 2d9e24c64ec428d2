'use client';
// The incidents a review covers: add by number, remove (one always stays).
import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import {
  AddIncidentsToReviewDocument,
  IncidentIdByNumberDocument,
  RemoveIncidentsFromReviewDocument,
  type ReviewIncidentFragment,
} from '@/gql/graphql';
import { describeError } from '@/lib/errors';
import { useAction } from '@/lib/use-action';

export function ReviewIncidents({
  reviewId,
  incidents,
  editable,
}: {
  reviewId: string;
  incidents: ReviewIncidentFragment[];
  editable: boolean;
}) {
  const client = useApolloClient();
  const add = useAction(AddIncidentsToReviewDocument);
  const remove = useAction(RemoveIncidentsFromReviewDocument);
  const [err, setErr] = useState<string | null>(null);
  return (
    <div>
      <ul className="card-list">
        {incidents.map((i) => (
          <li key={i.id}>
            <a href={`/incidents/${encodeURIComponent(i.number)}`} className="mono">
              {i.number}
            </a>{' '}
            {i.title}{' '}
            {editable && incidents.length > 1 ? (
              <ConfirmButton
                label="Remove"
                accessibleLabel={`Remove ${i.number} from the review`}
                question={`Remove ${i.number} from this review? Its events leave the review timeline.`}
                busy={remove.busy}
                onConfirm={() => remove.run({ id: reviewId, incidentIds: [i.id] })}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {editable ? (
        <form
          className="actions"
          style={{ marginTop: '0.5rem' }}
          onSubmit={async (e) => {
            e.preventDefault();
            setErr(null);
            const form = e.currentTarget;
            const number = String(new FormData(form).get('number') ?? '').trim();
            if (!number) return;
            try {
              const r = await client.query({ query: IncidentIdByNumberDocument, variables: { number } });
              if (r.error) throw r.error;
              const inc = r.data?.incidentByNumber;
              if (!inc) return setErr(`No incident ${number}.`);
              if (await add.run({ id: reviewId, incidentIds: [inc.id] })) form.reset();
            } catch (x) {
              setErr(describeError(x));
            }
          }}
        >
          <label className="visually-hidden" htmlFor="add-inc">
            Incident number
          </label>
          <input id="add-inc" name="number" type="text" placeholder="INC-000123" style={{ maxWidth: '10rem' }} />
          <button type="submit" className="btn plain small" disabled={add.busy} aria-busy={add.busy}>
            Add incident
          </button>
        </form>
      ) : null}
      <FormError error={err ?? add.error ?? remove.error} />
    </div>
  );
}
