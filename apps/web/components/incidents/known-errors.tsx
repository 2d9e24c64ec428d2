// Known errors matching the incident, with their workarounds and how well each held.
import Link from 'next/link';
import { EffectivenessLine } from '@/components/knowledge/effectiveness-line';
import { Empty, StatusBadge } from '@/components/ui';
import type { KnownErrorsFragment } from '@/gql/graphql';
import { formatMinutes } from '@/lib/format';
import { heldText } from '@/lib/held-share';
import { ApplyWorkaroundButton } from './apply-workaround-button';
import { reasonsText, strengthWords, SuggestionStrengthBadge } from './suggestion-strength';

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
      <h3 id="known-errors-h">Matching known errors</h3>
      {i.matchingKnownErrors.length ? (
        <ul className="card-list" aria-labelledby="known-errors-h">
          {i.matchingKnownErrors.map((m) => (
            <li key={m.problem.id}>
              <Link href={`/problems/${encodeURIComponent(m.problem.number)}`} className="mono">
                {m.problem.number}
              </Link>{' '}
              <strong>{m.problem.title}</strong> <StatusBadge status={m.problem.status} />{' '}
              <SuggestionStrengthBadge strength={m.strength} score={m.score} />
              <p className="small why">
                <span className="muted">Why: </span>
                {reasonsText(m.reasons)}
              </p>
              {m.problem.rootCause ? <p className="small">Root cause: {m.problem.rootCause}</p> : null}
              {m.problem.knowledgeEffectiveness ? <EffectivenessLine e={m.problem.knowledgeEffectiveness} compact /> : null}
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
                        Held (no reopen)<span className="visually-hidden">, of incidents with an outcome</span>
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
                              <ApplyWorkaroundButton
                                incidentId={i.id}
                                incidentNumber={i.number}
                                workaroundId={w.id}
                                title={w.title}
                                why={`Known error ${m.problem.number}, ${strengthWords(m.strength, m.score)}: ${reasonsText(m.reasons)}.`}
                              />
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
        <Empty>
          No known error fits this incident: a known error is offered when its symptom keywords are in the title, description or alerts, or
          its category matches; sharing the service alone is not enough.
        </Empty>
      )}
    </>
  );
}
