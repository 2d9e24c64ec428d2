'use client';
// A new business calendar from an .ics file: named from its X-WR-CALNAME and in its X-WR-TIMEZONE
// unless changed here, Monday to Friday 09:00-17:00, with the dates ticked in the preview.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { CreateBusinessCalendarFromIcsDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { IcsFileField } from './ics-file-field';
import { TimeZonePicker } from './time-zone-picker';
import { IcsPreviewTable } from './ics-preview-table';
import { useIcsPreview } from './use-ics-preview';

export function IcsCalendarForm() {
  const file = useIcsPreview();
  const { run, busy, error, errors } = useAction(CreateBusinessCalendarFromIcsDocument);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!file.preview || !file.icsBase64) return;
        const f = new FormData(e.currentTarget);
        const r = await run({
          input: { icsBase64: file.icsBase64, name: str(f, 'name'), timeZone: str(f, 'timeZone'), dates: [...file.chosen].sort() },
        });
        if (r) {
          setCreated(r.createBusinessCalendarFromIcs.name);
          file.reset();
        }
      }}
    >
      <IcsFileField
        file={file}
        hint="The calendar takes the file's name and time zone; you can change both."
        onPick={() => setCreated(null)}
      />
      {created ? (
        <p className="form-ok wide" role="status">
          Calendar “{created}” created.
        </p>
      ) : null}
      {file.preview ? (
        <div key={file.icsBase64 ?? ''} className="form wide">
          <FieldErrors errors={errors}>
            <Field label="Name">
              <input name="name" type="text" required maxLength={120} defaultValue={file.preview.calendarName ?? ''} />
            </Field>
            <Field label="Time zone" wide hint="Working hours Monday to Friday 09:00–17:00; edit them after.">
              <TimeZonePicker name="timeZone" required defaultValue={file.preview.timeZone ?? ''} />
            </Field>
            <IcsPreviewTable preview={file.preview} chosen={file.chosen} onToggle={file.toggle} onChoose={file.choose} />
            <FormError error={error} />
          </FieldErrors>
          <div className="actions">
            <Submit busy={busy}>
              Create with {file.chosen.size} holiday{file.chosen.size === 1 ? '' : 's'}
            </Submit>
          </div>
        </div>
      ) : null}
    </form>
  );
}
