'use client';
// Applying a model pre-fills the incident (classification, team, checklist) and records its use.
import { ApplyIncidentModelDocument } from '@/gql/graphql';
import { ApplyButton } from './apply-button';

export function ApplyModelButton({
  incidentId,
  incidentNumber,
  modelId,
  name,
  changes,
  why,
}: {
  incidentId: string;
  incidentNumber: string;
  modelId: string;
  name: string;
  /** What applying sets, in words ("impact 2, urgency 1, team Payments Engineering, 4 checklist steps"). */
  changes: string;
  /** Why it is suggested ("Strong match (score 85): title mentions "502""). */
  why: string;
}) {
  return (
    <ApplyButton
      mutation={ApplyIncidentModelDocument}
      variables={{ incidentId, modelId }}
      label="Apply model"
      ariaLabel={`Apply model: ${name}`}
      title={`Apply the model “${name}” to ${incidentNumber}?`}
      confirmLabel="Apply model"
    >
      <p>
        This changes {incidentNumber}: {changes || 'nothing but the record that the model was used'}. Fields you set by hand are overwritten
        where the model has a default; the change is on the timeline.
      </p>
      <p className="small muted">{why}</p>
    </ApplyButton>
  );
}
