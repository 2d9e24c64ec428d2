'use client';
import { ApplyWorkaroundDocument } from '@/gql/graphql';
import { ApplyButton } from './apply-button';

export function ApplyWorkaroundButton({ incidentId, workaroundId, title }: { incidentId: string; workaroundId: string; title: string }) {
  return (
    <ApplyButton
      mutation={ApplyWorkaroundDocument}
      variables={{ incidentId, workaroundId }}
      label="Apply"
      ariaLabel={`Apply workaround: ${title}`}
    />
  );
}
