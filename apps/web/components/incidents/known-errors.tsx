// Known errors matching the incident, with their workarounds and how well each held.
import Link from 'next/link';
import { Empty, StatusBadge } from '@/components/ui';
import type { KnownErrorsFragment } from '@/gql/graphql';
import { formatMinutes } from '@/lib/format';
import { heldText } from '@/lib/held-share';
import { ApplyWorkaroundButton } from './apply-workaround-button';

export function KnownErrors({
  incident: i,
  work,
  appliedIds,
}: {
  incident: KnownErrorsFragment;
  work: boolean;
  appliedIds: ReadonlySet<string>;
}) {
  return (
    <>
      <h3>Matching known errors</h3>
      {i.matchingKnownErrors.length ? (
        <ul className="card-list">
          {i.matchingKnownErrors.map((m) => (
            <li key={m.problem.id}>
              <Link href={`/problems/${encodeURIComponent(m.problem.number)}`} className="mono">
                {m.problem.number}
              </Link>{' '}
              <strong>{m.problem.title}</strong> <StatusBadge status={m.problem.status} />
              <ul className="reasons" aria-label="Why it matched">
                {m.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              {m.problem.rootCause ? <p className="small">Root cause: {m.problem.rootCause}</p> : null}
              {m.problem.workarounds.length ? (
                <table className="data">
                  <caption>Workarounds</caption>
                  <thead>
                    <tr>
                      <th scope="col">Workaround</th>
                      <th scope="col" className="num">
                        Applied
                      </th>
                      <th scope="col" className="num">
                        Held (no reopen)
                      </th>
                      <th scope="col" className="num">
                        Median to resolve
                      </th>
                      <th scope="col">
                        <span className="visually-hidden">Action</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {m.problem.workarounds.map((w) => (
                      <tr key={w.id}>
                        <td>
                          <Link href={`/workarounds/${w.id}`}>{w.title}</Link>{' '}
                          {w.status !== 'ACTIVE' ? <StatusBadge status={w.status} /> : null}
                        </td>
                        <td className="num">{w.effectiveness.timesApplied}</td>
                        <td className="num">{heldText(w.effectiveness.resolvedWithoutReopenShare, w.effectiveness.inFlight)}</td>
                        <td className="num">{formatMinutes(w.effectiveness.medianMinutesToResolution)}</td>
                        <td>
                          {w.status === 'ACTIVE' && work ? (
                            appliedIds.has(w.id) ? (
                              <span className="muted small">Applied</span>
                            ) : (
                              <ApplyWorkaroundButton incidentId={i.id} workaroundId={w.id} title={w.title} />
                            )
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted small">No workaround linked.</p>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <Empty>No known error matches this incident&apos;s service, category or text.</Empty>
      )}
    </>
  );
}
