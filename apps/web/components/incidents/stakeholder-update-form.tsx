'use client';
// A stakeholder update: a timeline event with its audience; optionally told to the incident's
// subscribers (default) and posted on the public status page (the message is then the public text).
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, bool, str } from '@/components/forms';
import { useUnsavedChanges } from '@/components/use-unsaved-changes';
import { AddStakeholderUpdateDocument, type PublicUpdateState } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

const STATES: { value: PublicUpdateState; label: string }[] = [
  { value: 'INVESTIGATING', label: 'Investigating' },
  { value: 'IDENTIFIED', label: 'Identified' },
  { value: 'MONITORING', label: 'Monitoring' },
  { value: 'RESOLVED', label: 'Resolved' },
];

export function StakeholderUpdateForm({ id }: { id: string }) {
  const { run, busy, error, errors } = useAction(AddStakeholderUpdateDocument);
  const unsaved = useUnsavedChanges('stakeholder update');
  const [publish, setPublish] = useState(false);
  return (
    <form
      className="form"
      aria-label="Stakeholder update"
      {...unsaved.formProps}
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const input = {
          message: str(f, 'message') ?? '',
          audience: str(f, 'audience'),
          notifySubscribers: bool(f, 'notifySubscribers'),
          ...(publish
            ? { statusPage: true, publicTitle: str(f, 'publicTitle'), publicState: str(f, 'publicState') as PublicUpdateState | undefined }
            : {}),
        };
        const ok = await run({ id, input });
        if (ok) {
          form.reset();
          setPublish(false);
        }
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Audience">
          <input type="text" name="audience" placeholder="customers, executives…" list="audiences" />
        </Field>
        <datalist id="audiences">
          <option value="customers" />
          <option value="executives" />
          <option value="service desk" />
          <option value="status page" />
        </datalist>
        <Field label="Message" wide hint={publish ? 'Shown on the public status page as written.' : undefined}>
          <textarea name="message" required rows={3} />
        </Field>
        <Field label="Tell the incident's subscribers" field="notifySubscribers">
          <input type="checkbox" name="notifySubscribers" defaultChecked />
        </Field>
        <Field label="Post on the status page" field="statusPage">
          <input type="checkbox" name="statusPage" checked={publish} onChange={(e) => setPublish(e.currentTarget.checked)} />
        </Field>
        {publish ? (
          <>
            <Field label="Public title" hint='Optional; else "Service disruption". The internal title is never shown.'>
              <input type="text" name="publicTitle" maxLength={200} />
            </Field>
            <Field label="Public state">
              <select name="publicState" required defaultValue={'INVESTIGATING'}>
                {STATES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </Field>
          </>
        ) : null}
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Post update</Submit>
      </div>
    </form>
  );
}
