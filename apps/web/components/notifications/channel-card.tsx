'use client';
// One channel: where it posts, what it hears of, how its deliveries stand; send a test message,
// pause or resume it, send its dead deliveries again, delete it.
import { useState } from 'react';
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import {
  DeleteNotificationChannelDocument,
  ReplayNotificationDeliveriesDocument,
  SendTestNotificationDocument,
  UpdateNotificationChannelDocument,
  type ChannelCardFragment,
} from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import type { EventOption } from './rule-fields';

const KIND_LABELS: Record<ChannelCardFragment['kind'], string> = {
  SLACK: 'Slack',
  TEAMS: 'Microsoft Teams',
  MATTERMOST: 'Mattermost',
  WEBHOOK: 'Webhook',
};

type Names = { services: Map<string, string>; teams: Map<string, string> };

function ruleInWords(rule: ChannelCardFragment['rules'][number], events: EventOption[], { services, teams }: Names): string {
  const what = rule.events.map((e) => events.find((x) => x.event === e)?.label ?? e).join(', ');
  const which = [
    rule.priorities.length ? rule.priorities.map((p) => `P${p}`).join(', ') : null,
    rule.serviceIds.length ? rule.serviceIds.map((id) => services.get(id) ?? 'a deleted service').join(', ') : null,
    rule.teamIds.length ? `team ${rule.teamIds.map((id) => teams.get(id) ?? 'a deleted team').join(', ')}` : null,
    rule.majorOnly ? 'major incidents only' : null,
  ].filter(Boolean);
  return which.length ? `${what}, for ${which.join('; ')}` : what;
}

export function ChannelCard({ channel: c, events, names }: { channel: ChannelCardFragment; events: EventOption[]; names: Names }) {
  const test = useAction(SendTestNotificationDocument);
  const update = useAction(UpdateNotificationChannelDocument);
  const replay = useAction(ReplayNotificationDeliveriesDocument);
  const remove = useAction(DeleteNotificationChannelDocument);
  const [tested, setTested] = useState<{ delivered: boolean; status?: number | null; error?: string | null } | null>(null);
  const error = test.error ?? update.error ?? replay.error ?? remove.error;
  return (
    <section className="panel" aria-labelledby={`ch-${c.id}`} data-channel={c.name}>
      <div className="panel-head">
        <h3 id={`ch-${c.id}`}>{c.name}</h3>
        <span className="small muted">
          {KIND_LABELS[c.kind]} · <span className="mono">{c.urlHint}</span>
          {c.kind === 'WEBHOOK' ? (c.signed ? ' · signed' : ' · not signed') : null} · at most {c.perMinute} a minute
        </span>
      </div>
      <ul className="small">
        {c.rules.map((r) => (
          <li key={r.id}>{ruleInWords(r, events, names)}</li>
        ))}
      </ul>
      <p className="small" data-testid="channel-state">
        {c.enabled ? <span className="badge status-active">Sending</span> : <span className="badge status-retired">Paused</span>}{' '}
        {c.pending} waiting, {c.dead} failed for good · last delivered {c.lastDeliveredAt ? formatDateTime(c.lastDeliveredAt) : 'never'}
      </p>
      <div className="actions">
        <button
          type="button"
          className="btn plain small"
          disabled={test.busy}
          aria-busy={test.busy}
          onClick={async () => {
            setTested(null);
            const r = await test.run({ id: c.id }, { refresh: false });
            if (r) setTested(r.sendTestNotification);
          }}
        >
          {test.busy ? 'Sending…' : 'Send a test'}
        </button>
        <button
          type="button"
          className="btn plain small"
          disabled={update.busy}
          onClick={() => update.run({ id: c.id, input: { enabled: !c.enabled } })}
        >
          {c.enabled ? 'Pause' : 'Resume'}
        </button>
        {c.dead ? (
          <ConfirmButton
            label={`Send ${c.dead} failed again`}
            question={`Send the ${c.dead} deliveries that failed for good to ${c.name} again, oldest first?`}
            confirmLabel="Yes, send again"
            variant="primary"
            busy={replay.busy}
            onConfirm={() => replay.run({ channelId: c.id })}
          />
        ) : null}
        <ConfirmButton
          label="Delete"
          question={`Delete ${c.name} with its rules and delivery log? Nothing more is sent to it.`}
          confirmLabel="Yes, delete"
          busy={remove.busy}
          onConfirm={() => remove.run({ id: c.id })}
        />
      </div>
      <p role="status" className={tested ? (tested.delivered ? 'form-ok small' : 'form-error small') : 'visually-hidden'}>
        {tested
          ? tested.delivered
            ? `Test delivered (the receiver answered ${tested.status}).`
            : `Test not delivered: ${tested.error ?? 'no answer'}.`
          : ''}
      </p>
      <FormError error={error} />
    </section>
  );
}
