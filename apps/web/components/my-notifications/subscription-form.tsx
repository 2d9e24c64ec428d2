'use client';
// Listen to more (createNotificationSubscription): events about incidents, optionally only some
// priorities, services, teams or major incidents. The same fields as an admin's channel rule.
import { FieldErrors, FormError, Submit, type Option } from '@/components/forms';
import { RuleFields, ruleFrom, type EventOption } from '@/components/notifications/rule-fields';
import { CreateNotificationSubscriptionDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function SubscriptionForm({ events, services, teams }: { events: EventOption[]; services: Option[]; teams: Option[] }) {
  const { run, busy, error, errors } = useAction(CreateNotificationSubscriptionDocument);
  return (
    <form
      className="form"
      aria-label="Subscribe"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        if (await run({ input: ruleFrom(new FormData(form)) })) form.reset();
      }}
    >
      <FieldErrors errors={errors.map((x) => ({ ...x, field: x.field?.replace(/^input\./, '') }))}>
        <RuleFields events={events} services={services} teams={teams} />
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Subscribe</Submit>
      </div>
    </form>
  );
}
