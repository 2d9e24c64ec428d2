import type { Metadata } from 'next';
import Link from 'next/link';
import { CreatePolicyForm } from '@/components/admin/create-policy-form';
import { PolicyPanel } from '@/components/admin/policy-panel';
import { ServicePolicySelect } from '@/components/admin/service-policy-select';
import { Empty, ErrorBox } from '@/components/ui';
import { AdminSlaPoliciesDocument } from '@/gql/graphql';
import { one, type SearchParams } from '@/lib/params';
import { gql } from '@/lib/server';
import { IfAllowed } from '@/components/if-allowed';

export const metadata: Metadata = { title: 'SLA policies' };

export default async function SlaPoliciesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const showRetired = one(await searchParams, 'retired') === 'show';
  const res = await gql(AdminSlaPoliciesDocument);
  if (res.error !== undefined) return <ErrorBox title="SLA policies could not be loaded" message={res.error} />;
  const calendars = res.data.businessCalendars.map((c) => ({ id: c.id, name: `${c.name} (${c.timeZone})` }));
  const active = res.data.slaPolicies.filter((p) => !p.retired);
  const retired = res.data.slaPolicies.filter((p) => p.retired);
  const shown = showRetired ? [...active, ...retired] : active;
  const policies = active.map((p) => ({ id: p.id, name: p.isDefault ? `${p.name} (default)` : p.name }));
  return (
    <>
      <h1>SLA policies</h1>
      <p className="lead">
        Per priority, a response and a resolution target in business time of a calendar. Editing makes a new version; incidents keep the
        version they started under. Retired policies are no longer offered; incidents running under them keep their clocks.
      </p>
      <p className="retired-toggle">
        {retired.length ? (
          <Link href={showRetired ? '/admin/sla-policies' : '/admin/sla-policies?retired=show'} className="btn plain small">
            {showRetired ? `Hide retired policies (${retired.length})` : `Show retired policies (${retired.length})`}
          </Link>
        ) : (
          <span className="muted small">No retired policies.</span>
        )}
      </p>
      {shown.length === 0 ? <Empty>No SLA policies yet.</Empty> : null}
      {shown.map((p) => (
        <PolicyPanel key={p.id} p={p} calendars={calendars} />
      ))}
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
              {res.data.services.map((s) => {
                // A service keeps a policy retired before the rule; it stays listed (marked) until changed.
                const own =
                  s.slaPolicy && !policies.some((p) => p.id === s.slaPolicy!.id)
                    ? [{ ...s.slaPolicy, name: `${s.slaPolicy.name} (retired)` }]
                    : [];
                return (
                  <tr key={s.id}>
                    <td>{s.name}</td>
                    <td>
                      <IfAllowed op="setServiceSlaPolicy" fallback={s.slaPolicy?.name ?? 'Default policy'}>
                        <ServicePolicySelect
                          serviceId={s.id}
                          serviceName={s.name}
                          policyId={s.slaPolicy?.id}
                          policies={[...policies, ...own]}
                        />
                      </IfAllowed>
                    </td>
                  </tr>
                );
              })}
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
