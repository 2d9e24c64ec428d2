import type { Metadata } from 'next';
import { ChannelCard } from '@/components/notifications/channel-card';
import { ChannelForm } from '@/components/notifications/channel-form';
import { DeliveryLog } from '@/components/notifications/delivery-log';
import { MailLog } from '@/components/notifications/mail-log';
import { Empty, ErrorBox, PageHeader } from '@/components/ui';
import { AdminNotificationsDocument } from '@/gql/graphql';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage() {
  const lead = (
    <>
      Chat channels (Slack, Microsoft Teams, Mattermost) and signed webhooks that hear of incidents as they happen: P1 and major incidents,
      raised priorities, stakeholder updates, resolutions and more. Sending never holds up the change that caused it; failed sends are
      retried for about five hours, then kept here to send again.
    </>
  );
  if (!(await may('createNotificationChannel'))) {
    return (
      <>
        <PageHeader title="Notifications" lead={lead} />
        <p className="read-only-note">Notification channels are managed by admins.</p>
      </>
    );
  }
  const res = await gql(AdminNotificationsDocument);
  if (res.error !== undefined) return <ErrorBox title="Notifications could not be loaded" message={res.error} />;
  const { notificationChannels: channels, notificationEvents: events, notificationDeliveries: deliveries, services } = res.data;
  const { notificationMails: mails, myNotificationSettings: mailSettings, teams } = res.data;
  const names = { services: new Map(services.map((s) => [s.id, s.name])), teams: new Map(teams.map((t) => [t.id, t.name])) };
  return (
    <>
      <PageHeader title="Notifications" lead={lead} />
      {channels.length ? (
        channels.map((c) => <ChannelCard key={c.id} channel={c} events={events} names={names} />)
      ) : (
        <Empty>No channels yet. Add one below for each chat channel or receiver that should hear of incidents.</Empty>
      )}
      <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="new-h">
        <h2 id="new-h">Add a channel</h2>
        <ChannelForm events={events} services={services} teams={teams} />
      </section>
      <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="log-h">
        <h2 id="log-h">Delivery log</h2>
        <DeliveryLog deliveries={deliveries} channels={new Map(channels.map((c) => [c.id, c.name]))} />
      </section>
      <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="mail-h">
        <h2 id="mail-h">E-mail log</h2>
        <MailLog mails={mails} mailConfigured={mailSettings.mailConfigured} />
      </section>
    </>
  );
}
