'use client';
// The .ics file input both holiday forms share: choosing a file reads its preview; while it is read
// and when it is refused, the form says so.
import { Field, FormError } from '@/components/forms';
import type { useIcsPreview } from './use-ics-preview';

export function IcsFileField({ file, hint, onPick }: { file: ReturnType<typeof useIcsPreview>; hint: string; onPick: () => void }) {
  return (
    <>
      <Field label="iCalendar file (.ics)" hint={hint}>
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
    </>
  );
}
