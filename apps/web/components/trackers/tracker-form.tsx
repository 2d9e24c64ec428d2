'use client';
// A new tracker connection (createTrackerConnection): Jira Cloud (site, account e-mail, API
// token, project key) or GitHub (API address, token, owner/repo). The webhook secret is shown once,
// with the webhook URL to paste into Jira or GitHub.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { SecretOnce } from '@/components/secret-once';
import { CreateTrackerConnectionDocument, type TrackerKind } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

export function TrackerForm({ hookBase }: { hookBase: string }) {
  const { run, busy, error, errors } = useAction(CreateTrackerConnectionDocument);
  const [kind, setKind] = useState<TrackerKind>('JIRA');
  const [made, setMade] = useState<{ name: string; secret: string; url: string; kind: TrackerKind } | null>(null);
  return (
    <>
      <form
        className="form"
        aria-label="Add a tracker connection"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          const common = {
            kind,
            name: str(f, 'name') ?? '',
            baseUrl: str(f, 'baseUrl') ?? '',
            token: str(f, 'token') ?? '',
            labels: list(str(f, 'labels')),
          };
          const input =
            kind === 'JIRA'
              ? { ...common, accountEmail: str(f, 'accountEmail'), projectKey: str(f, 'projectKey'), issueType: str(f, 'issueType') }
              : { ...common, repoOwner: str(f, 'repoOwner'), repoName: str(f, 'repoName') };
          const r = await run({ input });
          if (r) {
            form.reset();
            const c = r.createTrackerConnection;
            setMade({
              name: c.connection.name,
              secret: c.webhookSecret,
              url: `${hookBase}${c.connection.webhookPath}`,
              kind: c.connection.kind,
            });
          }
        }}
      >
        <FieldErrors errors={errors}>
          <Field label="Tracker">
            <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as TrackerKind)}>
              <option value="JIRA">Jira Cloud</option>
              <option value="GITHUB">GitHub Issues</option>
            </select>
          </Field>
          <Field label="Name" hint="What people see on the push button, e.g. “Ops Jira”.">
            <input type="text" name="name" required maxLength={120} autoComplete="off" />
          </Field>
          <Field
            label={kind === 'JIRA' ? 'Jira site' : 'GitHub API address'}
            wide
            hint={
              kind === 'JIRA'
                ? 'https://your-team.atlassian.net'
                : 'https://api.github.com, or https://your-host/api/v3 for GitHub Enterprise Server'
            }
          >
            <input
              type="url"
              name="baseUrl"
              required
              maxLength={500}
              autoComplete="off"
              spellCheck={false}
              defaultValue={kind === 'GITHUB' ? 'https://api.github.com' : undefined}
              key={kind}
            />
          </Field>
          {kind === 'JIRA' ? (
            <>
              <Field label="Account e-mail" hint="The Atlassian account the API token belongs to.">
                <input type="email" name="accountEmail" required maxLength={320} autoComplete="off" />
              </Field>
              <Field label="Project key" hint="e.g. OPS">
                <input type="text" name="projectKey" required maxLength={50} autoComplete="off" />
              </Field>
              <Field label="Issue type" hint="Default Task.">
                <input type="text" name="issueType" maxLength={100} autoComplete="off" />
              </Field>
            </>
          ) : (
            <>
              <Field label="Owner" hint="User or organisation.">
                <input type="text" name="repoOwner" required maxLength={100} autoComplete="off" />
              </Field>
              <Field label="Repository">
                <input type="text" name="repoName" required maxLength={100} autoComplete="off" />
              </Field>
            </>
          )}
          <Field label={kind === 'JIRA' ? 'API token' : 'Token'} wide hint="Stored for calls to the tracker; never shown again.">
            <input type="password" name="token" required maxLength={2000} autoComplete="new-password" />
          </Field>
          <Field label="Labels" hint="Comma-separated, put on every issue.">
            <input type="text" name="labels" maxLength={500} autoComplete="off" />
          </Field>
          <FormError error={error} />
        </FieldErrors>
        <div className="actions">
          <Submit busy={busy}>Add connection</Submit>
        </div>
      </form>
      {made ? (
        <SecretOnce title={`${made.name} added`} label="Webhook secret" secret={made.secret} onDone={() => setMade(null)}>
          <p className="small">
            Webhook URL: <code data-testid="webhook-url">{made.url}</code>
          </p>
          <p className="small">
            {made.kind === 'JIRA'
              ? 'In Jira: Settings → System → WebHooks → Create: this URL, this secret, events “Issue updated”, JQL project = your key.'
              : 'In GitHub: the repository’s Settings → Webhooks → Add webhook: this URL, content type application/json, ' +
                'this secret, event “Issues”.'}
          </p>
        </SecretOnce>
      ) : null}
    </>
  );
}
