'use client';
import { useState } from 'react';
import {
  CreateBusinessCalendarDocument,
  CreateCategoryDocument,
  CreateServiceDocument,
  CreateSlaPolicyDocument,
  CreateTeamDocument,
  CreateUserDocument,
  ImportCalendarHolidaysDocument,
  MakeDefaultSlaPolicyDocument,
  SetPriorityMatrixDocument,
  SetServiceSlaPolicyDocument,
  UpdateBusinessCalendarDocument,
  UpdateSlaPolicyDocument,
  type BusinessCalendarInput,
  type HoldReason,
  type HolidayImportMode,
  type Weekday,
} from '@/gql/graphql';
import { HOLD_REASONS, PRIORITY_LABELS, WEEKDAYS, humanize } from '@/lib/format';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { useAction } from '@/lib/use-action';

const ROLES: Role[] = ['ENGINEER', 'PROBLEM_MANAGER', 'VIEWER', 'ADMIN'];
import { Field, FormError, Submit, str, type Option } from './forms';
import { OptionSelect } from './log-incident-form';

export function CreateServiceForm({ teams }: { teams: Option[] }) {
  const { run, busy, error } = useAction(CreateServiceDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        if (await run({ input: { name: str(f, 'name') ?? '', description: str(f, 'description'), ownerTeamId: str(f, 'ownerTeamId') } })) form.reset();
      }}
    >
      <Field label="Name">
        <input type="text" name="name" required />
      </Field>
      <Field label="Owner team">
        <OptionSelect name="ownerTeamId" options={teams} empty="—" />
      </Field>
      <Field label="Description" wide>
        <input type="text" name="description" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Add service</Submit>
      </div>
    </form>
  );
}

export function ServicePolicySelect({ serviceId, serviceName, policyId, policies }: { serviceId: string; serviceName: string; policyId?: string | null; policies: Option[] }) {
  const { run, busy, error } = useAction(SetServiceSlaPolicyDocument);
  return (
    <>
      <label className="visually-hidden" htmlFor={`pol-${serviceId}`}>
        SLA policy of {serviceName}
      </label>
      <select id={`pol-${serviceId}`} value={policyId ?? ''} disabled={busy} aria-busy={busy} onChange={(e) => run({ serviceId, policyId: e.target.value || null })} style={{ width: 'auto' }}>
        <option value="">Default policy</option>
        {policies.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <FormError error={error} />
    </>
  );
}

export function CreateCategoryForm({ parents }: { parents: Option[] }) {
  const { run, busy, error } = useAction(CreateCategoryDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        if (await run({ input: { name: str(f, 'name') ?? '', parentId: str(f, 'parentId') } })) form.reset();
      }}
    >
      <Field label="Name">
        <input type="text" name="name" required />
      </Field>
      <Field label="Parent" hint="Two levels at most">
        <OptionSelect name="parentId" options={parents} empty="None (top level)" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Add category</Submit>
      </div>
    </form>
  );
}

export function CreateTeamForm() {
  const { run, busy, error } = useAction(CreateTeamDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        if (await run({ input: { name: str(f, 'name') ?? '', description: str(f, 'description') } })) form.reset();
      }}
    >
      <Field label="Name">
        <input type="text" name="name" required />
      </Field>
      <Field label="Description" wide>
        <input type="text" name="description" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Add team</Submit>
      </div>
    </form>
  );
}

export function CreateUserForm({ teams }: { teams: Option[] }) {
  const { run, busy, error } = useAction(CreateUserDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const role = (str(f, 'role') ?? 'ENGINEER') as Role;
        if (await run({ input: { name: str(f, 'name') ?? '', email: str(f, 'email') ?? '', teamId: str(f, 'teamId'), role, password: str(f, 'password') } })) form.reset();
      }}
    >
      <Field label="Name">
        <input type="text" name="name" required />
      </Field>
      <Field label="Email">
        <input type="email" name="email" required />
      </Field>
      <Field label="Team">
        <OptionSelect name="teamId" options={teams} empty="—" />
      </Field>
      <Field label="Role">
        <select name="role" defaultValue="ENGINEER">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Password" hint="Optional: people without one cannot sign in. At least 8 characters, not a common one.">
        <input type="password" name="password" autoComplete="new-password" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Add user</Submit>
      </div>
    </form>
  );
}

