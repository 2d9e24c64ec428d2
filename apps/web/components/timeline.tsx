import { statusMovesInWords } from '@ikb/domain';
import type { TimelineIncidentEventFragment, TimelineProblemEventFragment, TimelineReviewEventFragment } from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';
import { Markdown } from './markdown';

/** Incident events carry what changed, in words; problem and review events do not. */
type Event = TimelineIncidentEventFragment | TimelineProblemEventFragment | TimelineReviewEventFragment;

/** Kinds whose name alone would be ambiguous: an internal note must never read like something sent out. */
const KIND_LABELS: Record<string, string> = {
  WORK_NOTE: 'Work note',
  STAKEHOLDER_UPDATE: 'Stakeholder update',
  DR_PLAN_TRIGGERED: 'Disaster-recovery plan triggered',
};

// An instant in an event's before/after (resolvedAt, detectedAt ...) reads like every other date.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
// The API words a change's instants as "2026-12-06 14:55 UTC" (readable in any client); shown here as every date.
const API_INSTANT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC$/;
function show(v: string | null | undefined): string {
  if (v == null) return '∅';
  if (INSTANT.test(v)) return formatDateTime(v);
  const m = API_INSTANT.exec(v);
  return m ? formatDateTime(`${m[1]}T${m[2]}:00Z`) : v;
}

/** Status moves are stored as codes ("INVESTIGATING -> ON_HOLD"); people read them in words. */
function summaryOf(e: Event): string {
  return e.kind === 'STATUS_CHANGED' || e.kind === 'ACTION_ITEM_STATUS' ? statusMovesInWords(e.summary) : e.summary;
}

function changes(e: Event): string | null {
  if (e.kind === 'LOGGED' || !('changes' in e) || !e.changes.length) return null;
  return e.changes.map((c) => `${c.field}: ${show(c.before)} → ${show(c.after)}`).join('; ');
}

export function Timeline({ events, label }: { events: Event[]; label: string }) {
  if (!events.length) return <p className="empty">No events yet.</p>;
  return (
    <ol className="timeline" aria-label={label}>
      {events.map((e) => {
        const diff = changes(e);
        const text = 'markdown' in e && e.markdown ? e.markdown : null;
        return (
          <li key={e.id} className={`kind-${e.kind.toLowerCase()}`}>
            <div className="meta">
              <time dateTime={e.at}>{formatDateTime(e.at)}</time> ·{' '}
              {e.kind === 'WORK_NOTE' ? (
                <span className="badge work-note">Work note · internal</span>
              ) : e.kind === 'STAKEHOLDER_UPDATE' ? (
                <span className="badge stakeholder-update">Stakeholder update</span>
              ) : (
                (KIND_LABELS[e.kind] ?? humanize(e.kind))
              )}
              {e.actorName ? ` · ${e.actorName}` : ''}
            </div>
            {text && e.kind === 'WORK_NOTE' ? (
              <div className="note-body">
                <Markdown source={text} />
              </div>
            ) : (
              <div>{summaryOf(e)}</div>
            )}
            {diff ? <div className="changes">{diff}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}
