'use client';
import { WEEKDAYS } from '@ikb/domain';
import { useState } from 'react';
import { atList, Field, FieldErrors, FormError, Submit, str, useFieldMessage } from '@/components/forms';
import {
  CreateBusinessCalendarDocument,
  UpdateBusinessCalendarDocument,
  type BusinessCalendarInput,
  type CalendarFormFragment,
  type Weekday,
} from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import { TimeZonePicker } from './time-zone-picker';

function calendarInput(f: FormData): BusinessCalendarInput {
  const weeklyHours = WEEKDAYS.flatMap((d) => {
    const start = str(f, `${d}-start`);
    const end = str(f, `${d}-end`);
    return f.get(`${d}-on`) === 'on' && start && end ? [{ day: d as Weekday, start, end }] : [];
  });
  const holidays = (str(f, 'holidays') ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [date, ...rest] = l.split(/\s+/);
      return { date: date ?? '', name: rest.join(' ') || 'Holiday' };
    });
  return { name: str(f, 'name') ?? '', timeZone: str(f, 'timeZone') ?? '', weeklyHours, holidays };
}

/** One weekday's row; a refusal of its hours (end before start, overlaps) is shown in the row. */
function HoursRow({
  day: d,
  hours: h,
  isNew,
  idBase,
}: {
  day: Weekday;
  hours?: { start: string; end: string };
  isNew: boolean;
  idBase: string;
}) {
  const { control, message, invalid } = useFieldMessage(`hours-${d}`);
  const weekday = !['SAT', 'SUN'].includes(d);
  return (
    <tr className={invalid ? 'invalid' : undefined}>
      <th scope="row">{humanize(d)}</th>
      <td>
        <input type="checkbox" name={`${d}-on`} defaultChecked={h ? true : isNew && weekday} aria-label={`Works on ${humanize(d)}`} />
      </td>
      <td>
        <input
          type="time"
          name={`${d}-start`}
          defaultValue={h?.start ?? '09:00'}
          aria-label={`${humanize(d)} from`}
          id={`${idBase}-${d}-s`}
          {...control}
        />
      </td>
      <td>
        <input
          type="text"
          name={`${d}-end`}
          defaultValue={h?.end ?? '17:00'}
          aria-label={`${humanize(d)} to`}
          pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00"
          size={5}
          {...control}
        />
        {message}
      </td>
    </tr>
  );
}

/** Create or edit a calendar: hours per weekday, holidays one per line ("YYYY-MM-DD name"). */
export function CalendarForm({ calendar }: { calendar?: CalendarFormFragment }) {
  const create = useAction(CreateBusinessCalendarDocument);
  const update = useAction(UpdateBusinessCalendarDocument);
  const a = calendar?.id ? update : create;
  const hours = new Map((calendar?.weeklyHours ?? []).map((h) => [h.day, h]));
  const key = calendar?.id ?? 'new';
  // The API points at an entry of the list sent (weeklyHours[2]); only ticked days are sent, so keep which day each entry was.
  const [sentDays, setSentDays] = useState<string[]>([]);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const input = calendarInput(new FormData(form));
        setSentDays(input.weeklyHours.map((h) => h.day));
        if (calendar?.id) await update.run({ id: calendar.id, input });
        else if (await create.run({ input })) form.reset();
      }}
    >
      <FieldErrors errors={atList(atList(a.errors, 'holidays'), 'weeklyHours', (i) => `hours-${sentDays[i]}`)}>
        <Field label="Name">
          <input type="text" name="name" required defaultValue={calendar?.name} />
        </Field>
        <Field label="Time zone" wide hint="Working hours and holidays are local times of this zone.">
          <TimeZonePicker name="timeZone" required defaultValue={calendar?.timeZone} />
        </Field>
        <fieldset className="wide">
          <legend>Working hours (local time)</legend>
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Working hours per weekday</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Works</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                </tr>
              </thead>
              <tbody>
                {WEEKDAYS.map((d) => (
                  <HoursRow key={d} day={d} hours={hours.get(d)} isNew={!calendar} idBase={key} />
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
        <Field label="Holidays" wide hint='One per line: "YYYY-MM-DD name"'>
          <textarea name="holidays" rows={4} defaultValue={(calendar?.holidays ?? []).map((h) => `${h.date} ${h.name}`).join('\n')} />
        </Field>
        <FormError error={a.error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={a.busy}>{calendar?.id ? 'Save calendar' : 'Add calendar'}</Submit>
        {calendar?.id ? <span className="muted small">Saving makes a new version of every policy using this calendar.</span> : null}
      </div>
    </form>
  );
}
