'use client';
// Holidays from an iCalendar file, merged into or replacing a calendar's.
import { useState } from 'react';
import { Field, FormError, Submit, str } from '@/components/forms';
import { ImportCalendarHolidaysDocument, type HolidayImportMode } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function IcsImportForm({ calendarId }: { calendarId: string }) {
  const { run, busy, error } = useAction(ImportCalendarHolidaysDocument);
  const [added, setAdded] = useState<number | null>(null);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const file = f.get('ics');
        if (!(file instanceof File) || !file.size) return;
        const r = await run({ calendarId, ics: await file.text(), mode: (str(f, 'mode') ?? 'MERGE') as HolidayImportMode });
        setAdded(r ? r.importCalendarHolidays.added : null);
      }}
    >
      <Field label="iCalendar file (.ics) of all-day events">
        <input type="file" name="ics" accept=".ics,text/calendar" required />
      </Field>
      <Field label="Mode">
        <select name="mode" defaultValue="MERGE">
          <option value="MERGE">Merge with the holidays</option>
          <option value="REPLACE">Replace the holidays</option>
        </select>
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Import</Submit>
        {added != null && !error ? (
          <span className="form-ok" role="status">
            {added} new holiday{added === 1 ? '' : 's'} added.
          </span>
        ) : null}
      </div>
    </form>
  );
}
