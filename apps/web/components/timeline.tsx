import type { TimelineIncidentEventFragment, TimelineProblemEventFragment, TimelineReviewEventFragment } from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';

/** Incident events carry what changed (before and after); problem and review events do not. */
type Event = TimelineIncidentEventFragment | TimelineProblemEventFragment | TimelineReviewEventFragment;

// An instant in an event's before/after (resolvedAt, detectedAt ...) reads like every other date.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function show(v: unknown): string {
  if (v == null) return '∅';
  if (typeof v === 'string') return INSTANT.test(v) ? formatDateTime(v) : v;
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
        const diff = e.kind === 'LOGGED' || !('before' in e) ? null : changes(e.before, e.after);
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
