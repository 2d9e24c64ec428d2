'use client';
// What you listen to, in words, each with a way to stop it (deleteNotificationSubscription).
import Link from 'next/link';
import { ConfirmButton } from '@/components/confirm-button';
import { DeleteNotificationSubscriptionDocument, type MySettingsFragment } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

type Sub = MySettingsFragment['subscriptions'][number];

function Stop({ sub }: { sub: Sub }) {
  const { run, busy, error } = useAction(DeleteNotificationSubscriptionDocument);
  return (
    <>
      <ConfirmButton
        label={sub.incidentId ? 'Unfollow' : 'Stop'}
        accessibleLabel={sub.incidentNumber ? `Unfollow ${sub.incidentNumber}` : 'Stop this subscription'}
        question="Stop hearing of these?"
        busy={busy}
        onConfirm={() => run({ id: sub.id })}
      />
      {error ? (
        <span role="alert" className="form-error small">
          {error}
        </span>
      ) : null}
    </>
  );
}

export function SubscriptionList({
  subscriptions,
  labels,
  services,
  teams,
}: {
  subscriptions: Sub[];
  labels: Map<string, string>;
  services: Map<string, string>;
  teams: Map<string, string>;
}) {
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">Your subscriptions</caption>
        <thead>
          <tr>
            <th scope="col">Events</th>
            <th scope="col">Where</th>
            <th scope="col">
              <span className="visually-hidden">Stop</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {subscriptions.map((s) => (
            <tr key={s.id}>
              <td>{s.incidentId ? 'Everything said about this incident' : s.events.map((e) => labels.get(e) ?? e).join(', ')}</td>
              <td>
                {s.incidentNumber ? (
                  <Link href={`/incidents/${s.incidentNumber}`}>{s.incidentNumber}</Link>
                ) : (
                  [
                    s.priorities.length ? s.priorities.map((p) => `P${p}`).join(', ') : 'Any priority',
                    s.serviceIds.length ? s.serviceIds.map((id) => services.get(id) ?? 'a removed service').join(', ') : 'any service',
                    s.teamIds.length ? s.teamIds.map((id) => teams.get(id) ?? 'a removed team').join(', ') : 'any team',
                    s.majorOnly ? 'major incidents only' : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')
                )}
              </td>
              <td>
                <Stop sub={s} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
