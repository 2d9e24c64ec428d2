'use client';
// First response: acknowledgeIncident sets acknowledgedAt (MTTA, response SLA).
import { FormError } from '@/components/forms';
import { AcknowledgeIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function AcknowledgeButton({ id }: { id: string }) {
  const { run, busy, error } = useAction(AcknowledgeIncidentDocument);
  return (
    <span>
      <button type="button" className="btn primary" disabled={busy} aria-busy={busy} onClick={() => run({ id })}>
        {busy ? 'Working…' : 'Acknowledge'}
      </button>
      <FormError error={error} />
    </span>
  );
}
