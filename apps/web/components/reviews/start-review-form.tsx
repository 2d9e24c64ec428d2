'use client';
// Start a review covering the picked incidents (awaiting-review page).
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field, FormError, OptionSelect, str, type Option } from '@/components/forms';
import { CreateReviewDocument, type StartReviewIncidentFragment } from '@/gql/graphql';
import { localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function StartReviewForm({ incidents, users }: { incidents: StartReviewIncidentFragment[]; users: Option[] }) {
  const router = useRouter();
  const { run, busy, error } = useAction(CreateReviewDocument);
  const [picked, setPicked] = useState<string[]>([]);
  const first = incidents.find((i) => i.id === picked[0]);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const r = await run(
          {
            input: {
              incidentIds: picked,
              title: str(f, 'title') ?? (first ? `Review of ${first.number}: ${first.title}` : 'Review'),
              facilitatorId: str(f, 'facilitatorId'),
              meetingAt: localInputToIso(f.get('meetingAt')),
            },
          },
          { refresh: false },
        );
        if (r) router.push(`/reviews/${r.createReview.id}`);
      }}
    >
      <fieldset>
        <legend>Incidents to cover</legend>
        <ul className="card-list" style={{ maxHeight: '24rem', overflowY: 'auto' }}>
          {incidents.map((i) => (
            <li key={i.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={picked.includes(i.id)}
                  onChange={(e) => setPicked((p) => (e.target.checked ? [...p, i.id] : p.filter((x) => x !== i.id)))}
                />
                <span className="mono">{i.number}</span> {i.title}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="form" style={{ marginTop: '0.75rem' }}>
        <Field label="Title" wide hint="Default: Review of the first incident picked">
          <input type="text" name="title" placeholder={first ? `Review of ${first.number}: ${first.title}` : ''} />
        </Field>
        <Field label="Facilitator">
          <OptionSelect name="facilitatorId" options={users} empty="—" />
        </Field>
        <Field label="Meeting (UTC)">
          <input type="datetime-local" name="meetingAt" />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <button type="submit" className="btn primary" disabled={busy || picked.length === 0}>
            {busy ? 'Working…' : `Start review of ${picked.length || 'the picked'} incident${picked.length === 1 ? '' : 's'}`}
          </button>
        </div>
      </div>
    </form>
  );
}
