'use client';
// Your working hours for the workload's outside-hours share (decision 0009): a business calendar
// and the time zone its hours are read in; empty falls back to your team's, then the default.
import { Field, FieldErrors, FormError, Saved, Submit, str } from '@/components/forms';
import { TimeZonePicker } from '@/components/admin/time-zone-picker';
import { SetMyWorkingCalendarDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function WorkingHoursForm({
  calendars,
  calendarId,
  timeZone,
}: {
  calendars: { id: string; name: string; timeZone: string }[];
  calendarId: string | null;
  timeZone: string | null;
}) {
  const { run, busy, error, errors, done } = useAction(SetMyWorkingCalendarDocument);
  return (
    <form
      className="form"
      aria-label="Your working hours"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        await run({ input: { calendarId: str(f, 'calendarId') ?? null, timeZone: str(f, 'timeZone') ?? null } });
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Working calendar" hint="Empty: your team's, else the default SLA calendar." field="calendarId">
          <select name="calendarId" defaultValue={calendarId ?? ''}>
            <option value="">Team or default</option>
            {calendars.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.timeZone})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Read its hours in" hint="Your time zone; empty: the calendar's." field="timeZone">
          <TimeZonePicker name="timeZone" defaultValue={timeZone ?? undefined} />
        </Field>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save</Submit>
        <Saved done={done} error={error} />
      </div>
    </form>
  );
}
