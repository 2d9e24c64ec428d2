// Published incidents as their public updates tell them: title, state, services, updates (newest first).
import type { StatusIncident } from '@/lib/status-api';

const when = (iso: string) => new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

export function StatusIncidents({ incidents, heading, id }: { incidents: StatusIncident[]; heading: string; id: string }) {
  if (!incidents.length) return null;
  return (
    <section className="status-section" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {incidents.map((i) => (
        <article key={i.id} className="status-incident" aria-label={i.title}>
          <h3>
            {i.title} <span className={`status-tag state-${i.state.toLowerCase()}`}>{i.stateLabel}</span>
          </h3>
          {i.services.length ? <p className="muted small">Affects {i.services.map((s) => s.name).join(', ')}</p> : null}
          <ol className="status-updates">
            {i.updates.map((u, n) => (
              <li key={n}>
                <strong>{u.stateLabel}</strong> <time dateTime={u.postedAt}>{when(u.postedAt)}</time>
                <p>{u.body}</p>
              </li>
            ))}
          </ol>
        </article>
      ))}
    </section>
  );
}
