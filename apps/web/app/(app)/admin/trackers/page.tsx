import type { Metadata } from 'next';
import { SyncLog } from '@/components/trackers/sync-log';
import { TrackerCard } from '@/components/trackers/tracker-card';
import { TrackerForm } from '@/components/trackers/tracker-form';
import { Empty, ErrorBox, PageHeader } from '@/components/ui';
import { AdminTrackersDocument } from '@/gql/graphql';
import { apiBase } from '@/components/tokens/api-base';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Trackers' };

export default async function TrackersPage() {
  const lead = (
    <>
      Jira Cloud projects and GitHub repositories action items can be pushed to. Title, due date and owner flow out; done, won&apos;t do and
      reopen come back through the tracker&apos;s webhook (the later change wins). A tracker that is down gets the change later.
    </>
  );
  if (!(await may('createTrackerConnection'))) {
    return (
      <>
        <PageHeader title="Trackers" lead={lead} />
        <p className="read-only-note">Tracker connections are managed by admins.</p>
      </>
    );
  }
  const res = await gql(AdminTrackersDocument);
  if (res.error !== undefined) return <ErrorBox title="Trackers could not be loaded" message={res.error} />;
  // The webhook goes to the API itself, at the address alert sources are shown too.
  const hookBase = apiBase();
  const { trackerConnections: connections, trackerSyncLog: log } = res.data;
  return (
    <>
      <PageHeader title="Trackers" lead={lead} />
      {connections.length ? (
        connections.map((c) => <TrackerCard key={c.id} c={c} hookBase={hookBase} />)
      ) : (
        <Empty>No trackers yet. Add a Jira Cloud project or a GitHub repository below.</Empty>
      )}
      <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="new-h">
        <h2 id="new-h">Add a tracker</h2>
        <TrackerForm hookBase={hookBase} />
      </section>
      <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="log-h">
        <h2 id="log-h">Sync log</h2>
        <SyncLog rows={log} />
      </section>
    </>
  );
}
