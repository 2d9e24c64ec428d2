'use client';
// Change a tracker connection (updateTrackerConnection): where it points, the project or repository,
// labels, and for Jira the transitions and resolutions the sync uses. The token is write-only: left
// empty, the stored one is kept.
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { UpdateTrackerConnectionDocument, type TrackerConnectionCardFragment, type TrackerConnectionFields } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function fieldsFrom(f: FormData, kind: TrackerConnectionCardFragment['kind']): TrackerConnectionFields {
  const common: TrackerConnectionFields = {
    name: str(f, 'name') ?? '',
    baseUrl: str(f, 'baseUrl') ?? '',
    labels: list(str(f, 'labels')),
    ...(str(f, 'token') ? { token: str(f, 'token') } : {}),
  };
  if (kind === 'GITHUB') return { ...common, repoOwner: str(f, 'repoOwner') ?? '', repoName: str(f, 'repoName') ?? '' };
  return {
    ...common,
    accountEmail: str(f, 'accountEmail') ?? '',
    projectKey: str(f, 'projectKey') ?? '',
    issueType: str(f, 'issueType') ?? '',
    doneTransition: str(f, 'doneTransition') ?? '',
    wontDoTransition: str(f, 'wontDoTransition') ?? '',
    reopenTransition: str(f, 'reopenTransition') ?? '',
    wontDoResolution: str(f, 'wontDoResolution') ?? '',
    wontDoResolutions: list(str(f, 'wontDoResolutions')),
  };
}

function text(name: string, value: string | null | undefined, max = 200) {
  return <input type="text" name={name} defaultValue={value ?? ''} maxLength={max} autoComplete="off" spellCheck={false} />;
}

export function TrackerEditForm({ c, onDone }: { c: TrackerConnectionCardFragment; onDone: () => void }) {
  const { run, busy, error, errors } = useAction(UpdateTrackerConnectionDocument);
  return (
    <form
      className="form"
      aria-label={`Edit ${c.name}`}
      onSubmit={async (e) => {
        e.preventDefault();
        if (await run({ id: c.id, input: fieldsFrom(new FormData(e.currentTarget), c.kind) })) onDone();
      }}
    >
      <FieldErrors errors={errors.map((x) => ({ ...x, field: x.field?.replace(/^input\./, '') }))}>
        <Field label="Name" field="name">
          {text('name', c.name, 120)}
        </Field>
        <Field label={c.kind === 'JIRA' ? 'Jira site' : 'GitHub API address'} wide field="baseUrl">
          <input type="url" name="baseUrl" defaultValue={c.baseUrl} required maxLength={500} autoComplete="off" spellCheck={false} />
        </Field>
        {c.kind === 'JIRA' ? (
          <>
            <Field label="Account e-mail" field="accountEmail">
              {text('accountEmail', c.accountEmail, 320)}
            </Field>
            <Field label="Project key" field="projectKey">
              {text('projectKey', c.projectKey, 50)}
            </Field>
            <Field label="Issue type" field="issueType">
              {text('issueType', c.issueType, 100)}
            </Field>
            <Field label="Done transition" hint="Name or id of the transition to done." field="doneTransition">
              {text('doneTransition', c.doneTransition, 100)}
            </Field>
            <Field label="Won't do transition" field="wontDoTransition">
              {text('wontDoTransition', c.wontDoTransition, 100)}
            </Field>
            <Field label="Reopen transition" field="reopenTransition">
              {text('reopenTransition', c.reopenTransition, 100)}
            </Field>
            <Field label="Resolution sent for won't do" field="wontDoResolution">
              {text('wontDoResolution', c.wontDoResolution, 100)}
            </Field>
            <Field label="Resolutions read as won't do" hint="Comma-separated." field="wontDoResolutions">
              {text('wontDoResolutions', c.wontDoResolutions.join(', '), 500)}
            </Field>
          </>
        ) : (
          <>
            <Field label="Owner" field="repoOwner">
              {text('repoOwner', c.repoOwner, 100)}
            </Field>
            <Field label="Repository" field="repoName">
              {text('repoName', c.repoName, 100)}
            </Field>
          </>
        )}
        <Field label="Labels" hint="Comma-separated, put on every issue." field="labels">
          {text('labels', c.labels.join(', '), 500)}
        </Field>
        <Field label="New token" wide hint="Leave empty to keep the stored one." field="token">
          <input type="password" name="token" maxLength={2000} autoComplete="new-password" />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save</Submit>
        <button type="button" className="btn plain" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
