import { formatDateTime, humanize } from '@/lib/format';

interface Event {
  id: string;
  seq?: number;
  at: string;
  kind: string;
  summary: string;
  actorName?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

function show(v: unknown): string {
  if (v == null) return '∅';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function changes(before?: Record<string, unknown> | null, after?: Record<string, unknown> | null): string | null {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  if (!keys.length) return null;
  return keys.map((k) => `${k}: ${show(before?.[k])} → ${show(after?.[k])}`).join('; ');
}

export function Timeline({ events, label }: { events: Event[]; label: string }) {
  if (!events.length) return <p className="empty">No events yet.</p>;
  return (
    <ol className="timeline" aria-label={label}>
      {events.map((e) => {
        const diff = e.kind === 'LOGGED' ? null : changes(e.before, e.after);
        return (
          <li key={e.id} className={`kind-${e.kind.toLowerCase()}`}>
            <div className="meta">
              <time dateTime={e.at}>{formatDateTime(e.at)}</time> · {humanize(e.kind)}
              {e.actorName ? ` · ${e.actorName}` : ''}
            </div>
            <div>{e.summary}</div>
            {diff ? <div className="changes">{diff}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}
