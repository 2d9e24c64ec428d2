'use client';
// Your notifications, newest first; unread ones are marked, and "Mark all read" settles them.
import { MarkNotificationsReadDocument, type MyNotificationsPageQuery } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useAction } from '@/lib/use-action';

type Item = MyNotificationsPageQuery['myNotifications']['items'][number];

export function InboxList({ items, unread }: { items: Item[]; unread: number }) {
  const { run, busy, error } = useAction(MarkNotificationsReadDocument);
  return (
    <>
      <div className="actions" style={{ marginBottom: '.5rem' }}>
        <span className="muted small" aria-live="polite">
          {unread} unread
        </span>
        {unread ? (
          <button type="button" className="btn small" disabled={busy} aria-busy={busy} onClick={() => run({ ids: null })}>
            Mark all read
          </button>
        ) : null}
        {error ? (
          <span role="alert" className="form-error small">
            {error}
          </span>
        ) : null}
      </div>
      <ul className="inbox" aria-label="Your notifications">
        {items.map((n) => (
          <li key={n.id} className={n.readAt ? undefined : 'unread'}>
            {n.readAt ? null : <span className="visually-hidden">Unread: </span>}
            <a href={new URL(n.url, 'http://x').pathname}>{n.title}</a>
            {n.text ? (
              <p className="small" style={{ margin: '.2rem 0', whiteSpace: 'pre-wrap' }}>
                {n.text}
              </p>
            ) : null}
            <span className="muted small">
              {formatDateTime(n.occurredAt)}
              {n.mailedAt ? ' · mailed' : ''}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