export function PriorityMatrixForm({ rows }: { rows: number[][] }) {
  const { run, busy, error, done } = useAction(SetPriorityMatrixDocument);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ input: { rows: [0, 1, 2].map((i) => [0, 1, 2].map((u) => Number(f.get(`p-${i}-${u}`)))) } });
      }}
    >
      <div className="table-wrap" style={{ maxWidth: '40rem' }}>
        <table className="data matrix">
          <caption>Priority for each impact (rows) and urgency (columns)</caption>
          <thead>
            <tr>
              <th scope="col">Impact \ Urgency</th>
              <th scope="col">1 High</th>
              <th scope="col">2 Medium</th>
              <th scope="col">3 Low</th>
            </tr>
          </thead>
          <tbody>
            {[0, 1, 2].map((i) => (
              <tr key={i}>
                <th scope="row">{['1 High', '2 Medium', '3 Low'][i]}</th>
                {[0, 1, 2].map((u) => (
                  <td key={u}>
                    <select name={`p-${i}-${u}`} defaultValue={String(rows[i]?.[u] ?? 3)} aria-label={`Priority for impact ${i + 1}, urgency ${u + 1}`}>
                      {[1, 2, 3, 4, 5].map((p) => (
                        <option key={p} value={p}>
                          P{p} {PRIORITY_LABELS[p]}
                        </option>
                      ))}
                    </select>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormError error={error} />
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Submit busy={busy}>Save matrix</Submit>
        {done && !error ? <span className="form-ok" role="status">Saved; applies to incidents classified from now on.</span> : null}
      </div>
    </form>
  );
}

export interface CalendarView {
  id?: string;
  name: string;
  timeZone: string;
  weeklyHours: { day: string; start: string; end: string }[];
  holidays: { date: string; name: string }[];
}

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
  return { name: str(f, 'name') ?? '', timeZone: str(f, 'timeZone') ?? 'UTC', weeklyHours, holidays };
}

/** Create or edit a calendar: hours per weekday, holidays one per line ("YYYY-MM-DD name"). */
export function CalendarForm({ calendar }: { calendar?: CalendarView }) {
  const create = useAction(CreateBusinessCalendarDocument);
  const update = useAction(UpdateBusinessCalendarDocument);
  const a = calendar?.id ? update : create;
  const hours = new Map((calendar?.weeklyHours ?? []).map((h) => [h.day, h]));
  const key = calendar?.id ?? 'new';
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const input = calendarInput(new FormData(form));
        if (calendar?.id) await update.run({ id: calendar.id, input });
        else if (await create.run({ input })) form.reset();
      }}
    >
      <Field label="Name">
        <input type="text" name="name" required defaultValue={calendar?.name} />
      </Field>
      <Field label="Time zone" hint="IANA, e.g. Europe/Berlin">
        <input type="text" name="timeZone" required defaultValue={calendar?.timeZone ?? 'Europe/Berlin'} />
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
              {WEEKDAYS.map((d) => {
                const h = hours.get(d);
                const isNew = !calendar;
                const weekday = !['SAT', 'SUN'].includes(d);
                return (
                  <tr key={d}>
                    <th scope="row">{humanize(d)}</th>
                    <td>
                      <input type="checkbox" name={`${d}-on`} defaultChecked={h ? true : isNew && weekday} aria-label={`Works on ${humanize(d)}`} />
                    </td>
                    <td>
                      <input type="time" name={`${d}-start`} defaultValue={h?.start ?? '09:00'} aria-label={`${humanize(d)} from`} id={`${key}-${d}-s`} />
                    </td>
                    <td>
                      <input type="text" name={`${d}-end`} defaultValue={h?.end ?? '17:00'} aria-label={`${humanize(d)} to`} pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00" size={5} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>
      <Field label="Holidays" wide hint='One per line: "YYYY-MM-DD name"'>
        <textarea name="holidays" rows={4} defaultValue={(calendar?.holidays ?? []).map((h) => `${h.date} ${h.name}`).join('\n')} />
      </Field>
      <FormError error={a.error} />
      <div className="actions">
        <Submit busy={a.busy}>{calendar?.id ? 'Save calendar' : 'Add calendar'}</Submit>
        {calendar?.id ? <span className="muted small">Saving makes a new version of every policy using this calendar.</span> : null}
      </div>
    </form>
  );
}

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

export interface PolicyTerms {
  calendarId?: string | null;
  pauseHoldReasons: string[];
  targets: { priority: number; responseMinutes: number; resolutionMinutes: number }[];
}

function termsFrom(f: FormData) {
  return {
    calendarId: str(f, 'calendarId') ?? '',
    pauseHoldReasons: f.getAll('pause').map(String) as HoldReason[],
    targets: [1, 2, 3, 4, 5].map((p) => ({
      priority: p,
      responseMinutes: Number(f.get(`resp-${p}`)),
      resolutionMinutes: Number(f.get(`res-${p}`)),
    })),
  };
}

function TermsFields({ terms, calendars }: { terms?: PolicyTerms; calendars: Option[] }) {
  const byP = new Map((terms?.targets ?? []).map((t) => [t.priority, t]));
  const defaults: Record<number, [number, number]> = { 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 9600] };
  return (
    <>
      <Field label="Calendar">
        <OptionSelect name="calendarId" options={calendars} defaultValue={terms?.calendarId} required />
      </Field>
      <fieldset className="wide">
        <legend>Clocks pause while on hold for</legend>
        <div className="checks">
          {HOLD_REASONS.map((r) => (
            <label key={r}>
              <input type="checkbox" name="pause" value={r} defaultChecked={terms ? terms.pauseHoldReasons.includes(r) : r === 'AWAITING_USER'} /> {humanize(r)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="table-wrap wide">
        <table className="data">
          <caption>Targets in business minutes</caption>
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Response</th>
              <th scope="col">Resolution</th>
            </tr>
          </thead>
          <tbody>
            {[1, 2, 3, 4, 5].map((p) => (
              <tr key={p}>
                <th scope="row">
                  P{p} {PRIORITY_LABELS[p]}
                </th>
                <td>
                  <input type="number" min={1} name={`resp-${p}`} required defaultValue={byP.get(p)?.responseMinutes ?? defaults[p]![0]} aria-label={`P${p} response minutes`} />
                </td>
                <td>
                  <input type="number" min={1} name={`res-${p}`} required defaultValue={byP.get(p)?.resolutionMinutes ?? defaults[p]![1]} aria-label={`P${p} resolution minutes`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function EditPolicyForm({ id, terms, calendars }: { id: string; terms: PolicyTerms; calendars: Option[] }) {
  const { run, busy, error, done } = useAction(UpdateSlaPolicyDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ id, input: { ...termsFrom(f), note: str(f, 'note') } });
      }}
    >
      <TermsFields terms={terms} calendars={calendars} />
      <Field label="Why it changed" wide>
        <input type="text" name="note" />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Save as a new version</Submit>
        {done && !error ? <span className="form-ok" role="status">New version saved. Running incidents keep theirs until recomputed.</span> : null}
      </div>
    </form>
  );
}

export function CreatePolicyForm({ calendars }: { calendars: Option[] }) {
  const { run, busy, error } = useAction(CreateSlaPolicyDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        if (await run({ input: { name: str(f, 'name') ?? '', isDefault: f.get('isDefault') === 'on', ...termsFrom(f) } })) form.reset();
      }}
    >
      <Field label="Name">
        <input type="text" name="name" required />
      </Field>
      <label className="check">
        <input type="checkbox" name="isDefault" /> Make it the default policy
      </label>
      <TermsFields calendars={calendars} />
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Add policy</Submit>
      </div>
    </form>
  );
}

export function MakeDefaultButton({ id }: { id: string }) {
  const { run, busy, error } = useAction(MakeDefaultSlaPolicyDocument);
  return (
    <span>
      <button type="button" className="btn plain small" disabled={busy} aria-busy={busy} onClick={() => run({ id })}>
        Make default
      </button>
      <FormError error={error} />
    </span>
  );
}
