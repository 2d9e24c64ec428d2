import type { Metadata } from 'next';
import { ExportLink } from '@/components/export-link';
import { CreateServiceForm } from '@/components/admin/create-service-form';
import { ServicePolicySelect } from '@/components/admin/service-policy-select';
import { Empty, ErrorBox } from '@/components/ui';
import { AdminServicesDocument } from '@/gql/graphql';
import { gql, may } from '@/lib/server';
import { EditServiceForm } from '@/components/admin/edit-service-form';
import { IfAllowed } from '@/components/if-allowed';

export const metadata: Metadata = { title: 'Services' };

export default async function ServicesPage() {
  const res = await gql(AdminServicesDocument);
  if (res.error !== undefined) return <ErrorBox title="Services could not be loaded" message={res.error} />;
  const canEdit = await may('updateService');
  const policies = res.data.slaPolicies.map((p) => ({ id: p.id, name: p.isDefault ? `${p.name} (default)` : p.name }));
  return (
    <>
      <h1>Services</h1>
      <div className="list-tools">
        <ExportLink list="services" />
      </div>
      {res.data.services.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption>{res.data.services.length} services</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Owner team</th>
                <th scope="col">SLA policy</th>
                {canEdit ? <th scope="col">Edit</th> : null}
              </tr>
            </thead>
            <tbody>
              {res.data.services.map((s) => (
                <tr key={s.id}>
                  <td>
                    <strong>{s.name}</strong>
                    {s.description ? <div className="muted small">{s.description}</div> : null}
                    {s.public ? <div className="muted small">On the public status page</div> : null}
                  </td>
                  <td>{s.ownerTeam?.name ?? '—'}</td>
                  <td>
                    <IfAllowed op="setServiceSlaPolicy" fallback={s.slaPolicy?.name ?? 'Default policy'}>
                      <ServicePolicySelect serviceId={s.id} serviceName={s.name} policyId={s.slaPolicy?.id} policies={policies} />
                    </IfAllowed>
                  </td>
                  {canEdit ? (
                    <td>
                      <EditServiceForm
                        service={{ id: s.id, name: s.name, description: s.description, ownerTeamId: s.ownerTeam?.id, public: s.public }}
                        teams={res.data.teams}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>No services yet.</Empty>
      )}
      <IfAllowed op="createService" fallback={<p className="read-only-note">Configuration is changed by admins.</p>}>
        <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="new-h">
          <h2 id="new-h">Add a service</h2>
          <CreateServiceForm teams={res.data.teams} />
        </section>
      </IfAllowed>
    </>
  );
}
