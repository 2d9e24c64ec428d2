import type { Metadata } from 'next';
import { CreateAlertSourceForm } from '@/components/alert-sources/create-alert-source-form';
import { SourceRow } from '@/components/alert-sources/source-row';
import { apiBase } from '@/components/tokens/api-base';
import { Empty, ErrorBox, PageHeader } from '@/components/ui';
import { AdminAlertSourcesDocument } from '@/gql/graphql';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Alert sources' };

export default async function AlertSourcesPage() {
  const base = apiBase();
  const lead = (
    <>
      Senders of alerts (Alertmanager, Grafana, PagerDuty, Opsgenie, Datadog or a script) to <code>POST {base}/ingest/alerts</code>, each
      with its own token and classification rules. An alert opens an incident, is attached to the open one its earlier notifications opened,
      or reopens it when it fires again soon after a resolution (<code>reopenWindowMinutes</code> in the rules).
    </>
  );
  if (!(await may('createAlertSource'))) {
    return (
      <>
        <PageHeader title="Alert sources" lead={lead} />
        <p className="read-only-note">Alert sources are managed by admins.</p>
      </>
    );
  }
  const res = await gql(AdminAlertSourcesDocument);
  if (res.error !== undefined) return <ErrorBox title="Alert sources could not be loaded" message={res.error} />;
  const sources = res.data.alertSources;
  return (
    <>
      <PageHeader title="Alert sources" lead={lead} />
      {sources.length ? (
        <div className="table-wrap">
          <table className="data" data-testid="alert-sources">
            <caption>
              {sources.length} alert {sources.length === 1 ? 'source' : 'sources'}, by name. Alerts received counts repeats; distinct alerts
              counts identities (fingerprint and labels, or the sender's id); firing: not resolved yet.
            </caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Alerts received
                </th>
                <th scope="col" className="num">
                  Distinct alerts
                </th>
                <th scope="col" className="num">
                  Incidents
                </th>
                <th scope="col" className="num">
                  Firing
                </th>
                <th scope="col">Last alert</th>
                <th scope="col">Rules</th>
                <th scope="col">Manage</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <SourceRow key={s.id} source={s} apiBase={base} canManage />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>No alert sources yet. Add one below for each tool that sends alerts.</Empty>
      )}
      <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="new-h">
        <h2 id="new-h">Add an alert source</h2>
        <CreateAlertSourceForm apiBase={base} />
      </section>
    </>
  );
}
