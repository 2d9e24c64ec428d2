'use client';
// While a title is typed on the log form: the open incidents and known errors that look the same,
// with links, so the reporter can join the existing incident instead of logging a duplicate.
import Link from 'next/link';
import { PriorityBadge, StatusBadge } from '@/components/ui';
import { formatDateTime } from '@/lib/format';
import { usePossibleDuplicates } from './use-possible-duplicates';

export function PossibleDuplicates({ title }: { title: string }) {
  const { found, error } = usePossibleDuplicates(title);
  const d = found?.duplicates;
  const count = (d?.openIncidents.length ?? 0) + (d?.knownErrors.length ?? 0);
  return (
    <div aria-live="polite" className="duplicate-check">
      {error ? <p className="small muted">The duplicate check did not answer: {error}</p> : null}
      {d && count ? (
        <section className="duplicates" aria-labelledby="dup-h">
          <h2 id="dup-h">Already known? {count === 1 ? '1 look-alike' : `${count} look-alikes`}</h2>
          {d.openIncidents.length ? (
            <>
              <p className="small">Open incidents that look the same: add to one of them rather than logging a new one.</p>
              <ul aria-label="Open incidents that look the same">
                {d.openIncidents.map((m) => (
                  <li key={m.incident.id}>
                    <Link href={`/incidents/${encodeURIComponent(m.incident.number)}`}>
                      <span className="mono">{m.incident.number}</span> {m.incident.title}
                    </Link>{' '}
                    <PriorityBadge priority={m.incident.priority} /> <StatusBadge status={m.incident.status} />{' '}
                    <span className="small muted">
                      opened {formatDateTime(m.incident.openedAt)} ·{' '}
                      {m.incident.assignee
                        ? `assigned to ${m.incident.assignee.name}`
                        : m.incident.team
                          ? m.incident.team.name
                          : 'unassigned'}{' '}
                      · {m.reasons.join('; ')}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {d.knownErrors.length ? (
            <>
              <p className="small">Known errors with a workaround:</p>
              <ul aria-label="Known errors that look the same">
                {d.knownErrors.map((k) => (
                  <li key={k.problem.id}>
                    <Link href={`/problems/${encodeURIComponent(k.problem.number)}`}>
                      <span className="mono">{k.problem.number}</span> {k.problem.title}
                    </Link>{' '}
                    <span className="small muted">{k.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : found ? (
        <p className="small muted">No open incident or known error looks like “{found.title}”.</p>
      ) : null}
    </div>
  );
}
