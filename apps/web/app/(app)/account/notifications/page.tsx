import type { Metadata } from 'next';
import { InboxList } from '@/components/my-notifications/inbox-list';
import { SettingsForm } from '@/components/my-notifications/settings-form';
import { SubscriptionForm } from '@/components/my-notifications/subscription-form';
import { SubscriptionList } from '@/components/my-notifications/subscription-list';
import { Empty, ErrorBox, PageHeader } from '@/components/ui';
import { MyNotificationsPageDocument } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Your notifications' };

// Any signed-in role: what you were told, how you are told, and what you listen to.
export default async function MyNotificationsPage() {
  const res = await gql(MyNotificationsPageDocument);
  if (res.error !== undefined) return <ErrorBox title="Your notifications could not be loaded" message={res.error} />;
  const { myNotificationSettings: s, myNotifications: inbox, notificationEvents: events, services, teams } = res.data;
  const labels = new Map(events.map((e) => [e.event as string, e.label]));
  return (
    <>
      <PageHeader
        title="Your notifications"
        lead={
          'What you were told about, how you are told (a mail as things happen, a daily digest, or only this list), ' +
          'and what you listen to.'
        }
      />
      <section className="panel" aria-labelledby="inbox-h">
        <h2 id="inbox-h">Your list</h2>
        {inbox.items.length ? (
          <InboxList items={inbox.items} unread={inbox.unread} />
        ) : (
          <Empty>Nothing yet. Subscribe below, or follow an incident from its page.</Empty>
        )}
      </section>
      <section className="panel" aria-labelledby="how-h">
        <h2 id="how-h">How you are told</h2>
        {s.mailConfigured ? (
          <p className="small">
            Mail goes to <span className="mono">{s.email}</span>
            {s.emailMode === 'DIGEST' && s.nextDigestAt ? `; your next digest: ${formatDateTime(s.nextDigestAt)}` : ''}.
          </p>
        ) : (
          <p className="notice small">
            This server sends no e-mail (its operator has not set SMTP_URL): your notifications are listed above.
          </p>
        )}
        <SettingsForm settings={s} events={events} />
      </section>
      <section className="panel" aria-labelledby="subs-h">
        <h2 id="subs-h">What you listen to</h2>
        {s.subscriptions.length ? (
          <SubscriptionList
            subscriptions={s.subscriptions}
            labels={labels}
            services={new Map(services.map((x) => [x.id, x.name]))}
            teams={new Map(teams.map((x) => [x.id, x.name]))}
          />
        ) : (
          <Empty>No subscriptions: you hear only of what concerns you (assigned to you, your action items, reviews awaiting you).</Empty>
        )}
        <h3>Subscribe</h3>
        <SubscriptionForm events={events} services={services} teams={teams} />
      </section>
    </>
  );
}
