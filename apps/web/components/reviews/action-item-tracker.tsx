'use client';
// An action item's place on a tracker (Jira, GitHub): the key and link with its sync state
// and last error, a retry when the sync failed; or, before it is pushed, "Push to …".
import { useState } from 'react';
import { FormError } from '@/components/forms';
import { PushActionItemDocument, RetryTrackerSyncDocument, type ActionItemRowFragment, type TrackerKind } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export interface TrackerTargetOption {
  id: string;
  kind: TrackerKind;
  name: string;
}

const STATE_WORDS: Record<NonNullable<ActionItemRowFragment['trackerLink']>['state'], string> = {
  QUEUED: 'waiting to be sent',
  SYNCED: 'in sync',
  RETRYING: 'the tracker failed; trying again',
  FAILED: 'sync failed',
};

export function ActionItemTracker({
  item,
  targets,
  canPush,
}: {
  item: ActionItemRowFragment;
  targets: TrackerTargetOption[];
  canPush: boolean;
}) {
  const push = useAction(PushActionItemDocument);
  const retry = useAction(RetryTrackerSyncDocument);
  const [target, setTarget] = useState(targets[0]?.id ?? '');
  const link = item.trackerLink;
  if (link) {
    const label = link.externalKey ? (link.kind === 'JIRA' ? link.externalKey : `#${link.externalKey}`) : null;
    return (
      <div className="small" data-testid="tracker-link">
        {link.kind === 'JIRA' ? 'Jira' : 'GitHub'} ({link.connectionName}):{' '}
        {label && link.url ? (
          <a href={link.url} target="_blank" rel="noreferrer">
            {label}
          </a>
        ) : (
          (label ?? 'not created yet')
        )}{' '}
        <span className={`badge ${link.state === 'FAILED' ? 'priority-1' : link.state === 'SYNCED' ? 'status-active' : ''}`}>
          {STATE_WORDS[link.state]}
        </span>
        {link.lastError ? <span className="form-error"> {link.lastError}</span> : null}
        {canPush && (link.state === 'FAILED' || link.state === 'RETRYING') ? (
          <button type="button" className="btn plain small" disabled={retry.busy} onClick={() => retry.run({ actionItemId: item.id })}>
            {retry.busy ? 'Sending…' : 'Retry now'}
          </button>
        ) : null}
        <FormError error={retry.error} />
      </div>
    );
  }
  if (!canPush || !targets.length) return null;
  return (
    <div className="actions small">
      {targets.length > 1 ? (
        <>
          <label className="visually-hidden" htmlFor={`push-${item.id}`}>
            Tracker for {item.title}
          </label>
          <select id={`push-${item.id}`} value={target} style={{ width: 'auto' }} onChange={(e) => setTarget(e.currentTarget.value)}>
            {targets.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </>
      ) : null}
      <button
        type="button"
        className="btn plain small"
        disabled={push.busy || !target}
        aria-busy={push.busy}
        onClick={() => push.run({ actionItemId: item.id, connectionId: target })}
      >
        {push.busy ? 'Pushing…' : `Push to ${targets.length > 1 ? 'tracker' : targets[0]!.name}`}
      </button>
      <FormError error={push.error} />
    </div>
  );
}
