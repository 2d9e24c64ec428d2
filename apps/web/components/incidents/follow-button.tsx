'use client';
// Follow an incident (followIncident): its updates, resolution, reopening and SLA warnings reach you
// as your notification settings say; unfollow stops them.
import { FollowIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function FollowButton({ incidentId, following, number }: { incidentId: string; following: boolean; number: string }) {
  const { run, busy, error } = useAction(FollowIncidentDocument);
  return (
    <span>
      <button
        type="button"
        className="btn small"
        aria-pressed={following}
        disabled={busy}
        aria-busy={busy}
        onClick={() => run({ id: incidentId, follow: !following })}
        title={following ? `Stop hearing of ${number}` : `Hear of ${number}'s updates, resolution and reopening`}
      >
        {following ? 'Following' : 'Follow'}
      </button>
      {error ? (
        <span role="alert" className="form-error small">
          {error}
        </span>
      ) : null}
    </span>
  );
}
