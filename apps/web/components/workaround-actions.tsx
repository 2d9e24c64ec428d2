'use client';
import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import {
  ApplyWorkaroundDocument,
  OpenIncidentPickerDocument,
  SetWorkaroundStatusDocument,
  UpdateWorkaroundDocument,
  type WorkaroundStatus,
} from '@/gql/graphql';
import { ConfirmButton } from '@/components/confirm-button';
import { describeError } from '@/lib/errors';
import { useAction } from '@/lib/use-action';
import { Field, FieldErrors, FormError, Submit, str } from './forms';

export function WorkaroundStatusButtons({ id, status, title }: { id: string; status: string; title: string }) {
  const { run, busy, error } = useAction(SetWorkaroundStatusDocument);
  const moves: [WorkaroundStatus, string][] =
    status === 'DRAFT'
      ? [
          ['ACTIVE', 'Activate'],
          ['RETIRED', 'Retire'],
        ]
      : status === 'ACTIVE'
        ? [['RETIRED', 'Retire']]
        : [['ACTIVE', 'Reactivate']];
  return (
    <div>
      <div className="actions">
        {moves.map(([to, label]) =>
          to === 'RETIRED' ? (
            <ConfirmButton
              key={to}
              label={label}
              small={false}
              question={`Retire the workaround “${title}”? Search and incident pages stop offering it; it can be reactivated.`}
              busy={busy}
              onConfirm={() => run({ id, status: to })}
            />
          ) : (
            <button key={to} type="button" className="btn primary" disabled={busy} aria-busy={busy} onClick={() => run({ id, status: to })}>
              {label}
            </button>
          ),
        )}
      </div>
      <FormError error={error} />
    </div>
  );
}

export function WorkaroundEditForm({ id, title, steps }: { id: string; title: string; steps: string }) {
  const { run, busy, error, errors, done } = useAction(UpdateWorkaroundDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ id, input: { title: str(f, 'title'), steps: str(f, 'steps') } });
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Title" wide>
          <input type="text" name="title" defaultValue={title} required />
        </Field>
        <Field
          label="Steps (Markdown)"
          wide
          hint={
            'Headings, nested lists, tables, task lists (- [ ]), **bold**, *italic*, ' +
            '~~strike~~, `code`, fenced code and links; raw HTML is shown as text'
          }
        >
          <textarea name="steps" defaultValue={steps} rows={10} required />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save</Submit>
        {done && !error ? (
          <span className="form-ok" role="status">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}

/** Find an open incident and record that this workaround was applied to it. */
export function ApplyToIncident({ workaroundId, title }: { workaroundId: string; title: string }) {
  const client = useApolloClient();
  const apply = useAction(ApplyWorkaroundDocument);
  const [results, setResults] = useState<{ id: string; number: string; title: string }[] | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [appliedTo, setAppliedTo] = useState<string | null>(null);
  return (
    <div>
      <form
        className="actions"
        role="search"
        onSubmit={async (e) => {
          e.preventDefault();
          setErr(null);
          const text = String(new FormData(e.currentTarget).get('text') ?? '');
          try {
            const r = await client.query({ query: OpenIncidentPickerDocument, variables: { text: text || undefined } });
            if (r.error) throw r.error;
            setResults(r.data?.incidents.nodes ?? []);
          } catch (x) {
            setErr(describeError(x));
          }
        }}
      >
        <label className="visually-hidden" htmlFor="apply-find">
          Find an open incident
        </label>
        <input id="apply-find" type="search" name="text" placeholder="Open incident number or text" style={{ maxWidth: '18rem' }} />
        <button type="submit" className="btn plain small">
          Find
        </button>
      </form>
      <FormError error={err ?? apply.error} />
      {appliedTo ? (
        <p className="form-ok" role="status">
          Applied to {appliedTo}.
        </p>
      ) : null}
      {results ? (
        results.length ? (
          <ul className="card-list" style={{ marginTop: '0.5rem' }}>
            {results.map((i) => (
              <li key={i.id}>
                <span className="mono">{i.number}</span> {i.title}{' '}
                <ConfirmButton
                  label="Apply"
                  variant="primary"
                  accessibleLabel={`Apply to ${i.number}`}
                  question={`Apply “${title}” to ${i.number}? It goes on the incident's timeline and counts in this workaround's use.`}
                  busy={apply.busy}
                  onConfirm={async () => {
                    if (await apply.run({ incidentId: i.id, workaroundId })) setAppliedTo(i.number);
                  }}
                />
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No open incident matches.</p>
        )
      ) : null}
    </div>
  );
}
