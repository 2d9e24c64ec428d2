// Similar past incidents and what fixed them (workaround, root cause), with the reasons they match.
import Link from 'next/link';
import { Empty, ErrorBox, PriorityBadge, StatusBadge } from '@/components/ui';
import type { SimilarIncidentsForFragment, SimilarIncidentsQuery } from '@/gql/graphql';
import { formatDate, humanize } from '@/lib/format';
import type { Result } from '@/lib/server';
import { ApplyWorkaroundButton } from './apply-workaround-button';

export function SimilarIncidents({
  incident: i,
  similar,
  work,
  appliedIds,
}: {
  incident: SimilarIncidentsForFragment;
  similar: Result<SimilarIncidentsQuery> | null;
  work: boolean;
  appliedIds: ReadonlySet<string>;
}) {
  return (
    <>
      <h3 id="similar-h">Similar past incidents and what fixed them</h3>
      {similar?.error ? (
        <ErrorBox title="Similar incidents could not be loaded" message={similar.error} />
      ) : similar?.data?.similarIncidents.length ? (
        <ul className="card-list similar" aria-labelledby="similar-h">
          {similar.data.similarIncidents.map((m) => (
            <li key={m.incident.id}>
              <Link href={`/incidents/${encodeURIComponent(m.incident.number)}`} className="mono">
                {m.incident.number}
              </Link>{' '}
              <strong>{m.incident.title}</strong> <PriorityBadge priority={m.incident.priority} />{' '}
              <span className="muted small">
                {[
                  m.incident.service?.name,
                  m.incident.resolvedAt ? `resolved ${formatDate(m.incident.resolvedAt)}` : null,
                  `score ${m.score.toFixed(2)}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
              <div className="fix small">
                <strong>Fixed by:</strong> {m.incident.resolution ? humanize(m.incident.resolution.kind) : 'Unknown'}
                {m.incident.resolution?.code ? ` (${m.incident.resolution.code})` : ''}
                {m.workaround ? (
                  <>
                    {' · workaround '}
                    <Link href={`/workarounds/${m.workaround.id}`}>{m.workaround.title}</Link>{' '}
                    {m.workaround.status !== 'ACTIVE' ? <StatusBadge status={m.workaround.status} /> : null}
                    {m.workaround.status === 'ACTIVE' && work ? (
                      appliedIds.has(m.workaround.id) ? (
                        <span className="muted small"> Applied</span>
                      ) : (
                        <>
                          {' '}
                          <ApplyWorkaroundButton
                            incidentId={i.id}
                            incidentNumber={i.number}
                            workaroundId={m.workaround.id}
                            title={m.workaround.title}
                            why={`It fixed ${m.incident.number} (similarity ${m.score.toFixed(2)}: ${m.reasons.join('; ')}).`}
                          />
                        </>
                      )
                    ) : null}
                  </>
                ) : null}
                {m.problem ? (
                  <>
                    {' · root cause '}
                    <Link href={`/problems/${encodeURIComponent(m.problem.number)}`}>
                      {m.problem.number} {m.problem.title}
                    </Link>
                  </>
                ) : null}
              </div>
              {m.fix ? <p className="small prewrap clamp">{m.fix}</p> : null}
              <ul className="reasons" aria-label="Why it is similar">
                {m.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <Empty>No resolved incident looks like this one yet.</Empty>
      )}
      <p className="small">
        <Link href={`/search?q=${encodeURIComponent(i.title)}&for=${encodeURIComponent(i.id)}`}>
          Search the solution catalog for “{i.title}”
        </Link>
      </p>
    </>
  );
}
