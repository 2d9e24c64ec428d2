'use client';
// Find a problem and link the incident to it (recurrence is measured on that link), or unlink.
import { useProblemSearch } from '@/components/problems/use-problem-search';
import { LinkIncidentToProblemDocument, UnlinkIncidentFromProblemDocument } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function ProblemLinkForm({ incidentId, linked }: { incidentId: string; linked: boolean }) {
  const link = useAction(LinkIncidentToProblemDocument);
  const unlink = useAction(UnlinkIncidentFromProblemDocument);
  const { results, error: searchError, searching, search } = useProblemSearch();
  // Every message here is about the problem to link: the search box it was found with is described by it.
  const message = searchError ?? link.error ?? unlink.error;
  const errorId = `prb-${incidentId}-error`;
  return (
    <div>
      {linked ? (
        <p>
          <button
            type="button"
            className="btn plain small"
            disabled={unlink.busy}
            aria-busy={unlink.busy}
            onClick={() => unlink.run({ incidentId })}
          >
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
        <input
          id={`prb-${incidentId}`}
          type="search"
          name="text"
          placeholder="Find a problem by number or text"
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? errorId : undefined}
          style={{ maxWidth: '18rem' }}
        />
        <button type="submit" className="btn plain small" disabled={searching}>
          {searching ? 'Searching…' : 'Find'}
        </button>
      </form>
      {message ? (
        <p className="form-error" id={errorId} role="alert">
          {message}
        </p>
      ) : null}
      {results ? (
        results.length ? (
          <ul className="card-list" style={{ marginTop: '0.5rem' }}>
            {results.map((p) => (
              <li key={p.id}>
                <span className="mono">{p.number}</span> {p.title} <span className="muted small">({humanize(p.status)})</span>{' '}
                <button
                  type="button"
                  className="btn primary small"
                  disabled={link.busy}
                  aria-busy={link.busy}
                  onClick={() => link.run({ incidentId, problemId: p.id })}
                >
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
