'use client';
// Holidays from an iCalendar file into an existing calendar: choose the file, check the preview
// (dates, observances unticked), then merge or replace.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit } from '@/components/forms';
import { ImportCalendarHolidaysDocument, type HolidayImportMode } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { IcsFileField } from './ics-file-field';
import { IcsPreviewTable } from './ics-preview-table';
import { useIcsPreview } from './use-ics-preview';

export function IcsImportForm({ calendarId }: { calendarId: string }) {
  const file = useIcsPreview(calendarId);
  const { run, busy, error, errors } = useAction(ImportCalendarHolidaysDocument);
  const [mode, setMode] = useState<HolidayImportMode>('MERGE');
  const [added, setAdded] = useState<number | null>(null);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!file.preview || !file.icsBase64) return;
        const r = await run({ calendarId, icsBase64: file.icsBase64, mode, dates: [...file.chosen].sort() });
        setAdded(r ? r.importCalendarHolidays.added : null);
      }}
    >
      <IcsFileField
        file={file}
        hint="Google, Outlook, Apple and Thunderbird holiday calendars; you choose the dates next."
        onPick={() => setAdded(null)}
      />
      {file.preview ? (
        <>
          <IcsPreviewTable preview={file.preview} chosen={file.chosen} onToggle={file.toggle} onChoose={file.choose} />
          <FieldErrors errors={errors}>
            <Field label="Mode">
              <select name="mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as HolidayImportMode)}>
                <option value="MERGE">Merge with the holidays</option>
                <option value="REPLACE">Replace the holidays</option>
              </select>
            </Field>
            <FormError error={error} />
          </FieldErrors>
          <div className="actions">
            <Submit busy={busy}>
              Import {file.chosen.size} date{file.chosen.size === 1 ? '' : 's'}
            </Submit>
            {added != null && !error ? (
              <span className="form-ok" role="status">
                {added} new holiday{added === 1 ? '' : 's'} added.
              </span>
            ) : null}
          </div>
        </>
      ) : null}
    </form>
  );
}
