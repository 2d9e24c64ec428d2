'use client';
// The SLA policy a service uses instead of the default one.
import { FormError, type Option } from '@/components/forms';
import { SetServiceSlaPolicyDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function ServicePolicySelect({
  serviceId,
  serviceName,
  policyId,
  policies,
}: {
  serviceId: string;
  serviceName: string;
  policyId?: string | null;
  policies: Option[];
}) {
  const { run, busy, error } = useAction(SetServiceSlaPolicyDocument);
  return (
    <>
      <label className="visually-hidden" htmlFor={`pol-${serviceId}`}>
        SLA policy of {serviceName}
      </label>
      <select
        id={`pol-${serviceId}`}
        value={policyId ?? ''}
        disabled={busy}
        aria-busy={busy}
        onChange={(e) => run({ serviceId, policyId: e.target.value || null })}
        style={{ width: 'auto' }}
      >
        <option value="">Default policy</option>
        {policies.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <FormError error={error} />
    </>
  );
}
