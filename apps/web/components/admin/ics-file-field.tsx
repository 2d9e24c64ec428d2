'use client';
// The .ics file input both holiday forms share: choosing a file reads its preview; while it is read
// and when it is refused, the message is shown at the file input.
import { Field, FieldErrors, FormError } from '@/components/forms';
import type { useIcsPreview } from './use-ics-preview';

export function IcsFileField({ file, hint, onPick }: { file: ReturnType<typeof useIcsPreview>; hint: string; onPick: () => void }) {
  return (
    <FieldErrors errors={file.errors}>
      {/* The API names the file ics or icsBase64 (how it was sent); both are this control. */}
      <Field label="iCalendar file (.ics)" hint={hint} field={['ics', 'icsBase64']}>
        <input
          type="file"
          name="ics"
          accept=".ics,text/calendar"
          required
          onChange={(e) => {
            onPick();
            void file.load(e.currentTarget.files?.[0]);
          }}
        />
      </Field>
      {file.busy ? <p className="small muted wide">Reading the file…</p> : null}
      <FormError error={file.error} />
    </FieldErrors>
  );
}
