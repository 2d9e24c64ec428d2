'use client';
// Applying a model pre-fills the incident (classification, team, checklist) and records its use.
import { ApplyIncidentModelDocument } from '@/gql/graphql';
import { ApplyButton } from './apply-button';

export function ApplyModelButton({ incidentId, modelId, name }: { incidentId: string; modelId: string; name: string }) {
  return (
    <ApplyButton
      mutation={ApplyIncidentModelDocument}
      variables={{ incidentId, modelId }}
      label="Apply model"
      ariaLabel={`Apply model: ${name}`}
    />
  );
}
