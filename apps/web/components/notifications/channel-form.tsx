'use client';
// A new notification channel (createNotificationChannel): where to post (a chat tool's incoming
// webhook, or a signed webhook to any receiver) and which events, priorities and services it hears
// of. A webhook's generated signing secret is shown once.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, atList, int, str, type Option } from '@/components/forms';
import { SecretOnce } from '@/components/secret-once';
import { CreateNotificationChannelDocument, type NotificationChannelKind } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { RuleFields, ruleFrom, type EventOption } from './rule-fields';

const KINDS: { kind: NotificationChannelKind; label: string; hint: string }[] = [
  { kind: 'SLACK', label: 'Slack', hint: 'An incoming-webhook URL from a Slack app (https://hooks.slack.com/services/…).' },
  { kind: 'TEAMS', label: 'Microsoft Teams', hint: 'A Workflows "post to a channel when a webhook request is received" URL.' },
  { kind: 'MATTERMOST', label: 'Mattermost', hint: 'An incoming-webhook URL (https://your-server/hooks/…).' },
  { kind: 'WEBHOOK', label: 'Webhook (signed JSON)', hint: 'Any receiver; each request carries X-IKB-Signature to verify.' },
];

export function ChannelForm({ events, services, teams }: { events: EventOption[]; services: Option[]; teams: Option[] }) {
  const { run, busy, error, errors } = useAction(CreateNotificationChannelDocument);
  const [kind, setKind] = useState<NotificationChannelKind>('SLACK');
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const current = KINDS.find((k) => k.kind === kind)!;
  return (
    <>
      <form
        className="form"
        aria-label="Add a notification channel"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          const r = await run({
            input: {
              kind,
              name: str(f, 'name') ?? '',
              url: str(f, 'url') ?? '',
              perMinute: int(f, 'perMinute'),
              rules: [ruleFrom(f)],
            },
          });
          if (r) {
            form.reset();
            const made = r.createNotificationChannel;
            if (made.secret) setSecret({ name: made.channel.name, secret: made.secret });
          }
        }}
      >
        <FieldErrors errors={atList(errors, 'rules', () => 'events')}>
          <Field label="Kind">
            <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as NotificationChannelKind)}>
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name" hint="What people will recognise, e.g. “#major-incidents”.">
            <input type="text" name="name" required maxLength={120} autoComplete="off" />
          </Field>
          <Field label="URL" wide hint={current.hint}>
            <input type="url" name="url" required maxLength={2000} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label="Sends a minute, at most" hint="1 to 6000; more wait their turn.">
            <input type="number" name="perMinute" min={1} max={6000} defaultValue={60} />
          </Field>
          <RuleFields events={events} services={services} teams={teams} />
          <FormError error={error} />
        </FieldErrors>
        <div className="actions">
          <Submit busy={busy}>Add channel</Submit>
        </div>
      </form>
      {secret ? (
        <SecretOnce title={`Webhook ${secret.name} added`} label="Signing secret" secret={secret.secret} onDone={() => setSecret(null)}>
          <p className="small">
            Verify each request: the HMAC-SHA256 of <code>t + &quot;.&quot; + body</code> with this secret
            {' equals the '}
            <code>v1</code> of the <code>X-IKB-Signature</code> header, and <code>t</code> is within five minutes of now.
          </p>
        </SecretOnce>
      ) : null}
    </>
  );
}
