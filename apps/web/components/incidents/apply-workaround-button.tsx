'use client';
// Applying a workaround records who tried it when; whether it restored service is settled at resolution.
import { ApplyWorkaroundDocument } from '@/gql/graphql';
import { ApplyButton } from './apply-button';

export function ApplyWorkaroundButton({
  incidentId,
  incidentNumber,
  workaroundId,
  title,
  why,
}: {
  incidentId: string;
  incidentNumber: string;
  workaroundId: string;
  title: string;
  /** Why it is offered, in words. */
  why: string;
}) {
  return (
    <ApplyButton
      mutation={ApplyWorkaroundDocument}
      variables={{ incidentId, workaroundId }}
      label="Apply"
      ariaLabel={`Apply workaround: ${title}`}
      title={`Apply the workaround “${title}” to ${incidentNumber}?`}
      confirmLabel="Apply workaround"
    >
      <p>
        This records on {incidentNumber}&apos;s timeline that you applied it; follow its steps first. It counts in the workaround&apos;s
        success rate once the incident is resolved (in flight until then).
      </p>
      <p className="small muted">{why}</p>
    </ApplyButton>
  );
}
