import type { Metadata } from 'next';
import { CreatePolicyForm } from '@/components/admin/create-policy-form';
import { EditPolicyForm } from '@/components/admin/edit-policy-form';
import { MakeDefaultButton } from '@/components/admin/make-default-button';
import { ServicePolicySelect } from '@/components/admin/service-policy-select';
import { Empty, ErrorBox } from '@/components/ui';
import { AdminSlaPoliciesDocument } from '@/gql/graphql';
import { PRIORITY_LABELS, formatDateTime, formatMinutes, humanize } from '@/lib/format';
import { gql } from '@/lib/server';
import { IfAllowed } from '@/components/if-allowed';

export const metadata: Metadata = { title: 'SLA policies' };

export default async function SlaPoliciesPage() {
  const res = await gql(AdminSlaPoliciesDocument);
  if (res.error !== undefined) return <ErrorBox title="SLA policies could not be loaded" message={res.error} />;
  const calendars = res.data.businessCalendars.map((c) => ({ id: c.id, name: `${c.name} (${c.timeZone})` }));
  const policies = res.data.slaPolicies.map((p) => ({ id: p.id, name: p.isDefault ? `${p.name} (default)` : p.name }));
  return (
    <>
      <h1>SLA policies</h1>
      <p className="lead">
        Per priority, a response and a resolution target in business minutes of a calendar. Editing makes a new version; incidents keep the
        version they started under.
      </p>
      {res.data.slaPolicies.length === 0 ? <Empty>No SLA policies yet.</Empty> : null}
      {res.data.slaPolicies.map((p) => {
        const cur = p.versions.find((v) => v.version === p.currentVersion) ?? p.versions[0];
        return (
          <section key={p.id} className="panel" aria-labelledby={`pol-${p.id}`}>
            <div className="panel-head">
              <h2 id={`pol-${p.id}`}>
                {p.name} {p.isDefault ? <span className="badge status-active">Default</span> : null}
              </h2>
              <span className="actions">
                <span className="muted small">version {p.currentVersion}</span>
                {!p.isDefault ? (
                  <IfAllowed op="makeDefaultSlaPolicy">
                    <MakeDefaultButton id={p.id} />
                  </IfAllowed>
                ) : null}
              </span>
            </div>
            {cur ? (
              <>
                <div className="table-wrap">
                  <table className="data">
                    <caption>
                      Current targets · {cur.calendar?.name ?? 'calendar removed'} ({cur.timeZone}) · pauses on{' '}
                      {cur.pauseHoldReasons.map(humanize).join(', ') || 'nothing'}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Priority</th>
                        <th scope="col" className="num">
                          Response
                        </th>
                        <th scope="col" className="num">
                          Resolution
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {cur.targets.map((t) => (
                        <tr key={t.priority}>
                          <th scope="row">
                            P{t.priority} {PRIORITY_LABELS[t.priority]}
                          </th>
                          <td className="num">{formatMinutes(t.responseMinutes)}</td>
                          <td className="num">{formatMinutes(t.resolutionMinutes)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <details className="action" style={{ marginTop: '0.5rem' }}>
                  <summary>Versions ({p.versions.length})</summary>
                  <div className="body">
                    <ol className="timeline" reversed>
                      {p.versions.map((v) => (
                        <li key={v.id}>
                          <div className="meta">
                            v{v.version} · {formatDateTime(v.createdAt)} · {v.calendar?.name ?? '—'} ({v.timeZone})
                          </div>
                          <div>{v.note ?? <span className="muted">No note</span>}</div>
                          <div className="changes">
                            {v.targets.map((t) => `P${t.priority} ${t.responseMinutes}/${t.resolutionMinutes}`).join(' · ')}
                          </div>
                        </li>
                      ))}
                    </ol>
                  </div>
                </details>
                <IfAllowed op="updateSlaPolicy">
                  <details className="action">
                    <summary>Edit (new version)</summary>
                    <div className="body">
                      <EditPolicyForm
                        id={p.id}
                        calendars={calendars}
                        terms={{ calendarId: cur.calendar?.id, pauseHoldReasons: cur.pauseHoldReasons, targets: cur.targets }}
                      />
                    </div>
                  </details>
                </IfAllowed>
              </>
            ) : null}
          </section>
        );
      })}
      <section className="panel" aria-labelledby="svc-h">
        <h2 id="svc-h">Per-service overrides</h2>
        <div className="table-wrap">
          <table className="data">
            <caption>Services without their own policy use the default</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Policy</th>
              </tr>
            </thead>
            <tbody>
              {res.data.services.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>
                    <IfAllowed op="setServiceSlaPolicy" fallback={s.slaPolicy?.name ?? 'Default policy'}>
                      <ServicePolicySelect serviceId={s.id} serviceName={s.name} policyId={s.slaPolicy?.id} policies={policies} />
                    </IfAllowed>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <IfAllowed op="createSlaPolicy" fallback={<p className="read-only-note">Configuration is changed by admins.</p>}>
        <section className="panel" aria-labelledby="new-h">
          <h2 id="new-h">Add a policy</h2>
          <CreatePolicyForm calendars={calendars} />
        </section>
      </IfAllowed>
    </>
  );
}
