// Who was told what about this incident, and when (incidentNotifications): each notification with
// the channels and people it went to and how each went; and the Follow button.
import type { IncidentNotificationsQuery } from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';
import { FollowButton } from './follow-button';

type Data = IncidentNotificationsQuery['incidentNotifications'];

const STATUS_WORDS: Record<string, string> = {
  DELIVERED: 'delivered',
  PENDING: 'waiting',
  DEAD: 'failed',
  MAILED: 'mailed',
  MAIL_PENDING: 'mail waiting',
  MAIL_FAILED: 'mail failed',
  IN_APP: 'in their list',
};

export function NotificationsPanel({ incident, data }: { incident: { id: string; number: string }; data: Data }) {
  return (
    <section className="panel" aria-labelledby="told-h">
      <div className="panel-head">
        <h2 id="told-h">Who was told</h2>
        <FollowButton incidentId={incident.id} following={data.following} number={incident.number} />
      </div>
      {data.notices.length ? (
        <ul className="inbox" aria-label={`Notifications about ${incident.number}`}>
          {data.notices.map((n) => (
            <li key={n.id}>
              <strong>{humanize(n.event)}</strong> <span className="muted small">{formatDateTime(n.occurredAt)}</span>
              {n.text ? (
                <p className="small" style={{ margin: '.2rem 0', whiteSpace: 'pre-wrap' }}>
                  {n.text}
                </p>
              ) : null}
              <p className="small" style={{ margin: 0 }}>
                {n.recipients.length
                  ? n.recipients
                      .map((r) => `${r.kind === 'CHANNEL' ? '#' : ''}${r.name} (${STATUS_WORDS[r.status] ?? r.status.toLowerCase()})`)
                      .join(', ')
                  : 'Nobody: no channel rule or subscription matched.'}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">Nothing has been sent about this incident yet.</p>
      )}
    </section>
  );
}
