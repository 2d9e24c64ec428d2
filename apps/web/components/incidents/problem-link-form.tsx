'use client';
// Find a problem and link the incident to it (recurrence is measured on that link), or unlink.
import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { FormError } from '@/components/forms';
import { LinkIncidentToProblemDocument, ProblemPickerDocument, UnlinkIncidentFromProblemDocument } from '@/gql/graphql';
import { describeError } from '@/lib/errors';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function ProblemLinkForm({ incidentId, linked }: { incidentId: string; linked: boolean }) {
  const client = useApolloClient();
  const link = useAction(LinkIncidentToProblemDocument);
  const unlink = useAction(UnlinkIncidentFromProblemDocument);
  const [results, setResults] = useState<{ id: string; number: string; title: string; status: string }[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  async function search(text: string) {
    setSearching(true);
    setSearchError(null);
    try {
      const r = await client.query({ query: ProblemPickerDocument, variables: { text: text || undefined } });
      if (r.error) throw r.error;
      setResults(r.data?.problems.nodes ?? []);
    } catch (err) {
      setSearchError(describeError(err));
    } finally {
      setSearching(false);
    }
  }
  return (
    <div>
      {linked ? (
        <p>
          <button type="button" className="btn plain small" disabled={unlink.busy} aria-busy={unlink.busy} onClick={() => unlink.run({ incidentId })}>
            Unlink from problem
          </button>
        </p>
      ) : null}
      <form
        className="actions"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          search(String(new FormData(e.currentTarget).get('text') ?? ''));
        }}
      >
        <label className="visually-hidden" htmlFor={`prb-${incidentId}`}>
          Find a problem
        </label>
        <input id={`prb-${incidentId}`} type="search" name="text" placeholder="Find a problem by number or text" style={{ maxWidth: '18rem' }} />
        <button type="submit" className="btn plain small" disabled={searching}>
          {searching ? 'Searching…' : 'Find'}
        </button>
      </form>
      <FormError error={searchError ?? link.error ?? unlink.error} />
      {results ? (
        results.length ? (
          <ul className="card-list" style={{ marginTop: '0.5rem' }}>
            {results.map((p) => (
              <li key={p.id}>
                <span className="mono">{p.number}</span> {p.title} <span className="muted small">({humanize(p.status)})</span>{' '}
                <button type="button" className="btn primary small" disabled={link.busy} aria-busy={link.busy} onClick={() => link.run({ incidentId, problemId: p.id })}>
                  Link
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No problem matches.</p>
        )
      ) : null}
    </div>
  );
}
