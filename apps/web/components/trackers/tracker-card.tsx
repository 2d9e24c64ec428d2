'use client';
// One tracker connection: where it points, its webhook URL, test buttons with their results in
// plain words (check the connection; send a real test issue), rotate the webhook secret, pause,
// delete.
import { useState } from 'react';
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { SecretOnce } from '@/components/secret-once';
import {
  DeleteTrackerConnectionDocument,
  RotateTrackerWebhookSecretDocument,
  SendTestTrackerIssueDocument,
  TestTrackerConnectionDocument,
  UpdateTrackerConnectionDocument,
  type TrackerConnectionCardFragment,
} from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { TrackerEditForm } from './tracker-edit-form';

interface Result {
  ok: boolean;
  message: string;
  url?: string | null;
}

export function TrackerCard({ c, hookBase }: { c: TrackerConnectionCardFragment; hookBase: string }) {
  const test = useAction(TestTrackerConnectionDocument);
  const issue = useAction(SendTestTrackerIssueDocument);
  const rotate = useAction(RotateTrackerWebhookSecretDocument);
  const update = useAction(UpdateTrackerConnectionDocument);
  const remove = useAction(DeleteTrackerConnectionDocument);
  const [result, setResult] = useState<Result | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const error = test.error ?? issue.error ?? rotate.error ?? update.error ?? remove.error;
  const where =
    c.kind === 'JIRA' ? `Jira · ${c.baseUrl} · project ${c.projectKey}` : `GitHub · ${c.baseUrl} · ${c.repoOwner}/${c.repoName}`;
  return (
    <section className="panel" aria-labelledby={`tr-${c.id}`} data-tracker={c.name}>
      <div className="panel-head">
        <h3 id={`tr-${c.id}`}>{c.name}</h3>
        <span className="small muted">{where}</span>
      </div>
      <p className="small">
        Webhook URL: <code>{`${hookBase}${c.webhookPath}`}</code>
        {c.labels.length ? ` · labels ${c.labels.join(', ')}` : ''}
        {c.kind === 'JIRA' && c.wontDoResolutions.length ? ` · won't do when resolved as ${c.wontDoResolutions.join(', ')}` : ''}
      </p>
      <p className="small">
        <span className={`badge ${c.enabled ? 'status-active' : 'status-retired'}`}>{c.enabled ? 'Pushing' : 'Paused'}</span>{' '}
        {`${c.linked} linked, ${c.pending} waiting, ${c.failed} failed`}
      </p>
      <div className="actions">
        <button
          type="button"
          className="btn plain small"
          disabled={test.busy}
          onClick={async () => {
            setResult(null);
            const r = await test.run({ id: c.id }, { refresh: false });
            if (r) setResult(r.testTrackerConnection);
          }}
        >
          {test.busy ? 'Checking…' : 'Test connection'}
        </button>
        <button
          type="button"
          className="btn plain small"
          disabled={issue.busy}
          onClick={async () => {
            setResult(null);
            const r = await issue.run({ id: c.id });
            if (r) setResult(r.sendTestTrackerIssue);
          }}
        >
          {issue.busy ? 'Sending…' : 'Send a test issue'}
        </button>
        <button
          type="button"
          className="btn plain small"
          disabled={update.busy}
          onClick={() => update.run({ id: c.id, input: { enabled: !c.enabled } })}
        >
          {c.enabled ? 'Pause' : 'Resume'}
        </button>
        <ConfirmButton
          label="New webhook secret"
          question={
            `Make a new webhook secret for ${c.name}? Webhooks signed with the old one are refused ` +
            `until you paste the new one into ${c.kind === 'JIRA' ? 'Jira' : 'GitHub'}.`
          }
          confirmLabel="Yes, make a new one"
          busy={rotate.busy}
          onConfirm={async () => {
            const r = await rotate.run({ id: c.id }, { refresh: false });
            if (r) setSecret(r.rotateTrackerWebhookSecret);
          }}
        />
        <button type="button" className="btn plain small" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          Edit settings
        </button>
        <ConfirmButton
          label="Delete"
          question={`Delete ${c.name} with its links and log? The issues stay on the tracker; the action items are no longer synced.`}
          confirmLabel="Yes, delete"
          busy={remove.busy}
          onConfirm={() => remove.run({ id: c.id })}
        />
      </div>
      <p
        role="status"
        data-testid="tracker-result"
        className={result ? (result.ok ? 'form-ok small' : 'form-error small') : 'visually-hidden'}
      >
        {result ? result.message : ''}
        {result?.url ? (
          <>
            {' '}
            <a href={result.url} target="_blank" rel="noreferrer">
              Open it
            </a>
          </>
        ) : null}
      </p>
      {editing ? <TrackerEditForm c={c} onDone={() => setEditing(false)} /> : null}
      {secret ? (
        <SecretOnce title={`New webhook secret for ${c.name}`} label="Webhook secret" secret={secret} onDone={() => setSecret(null)} />
      ) : null}
      <FormError error={error} />
    </section>
  );
}
