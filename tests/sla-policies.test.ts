import { fieldLabel } from '@ikb/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from './support/factories';
import {
  DEFAULT_POLICY_NAME,
  RESOLVE,
  acknowledge,
  calendar24x7,
  call,
  classify,
  clocks,
  createCalendar,
  createPolicy,
  iso,
  minutesAgo,
  move,
  officeHours,
  openIncident,
  plus,
  policies,
  recompute,
  seg,
  setServicePolicy,
  slaSnapshot,
  targets,
  uniq,
  updatePolicy,
  zoned,
  type Calendar,
  type Policy,
} from './support/sla-factories';
import { startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * Business calendars, SLA policies, their versions and per-service overrides, over
 * GraphQL; and bad input refused with nothing half-saved.
 */

let t: TestApp;
let cal24x7: string;
beforeAll(async () => {
  t = await startTestApp();
  cal24x7 = await calendar24x7(t);
});
afterAll(async () => {
  await t?.close();
});

const BERLIN = 'Europe/Berlin';
/** Wall-clock time in Berlin. January 2025 is CET (UTC+1), far from any DST change. */
const berlin = (local: string) => zoned(local, BERLIN);

const STANDARD = targets({ 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 10080] });

const IMPORT_HOLIDAYS = `mutation($id: ID!, $ics: String!, $mode: HolidayImportMode) {
  importCalendarHolidays(calendarId: $id, ics: $ics, mode: $mode) { added calendar { id holidays { date name } } } }`;
const UPDATE_CALENDAR = `mutation($id: ID!, $input: BusinessCalendarInput!) { updateBusinessCalendar(id: $id, input: $input) { id name
  weeklyHours { day start end } holidays { date name } } }`;

async function policy(id: string): Promise<Policy> {
  const p = (await policies(t)).find((x) => x.id === id);
  expect(p, `policy ${id}`).toBeDefined();
  return p!;
}

describe('business hours', () => {
  it('counts only working time, and calendar edits reach clocks only through new policy versions and a recompute', async () => {
    const calendar = await createCalendar(t, { timeZone: BERLIN, weeklyHours: officeHours('09:00', '17:00') });
    expect(calendar.weeklyHours).toEqual(['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '17:00' })));
    expect(calendar.holidays).toEqual([]);
    // P3: respond in 30, resolve in 120 business minutes.
    const p = await createPolicy(t, {
      calendarId: calendar.id,
      targets: targets({ 1: [10, 60], 2: [20, 90], 3: [30, 120], 4: [60, 480], 5: [120, 960] }),
    });
    expect(p).toMatchObject({
      currentVersion: 1,
      isDefault: false,
      current: { version: 1, timeZone: BERLIN, calendar: { id: calendar.id }, pauseHoldReasons: ['AWAITING_USER', 'AWAITING_VENDOR'] },
    });
    const service = await createService(t);
    expect((await setServicePolicy(t, service.id, p.id)).slaPolicy).toEqual({ id: p.id });

    // A: opened Friday 10 January 2025 16:00, acknowledged 16:20, resolved Monday 13 January 10:00.
    //    Resolution: Fri 16:00-17:00 = 60, Sat + Sun = 0, Mon 09:00-10:00 = 60 -> 120 of 120: MET.
    // B: same opening, resolved Monday 12:00: 60 + 180 = 240 -> BREACHED when the 120th minute
    //    was used: 60 on Friday, the other 60 from Monday 09:00, so at Monday 10:00.
    // C: opened Saturday 11 January 11:00 (no business time until Monday 09:00), acknowledged
    //    Monday 09:20, resolved Monday 10:30: response 20 of 30, resolution 90 of 120: both MET.
    const fri1600 = berlin('2025-01-10T16:00');
    expect(iso(fri1600)).toBe('2025-01-10T15:00:00.000Z');
    const onService = { serviceId: service.id };
    const a = await openIncident(t, fri1600, 3, onService);
    const b = await openIncident(t, fri1600, 3, onService);
    const c = await openIncident(t, berlin('2025-01-11T11:00'), 3, onService);
    for (const i of [a, b]) await acknowledge(t, i.id, berlin('2025-01-10T16:20'));
    await acknowledge(t, c.id, berlin('2025-01-13T09:20'));
    await move(t, a.id, berlin('2025-01-13T10:00'), RESOLVE);
    await move(t, b.id, berlin('2025-01-13T12:00'), RESOLVE);
    await move(t, c.id, berlin('2025-01-13T10:30'), RESOLVE);

    const v1 = { A: await clocks(t, a.id), B: await clocks(t, b.id), C: await clocks(t, c.id) };
    for (const x of Object.values(v1)) {
      expect(x.RESOLUTION).toMatchObject({
        policyName: p.name,
        policyVersion: 1,
        policyVersionId: p.current.id,
        targetMinutes: 120,
        priority: 3,
      });
    }
    expect(v1.A.RESOLUTION).toMatchObject({
      verdict: 'MET',
      elapsedMinutes: 120,
      remainingMinutes: 0,
      breachedAt: null,
      stoppedAt: iso(berlin('2025-01-13T10:00')),
      // Segments are wall-clock stretches; the calendar only decides what counts.
      segments: [seg('RUNNING', fri1600, berlin('2025-01-13T10:00'))],
    });
    expect(v1.A.RESPONSE).toMatchObject({ verdict: 'MET', elapsedMinutes: 20 });
    expect(v1.B.RESOLUTION).toMatchObject({ verdict: 'BREACHED', elapsedMinutes: 240, breachedAt: iso(berlin('2025-01-13T10:00')) });
    expect(v1.C.RESOLUTION).toMatchObject({ verdict: 'MET', elapsedMinutes: 90 });
    expect(v1.C.RESPONSE).toMatchObject({ verdict: 'MET', elapsedMinutes: 20 });

    // Monday 13 January becomes a holiday, from an .ics file (CRLF, a folded summary, a timezone
    // block whose DTSTART is no event, and a three-day event with an exclusive DTEND).
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Example Corp//Holidays//EN',
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:STANDARD',
      'DTSTART:19701025T030000',
      'END:STANDARD',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:day-off-1@example.test',
      'DTSTART;VALUE=DATE:20250113',
      'SUMMARY:Company',
      '  day off',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:day-off-2@example.test',
      'DTSTART;VALUE=DATE:20251224',
      'DTEND;VALUE=DATE:20251227',
      'SUMMARY:Christmas',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const imported = await call<{ added: number; calendar: Calendar }>(t, IMPORT_HOLIDAYS, { id: calendar.id, ics });
    expect(imported.added).toBe(4);
    expect(imported.calendar.holidays).toEqual([
      { date: '2025-01-13', name: 'Company day off' },
      { date: '2025-12-24', name: 'Christmas' },
      { date: '2025-12-25', name: 'Christmas' },
      { date: '2025-12-26', name: 'Christmas' },
    ]);
    const afterImport = await policy(p.id);
    expect(afterImport.currentVersion).toBe(2);
    expect(afterImport.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(afterImport.versions[0]!.note).toContain('Holidays imported');

    // Incidents keep version 1 until recomputed with useLatestPolicyVersion.
    expect(await clocks(t, a.id)).toEqual(v1.A);
    expect(await recompute(t, [a.id, b.id, c.id], false)).toEqual({ recomputed: 3, verdictsChanged: 0 });
    expect({ A: await clocks(t, a.id), B: await clocks(t, b.id), C: await clocks(t, c.id) }).toEqual(v1);

    // Under version 2 Monday is a holiday: A and B use only Friday's 60 minutes, C none at all.
    // B goes from BREACHED to MET: one verdict changed.
    expect(await recompute(t, [a.id, b.id, c.id], true)).toEqual({ recomputed: 3, verdictsChanged: 1 });
    const v2 = { A: await clocks(t, a.id), B: await clocks(t, b.id), C: await clocks(t, c.id) };
    for (const x of Object.values(v2)) for (const clock of [x.RESPONSE, x.RESOLUTION]) expect(clock.policyVersion).toBe(2);
    expect(v2.A.RESOLUTION).toMatchObject({ verdict: 'MET', elapsedMinutes: 60, remainingMinutes: 60 });
    // Had it run on: the 60 minutes left from Tuesday 09:00.
    expect(v2.B.RESOLUTION).toMatchObject({ verdict: 'MET', elapsedMinutes: 60, breachedAt: null, dueAt: iso(berlin('2025-01-14T10:00')) });
    expect(v2.C.RESOLUTION).toMatchObject({ verdict: 'MET', elapsedMinutes: 0 });
    expect(v2.C.RESPONSE).toMatchObject({ verdict: 'MET', elapsedMinutes: 0 });
    expect(v2.A.RESPONSE).toMatchObject({ verdict: 'MET', elapsedMinutes: 20 });
    // Recomputing again changes nothing.
    expect(await recompute(t, [a.id, b.id, c.id], true)).toEqual({ recomputed: 3, verdictsChanged: 0 });

    // updateBusinessCalendar: hours from 08:00 and the holidays dropped -> version 3.
    // A: Fri 60 + Mon 08:00-10:00 120 = 180 -> BREACHED at Mon 09:00 (60 left from 08:00).
    // B: 60 + 240 = 300 -> BREACHED at Mon 09:00.
    // C: Mon 08:00-10:30 = 150 -> BREACHED at Mon 10:00; response 08:00-09:20 = 80 of 30 ->
    //    BREACHED at 08:30. Four verdicts change (A, B, C resolution and C response).
    const updated = await call<Calendar>(t, UPDATE_CALENDAR, {
      id: calendar.id,
      input: { name: calendar.name, timeZone: BERLIN, weeklyHours: officeHours('08:00', '17:00'), holidays: [] },
    });
    expect(updated.weeklyHours[0]).toEqual({ day: 'MON', start: '08:00', end: '17:00' });
    expect(updated.holidays).toEqual([]);
    const afterUpdate = await policy(p.id);
    expect(afterUpdate.currentVersion).toBe(3);
    expect(afterUpdate.versions[0]!.note).toContain('changed');
    expect(await clocks(t, b.id)).toEqual(v2.B);
    expect(await recompute(t, [a.id, b.id, c.id], false)).toEqual({ recomputed: 3, verdictsChanged: 0 });
    expect(await recompute(t, [a.id, b.id, c.id], true)).toEqual({ recomputed: 3, verdictsChanged: 4 });
    const v3 = { A: await clocks(t, a.id), B: await clocks(t, b.id), C: await clocks(t, c.id) };
    expect(v3.A.RESOLUTION).toMatchObject({
      policyVersion: 3,
      verdict: 'BREACHED',
      elapsedMinutes: 180,
      breachedAt: iso(berlin('2025-01-13T09:00')),
    });
    expect(v3.B.RESOLUTION).toMatchObject({ verdict: 'BREACHED', elapsedMinutes: 300, breachedAt: iso(berlin('2025-01-13T09:00')) });
    expect(v3.C.RESOLUTION).toMatchObject({ verdict: 'BREACHED', elapsedMinutes: 150, breachedAt: iso(berlin('2025-01-13T10:00')) });
    expect(v3.C.RESPONSE).toMatchObject({ verdict: 'BREACHED', elapsedMinutes: 80, breachedAt: iso(berlin('2025-01-13T08:30')) });

    // Older versions are immutable: version 1 keeps its calendar snapshot (09:00 starts, no holiday).
    const [v1Row] = await t.sql(`select calendar from sla_policy_versions where policy_id = $1 and version = 1`, [p.id]);
    expect(v1Row.calendar).toMatchObject({ timeZone: BERLIN, holidays: [], weeklyHours: { MON: [{ start: '09:00', end: '17:00' }] } });
  });

  it('a target that runs out at Friday 17:00 is breached by a resolution on Saturday', async () => {
    const calendar = await createCalendar(t, { timeZone: BERLIN, weeklyHours: officeHours('09:00', '17:00') });
    const p = await createPolicy(t, {
      calendarId: calendar.id,
      targets: targets({ 1: [10, 60], 2: [20, 90], 3: [30, 120], 4: [60, 480], 5: [120, 960] }),
    });
    const service = await createService(t);
    await setServicePolicy(t, service.id, p.id);
    // Opened Friday 15:00: 120 business minutes run out at 17:00; resolved Saturday 10:00 with
    // no business time in between -> elapsed 120 but BREACHED (at Friday 17:00).
    const inc = await openIncident(t, berlin('2025-01-10T15:00'), 3, { serviceId: service.id });
    await acknowledge(t, inc.id, berlin('2025-01-10T15:05'));
    const c = (await move(t, inc.id, berlin('2025-01-11T10:00'), RESOLVE)).slaClocks.find((x) => x.target === 'RESOLUTION')!;
    expect(c).toMatchObject({ verdict: 'BREACHED', elapsedMinutes: 120, breachedAt: iso(berlin('2025-01-10T17:00')) });
  });

  it('paused time outside working hours does not count twice: a hold over the weekend', async () => {
    const calendar = await createCalendar(t, { timeZone: BERLIN, weeklyHours: officeHours('09:00', '17:00') });
    const p = await createPolicy(t, {
      calendarId: calendar.id,
      targets: targets({ 1: [10, 60], 2: [20, 90], 3: [30, 480], 4: [60, 480], 5: [120, 960] }),
    });
    const service = await createService(t);
    await setServicePolicy(t, service.id, p.id);
    // Opened Thu 9 Jan 16:00; on hold (user) Fri 10:00 to Mon 11:00; resolved Mon 12:00.
    // Running: Thu 16-17 = 60, Fri 09-10 = 60, Mon 11-12 = 60 -> 180 of 480.
    const inc = await openIncident(t, berlin('2025-01-09T16:00'), 3, { serviceId: service.id });
    await acknowledge(t, inc.id, berlin('2025-01-09T16:10'));
    await move(t, inc.id, berlin('2025-01-09T16:15'), { to: 'INVESTIGATING' });
    await move(t, inc.id, berlin('2025-01-10T10:00'), { to: 'ON_HOLD', holdReason: 'AWAITING_USER' });
    await move(t, inc.id, berlin('2025-01-13T11:00'), { to: 'INVESTIGATING' });
    const c = (await move(t, inc.id, berlin('2025-01-13T12:00'), RESOLVE)).slaClocks.find((x) => x.target === 'RESOLUTION')!;
    expect(c).toMatchObject({ verdict: 'MET', elapsedMinutes: 180, remainingMinutes: 300 });
    expect(c.segments.map((s) => [s.state, s.holdReason])).toEqual([
      ['RUNNING', null],
      ['PAUSED', 'AWAITING_USER'],
      ['RUNNING', null],
    ]);
  });
  it('business time is real elapsed time across both DST changes, and local hours follow the zone', async () => {
    const service = await createService(t);
    const roundTheClock = await createCalendar(t, {
      timeZone: BERLIN,
      weeklyHours: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({ day, start: '00:00', end: '24:00' })),
    });
    const p = await createPolicy(t, { calendarId: roundTheClock.id, targets: STANDARD });
    await setServicePolicy(t, service.id, p.id);
    const resolution = async (open: string, resolve: string) => {
      const inc = await openIncident(t, berlin(open), 3, { serviceId: service.id });
      await acknowledge(t, inc.id, plus(berlin(open), 1));
      return (await move(t, inc.id, berlin(resolve), RESOLVE)).slaClocks.find((c) => c.target === 'RESOLUTION')!;
    };
    // Sat 29 March 12:00 CET (11:00Z) to Sun 30 March 12:00 CEST (10:00Z): the night lost an hour,
    // so 23 h = 1380 of 1440 minutes: MET.
    expect(await resolution('2025-03-29T12:00', '2025-03-30T12:00')).toMatchObject({
      verdict: 'MET',
      elapsedMinutes: 1380,
      remainingMinutes: 60,
    });
    // Sat 25 October 12:00 CEST (10:00Z) to Sun 26 October 12:00 CET (11:00Z): 25 h = 1500 minutes;
    // the 1440 ran out 24 real hours after opening, Sunday 10:00Z = 11:00 CET.
    expect(await resolution('2025-10-25T12:00', '2025-10-26T12:00')).toMatchObject({
      verdict: 'BREACHED',
      elapsedMinutes: 1500,
      breachedAt: '2025-10-26T10:00:00.000Z',
    });

    // New York office hours over the weekend the clocks went forward (Sunday 9 March 2025):
    // Fri 7 March 16:00 EST (21:00Z) to Mon 10 March 10:00 EDT (14:00Z) is Fri 16-17 + Mon 09-10
    // = 120 business minutes. (A fixed UTC-5 offset would put Monday 09:00 at 14:00Z: 60.)
    const ny = await createCalendar(t, { timeZone: 'America/New_York', weeklyHours: officeHours('09:00', '17:00') });
    const nyPolicy = await createPolicy(t, { calendarId: ny.id, targets: STANDARD });
    const nyService = await createService(t);
    await setServicePolicy(t, nyService.id, nyPolicy.id);
    const inc = await openIncident(t, zoned('2025-03-07T16:00', 'America/New_York'), 3, { serviceId: nyService.id });
    expect(inc.openedAt).toBe('2025-03-07T21:00:00.000Z');
    const resolved = await move(t, inc.id, zoned('2025-03-10T10:00', 'America/New_York'), RESOLVE);
    expect(zoned('2025-03-10T10:00', 'America/New_York').toISOString()).toBe('2025-03-10T14:00:00.000Z');
    // Not acknowledged: response (120) ran out at Monday 10:00 too, exactly: met on the minute.
    expect(resolved.slaClocks.map((c) => [c.target, c.elapsedMinutes, c.verdict]).sort()).toEqual([
      ['RESOLUTION', 120, 'MET'],
      ['RESPONSE', 120, 'MET'],
    ]);
  });

  it('importCalendarHolidays: MERGE adds, REPLACE replaces, yearly rules expand', async () => {
    const calendar = await createCalendar(t, {
      timeZone: BERLIN,
      weeklyHours: officeHours(),
      holidays: [{ date: '2025-05-01', name: 'Labour Day' }],
    });
    const wrap = (events: string) => `BEGIN:VCALENDAR\nVERSION:2.0\n${events}END:VCALENDAR\n`;
    const merged = await call<{ added: number; calendar: Calendar }>(t, IMPORT_HOLIDAYS, {
      id: calendar.id,
      ics: wrap(
        'BEGIN:VEVENT\nDTSTART;VALUE=DATE:20251003\nSUMMARY:Tag der Deutschen Einheit\nEND:VEVENT\n' +
          'BEGIN:VEVENT\nDTSTART;VALUE=DATE:20251225\nRRULE:FREQ=YEARLY;COUNT=2\nSUMMARY:Christmas Day\nEND:VEVENT\n' +
          'BEGIN:VEVENT\nDTSTART;VALUE=DATE:20250501\nSUMMARY:Maifeiertag\nEND:VEVENT\n',
      ),
    });
    // 1 May was there already: three dates are new.
    expect(merged.added).toBe(3);
    expect(merged.calendar.holidays.map((h) => h.date)).toEqual(['2025-05-01', '2025-10-03', '2025-12-25', '2026-12-25']);
    const replaced = await call<{ added: number; calendar: Calendar }>(t, IMPORT_HOLIDAYS, {
      id: calendar.id,
      mode: 'REPLACE',
      ics: wrap('BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nSUMMARY:New Year\nEND:VEVENT\n'),
    });
    expect(replaced.added).toBe(1);
    expect(replaced.calendar.holidays).toEqual([{ date: '2026-01-01', name: 'New Year' }]);
    const [row] = await t.sql(`select holidays from business_calendars where id = $1`, [calendar.id]);
    expect(row.holidays).toEqual([{ date: '2026-01-01', name: 'New Year' }]);
  });
});

describe('policy versions and service overrides', () => {
  it('updateSlaPolicy makes version 2; running incidents keep version 1, new ones get 2, recompute moves them', async () => {
    const p = await createPolicy(t, { calendarId: cal24x7, targets: STANDARD });
    const service = await createService(t);
    await setServicePolicy(t, service.id, p.id);
    // X: P3 (120 / 1440 under version 1), acknowledged after 90, resolved after 1000 minutes: both met.
    const t0 = minutesAgo(3 * 24 * 60);
    const x = await openIncident(t, t0, 3, { serviceId: service.id });
    await acknowledge(t, x.id, plus(t0, 90));
    await move(t, x.id, plus(t0, 1000), RESOLVE);
    const v1 = await clocks(t, x.id);
    expect(v1.RESPONSE).toMatchObject({
      policyName: p.name,
      policyVersion: 1,
      policyVersionId: p.current.id,
      targetMinutes: 120,
      verdict: 'MET',
    });
    expect(v1.RESOLUTION).toMatchObject({ policyVersion: 1, targetMinutes: 1440, verdict: 'MET', elapsedMinutes: 1000 });

    // Version 2: P3 60 / 720, and holds for a change pause too.
    const tighter = targets({ 1: [15, 240], 2: [30, 480], 3: [60, 720], 4: [480, 4320], 5: [1440, 10080] });
    const updated = await updatePolicy(t, p.id, {
      calendarId: cal24x7,
      targets: tighter,
      pauseHoldReasons: ['AWAITING_USER', 'AWAITING_CHANGE'],
      note: 'Tighter P3 after the Q3 review',
    });
    expect(updated.currentVersion).toBe(2);
    expect(updated.current).toMatchObject({
      version: 2,
      note: 'Tighter P3 after the Q3 review',
      pauseHoldReasons: ['AWAITING_USER', 'AWAITING_CHANGE'],
    });
    expect(updated.current.targets.find((tt) => tt.priority === 3)).toEqual({ priority: 3, responseMinutes: 60, resolutionMinutes: 720 });
    expect(updated.versions.map((v) => [v.version, v.note])).toEqual([
      [2, 'Tighter P3 after the Q3 review'],
      [1, 'Created'],
    ]);
    const [row] = await t.sql(`select count(*)::int as n from sla_policy_versions where policy_id = $1`, [p.id]);
    expect(row.n).toBe(2);

    // X keeps version 1, even when an event rebuilds its clocks.
    await call(t, `mutation($id: ID!) { addStakeholderUpdate(id: $id, input: { message: "Post-mortem scheduled" }) { id } }`, { id: x.id });
    expect(await clocks(t, x.id)).toEqual(v1);
    const reclassified = await classify(t, x.id, { impact: 2, urgency: 2 });
    expect(reclassified.slaClocks.every((c) => c.policyVersion === 1)).toBe(true);

    // A new incident on the service starts under version 2.
    const y = await openIncident(t, minutesAgo(5), 3, { serviceId: service.id });
    const yc = await clocks(t, y.id);
    expect(yc.RESPONSE).toMatchObject({ policyVersion: 2, policyVersionId: updated.current.id, targetMinutes: 60 });
    expect(yc.RESOLUTION).toMatchObject({ policyVersion: 2, targetMinutes: 720 });

    // Recompute without moving: same version, same verdicts.
    expect(await recompute(t, [x.id, y.id], false)).toEqual({ recomputed: 2, verdictsChanged: 0 });
    expect(await clocks(t, x.id)).toEqual(v1);
    // Move X to version 2: acknowledged after 90 of 60 (breached at t0+60), resolved after 1000
    // of 720 (breached at t0+720): two verdicts change. Y is already on version 2: unchanged.
    expect(await recompute(t, [x.id, y.id, x.id], true)).toEqual({ recomputed: 2, verdictsChanged: 2 });
    const v2 = await clocks(t, x.id);
    expect(v2.RESPONSE).toMatchObject({
      policyVersion: 2,
      targetMinutes: 60,
      verdict: 'BREACHED',
      breachedAt: iso(plus(t0, 60)),
      elapsedMinutes: 90,
    });
    expect(v2.RESOLUTION).toMatchObject({
      policyVersion: 2,
      targetMinutes: 720,
      verdict: 'BREACHED',
      breachedAt: iso(plus(t0, 720)),
      elapsedMinutes: 1000,
    });
    const [stored] = await t.sql(
      `select v.version from incidents i join sla_policy_versions v on v.id = i.sla_policy_version_id where i.id = $1`,
      [x.id],
    );
    expect(stored.version).toBe(2);
  });

  it('a new version re-applies its pause reasons to the stored holds', async () => {
    const p = await createPolicy(t, { calendarId: cal24x7, targets: STANDARD, pauseHoldReasons: ['AWAITING_USER'] });
    const service = await createService(t);
    await setServicePolicy(t, service.id, p.id);
    // P2 (480): on hold for a change from t0+100 to t0+400, resolved at t0+500.
    const t0 = minutesAgo(2 * 24 * 60);
    const inc = await openIncident(t, t0, 2, { serviceId: service.id });
    await acknowledge(t, inc.id, plus(t0, 10));
    await move(t, inc.id, plus(t0, 20), { to: 'INVESTIGATING' });
    await move(t, inc.id, plus(t0, 100), { to: 'ON_HOLD', holdReason: 'AWAITING_CHANGE' });
    await move(t, inc.id, plus(t0, 400), { to: 'INVESTIGATING' });
    await move(t, inc.id, plus(t0, 500), RESOLVE);
    // Version 1 does not pause for a change: 500 of 480 -> breached at t0+480.
    expect((await clocks(t, inc.id)).RESOLUTION).toMatchObject({
      verdict: 'BREACHED',
      elapsedMinutes: 500,
      breachedAt: iso(plus(t0, 480)),
    });
    // Version 2 does: 500 - 300 = 200 -> met.
    await updatePolicy(t, p.id, { calendarId: cal24x7, targets: STANDARD, pauseHoldReasons: ['AWAITING_USER', 'AWAITING_CHANGE'] });
    expect(await recompute(t, [inc.id], true)).toEqual({ recomputed: 1, verdictsChanged: 1 });
    const c = (await clocks(t, inc.id)).RESOLUTION;
    expect(c).toMatchObject({ policyVersion: 2, verdict: 'MET', elapsedMinutes: 200 });
    expect(c.segments).toEqual([
      seg('RUNNING', t0, plus(t0, 100)),
      seg('PAUSED', plus(t0, 100), plus(t0, 400), 'AWAITING_CHANGE'),
      seg('RUNNING', plus(t0, 400), plus(t0, 500)),
    ]);
  });

  it('service overrides: the default policy applies without one; a service policy to new incidents or after a recompute', async () => {
    const service = await createService(t);
    const t0 = minutesAgo(2 * 24 * 60);
    // P4 under the default policy: 480 / 4320; acknowledged after 100.
    const before = await openIncident(t, t0, 4, { serviceId: service.id });
    await acknowledge(t, before.id, plus(t0, 100));
    expect((await clocks(t, before.id)).RESPONSE).toMatchObject({ policyName: DEFAULT_POLICY_NAME, targetMinutes: 480, verdict: 'MET' });

    // The service gets its own policy with P4 response 60.
    const own = await createPolicy(t, {
      calendarId: cal24x7,
      targets: targets({ 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [60, 4320], 5: [1440, 10080] }),
    });
    const svc = await call<{ id: string; slaPolicy: { id: string; name: string } | null }>(
      t,
      `mutation($s: ID!, $p: ID) { setServiceSlaPolicy(serviceId: $s, policyId: $p) { id slaPolicy { id name } } }`,
      { s: service.id, p: own.id },
    );
    expect(svc.slaPolicy).toEqual({ id: own.id, name: own.name });
    const [row] = await t.sql(`select sla_policy_id from services where id = $1`, [service.id]);
    expect(row.sla_policy_id).toBe(own.id);

    // The incident already running keeps the default policy's version...
    expect((await clocks(t, before.id)).RESPONSE).toMatchObject({ policyName: DEFAULT_POLICY_NAME, targetMinutes: 480 });
    // ...a new one starts under the service's policy...
    const after = await openIncident(t, t0, 4, { serviceId: service.id });
    await acknowledge(t, after.id, plus(t0, 100));
    expect((await clocks(t, after.id)).RESPONSE).toMatchObject({
      policyName: own.name,
      targetMinutes: 60,
      verdict: 'BREACHED',
      breachedAt: iso(plus(t0, 60)),
    });
    // ...and a recompute onto the latest version moves the older one to the service's policy.
    expect(await recompute(t, [before.id], true)).toEqual({ recomputed: 1, verdictsChanged: 1 });
    expect((await clocks(t, before.id)).RESPONSE).toMatchObject({
      policyName: own.name,
      policyVersion: 1,
      targetMinutes: 60,
      verdict: 'BREACHED',
    });

    // Moving an incident to another service takes that service's policy at once.
    const other = await createService(t);
    const moved = await classify(t, after.id, { serviceId: other.id });
    expect(moved.slaClocks.map((c) => [c.target, c.policyName, c.targetMinutes]).sort()).toEqual([
      ['RESOLUTION', DEFAULT_POLICY_NAME, 4320],
      ['RESPONSE', DEFAULT_POLICY_NAME, 480],
    ]);

    // Back to the default policy.
    expect((await setServicePolicy(t, service.id, null)).slaPolicy).toBeNull();
    const third = await openIncident(t, minutesAgo(1), 4, { serviceId: service.id });
    expect(third.slaClocks.every((c) => c.policyName === DEFAULT_POLICY_NAME)).toBe(true);
  });

  it('makeDefaultSlaPolicy and createSlaPolicy(isDefault): services without a policy of their own follow the new default', async () => {
    const original = (await policies(t)).find((x) => x.isDefault)!;
    expect(original.name).toBe(DEFAULT_POLICY_NAME);
    const p = await createPolicy(t, {
      calendarId: cal24x7,
      targets: targets({ 1: [5, 60], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 10080] }),
    });
    try {
      const made = await call(t, `mutation($id: ID!) { makeDefaultSlaPolicy(id: $id) { id isDefault } }`, { id: p.id });
      expect(made).toEqual({ id: p.id, isDefault: true });
      const list = await policies(t);
      // Default first, exactly one default.
      expect(list[0]!.id).toBe(p.id);
      expect(list.filter((x) => x.isDefault).map((x) => x.id)).toEqual([p.id]);
      const inc = await openIncident(t, minutesAgo(1), 1);
      expect(inc.slaClocks.find((c) => c.target === 'RESPONSE')).toMatchObject({ policyName: p.name, targetMinutes: 5 });
      // createSlaPolicy(isDefault: true) takes the flag over as well.
      const q = await createPolicy(t, { calendarId: cal24x7, targets: STANDARD, isDefault: true });
      expect((await policies(t)).filter((x) => x.isDefault).map((x) => x.id)).toEqual([q.id]);
    } finally {
      await call(t, `mutation($id: ID!) { makeDefaultSlaPolicy(id: $id) { id } }`, { id: original.id });
    }
    expect((await policies(t)).filter((x) => x.isDefault).map((x) => x.id)).toEqual([original.id]);
  });

  it('a calendar shared by two policies gives both a new version', async () => {
    const calendar = await createCalendar(t, { timeZone: 'America/New_York', weeklyHours: officeHours('08:00', '18:00') });
    const p1 = await createPolicy(t, { calendarId: calendar.id, targets: STANDARD });
    const p2 = await createPolicy(t, { calendarId: calendar.id, targets: STANDARD });
    const unrelated = await createPolicy(t, { calendarId: cal24x7, targets: STANDARD });
    await call(t, UPDATE_CALENDAR, {
      id: calendar.id,
      input: {
        name: calendar.name,
        timeZone: 'America/New_York',
        weeklyHours: officeHours('08:00', '18:00'),
        holidays: [{ date: '2025-07-04', name: 'Independence Day' }],
      },
    });
    expect((await policy(p1.id)).currentVersion).toBe(2);
    expect((await policy(p2.id)).currentVersion).toBe(2);
    expect((await policy(unrelated.id)).currentVersion).toBe(1);
    const [snap] = await t.sql(`select calendar from sla_policy_versions where policy_id = $1 and version = 2`, [p1.id]);
    expect(snap.calendar).toMatchObject({ timeZone: 'America/New_York', holidays: ['2025-07-04'] });
  });
});

describe('bad input is refused and nothing is half-saved', () => {
  const CREATE_CALENDAR = `mutation($input: BusinessCalendarInput!) { createBusinessCalendar(input: $input) { id } }`;
  const CREATE_POLICY = `mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { id } }`;
  const UPDATE_POLICY = `mutation($id: ID!, $input: UpdateSlaPolicyInput!) { updateSlaPolicy(id: $id, input: $input) { id } }`;
  const SET_SERVICE_POLICY = `mutation($s: ID!, $p: ID) { setServiceSlaPolicy(serviceId: $s, policyId: $p) { id } }`;
  const RECOMPUTE = `mutation($input: RecomputeSlaInput!) { recomputeSlaClocks(input: $input) { recomputed } }`;
  const MAKE_DEFAULT = `mutation($id: ID!) { makeDefaultSlaPolicy(id: $id) { id } }`;
  const MISSING = '00000000-0000-4000-8000-00000000dead';

  /**
   * extensions.field names the input. The SLA service prefixes the argument ("input.timeZone")
   * while class-validator does not ("calendarId"): compared without the prefix here.
   */
  const bare = (field: unknown) => String(field).replace(/^input\./, '');

  type Err = NonNullable<GqlResult['errors']>[number];
  async function refused(query: string, variables: Record<string, unknown>, code: string, field?: string | RegExp): Promise<Err> {
    const before = await slaSnapshot(t);
    const r = await t.gql(query, variables);
    const dump = JSON.stringify(r.errors ?? r.data);
    expect(r.errors?.length, dump).toBe(1);
    expect(r.data == null || Object.values(r.data as Record<string, unknown>).every((v) => v === null), dump).toBe(true);
    const e = r.errors![0]!;
    expect(e.extensions?.code, dump).toBe(code);
    if (field instanceof RegExp) expect(bare(e.extensions?.field), dump).toMatch(field);
    else if (field !== undefined) {
      expect(bare(e.extensions?.field), dump).toBe(field);
      expect(e.message.toLowerCase(), dump).toContain(fieldLabel(field).toLowerCase());
    }
    expect(await slaSnapshot(t), `${code}: ${e.message}: SLA rows changed`).toEqual(before);
    return e;
  }

  let calendarId: string;
  let policyId: string;
  let serviceId: string;
  beforeAll(async () => {
    // A calendar used by a policy used by a service: any half-saved edit would show in versions.
    calendarId = (await createCalendar(t, { timeZone: BERLIN, weeklyHours: officeHours() })).id;
    policyId = (await createPolicy(t, { calendarId, targets: STANDARD })).id;
    serviceId = (await createService(t)).id;
    await setServicePolicy(t, serviceId, policyId);
  });
  const calInput = (over: Record<string, unknown> = {}) => ({
    name: uniq('Bad calendar'),
    timeZone: BERLIN,
    weeklyHours: officeHours(),
    ...over,
  });
  const terms = (over: Record<string, unknown> = {}) => ({ calendarId, targets: STANDARD, pauseHoldReasons: ['AWAITING_USER'], ...over });
  const polInput = (over: Record<string, unknown> = {}) => ({ name: uniq('Bad policy'), ...terms(over) });
  /** Variables for createSlaPolicy or updateSlaPolicy (which takes no name) on the used policy. */
  const polVars = (q: string, over: Record<string, unknown>) =>
    q === CREATE_POLICY ? { input: polInput(over) } : { id: policyId, input: terms(over) };

  it('overlapping working hours, naming both intervals', async () => {
    const weeklyHours = [
      { day: 'MON', start: '09:00', end: '12:00' },
      { day: 'TUE', start: '09:00', end: '17:00' },
      { day: 'MON', start: '11:30', end: '17:00' },
    ];
    for (const q of [CREATE_CALENDAR, UPDATE_CALENDAR]) {
      const e = await refused(q, { id: calendarId, input: calInput({ weeklyHours }) }, 'BAD_USER_INPUT', /^weeklyHours/);
      expect(e.message).toContain('11:30-17:00 overlaps 09:00-12:00 on MON');
    }
  });

  // The field names the entry of the list as sent, not its place among that day's intervals.
  it('the field of an overlapping interval points into input.weeklyHours', async () => {
    const weeklyHours = [
      { day: 'MON', start: '09:00', end: '12:00' },
      { day: 'TUE', start: '09:00', end: '17:00' },
      { day: 'MON', start: '11:30', end: '17:00' },
    ];
    const r = await t.gql(CREATE_CALENDAR, { input: calInput({ weeklyHours }) });
    expect(r.errors?.[0]?.extensions?.field).toBe('input.weeklyHours[2]');
  });

  it('an unknown time zone', async () => {
    for (const q of [CREATE_CALENDAR, UPDATE_CALENDAR]) {
      const e = await refused(q, { id: calendarId, input: calInput({ timeZone: 'Mars/Olympus' }) }, 'BAD_USER_INPUT', 'timeZone');
      expect(e.message).toContain('Mars/Olympus');
    }
  });

  it('other bad calendars: no hours, end before start, 25:00, an impossible holiday', async () => {
    await refused(CREATE_CALENDAR, { input: calInput({ weeklyHours: [] }) }, 'BAD_USER_INPUT', 'weeklyHours');
    await refused(
      CREATE_CALENDAR,
      { input: calInput({ weeklyHours: [{ day: 'MON', start: '17:00', end: '09:00' }] }) },
      'BAD_USER_INPUT',
      /^weeklyHours/,
    );
    await refused(
      CREATE_CALENDAR,
      { input: calInput({ weeklyHours: [{ day: 'MON', start: '09:00', end: '25:00' }] }) },
      'BAD_USER_INPUT',
      /^weeklyHours/,
    );
    await refused(
      UPDATE_CALENDAR,
      { id: calendarId, input: calInput({ holidays: [{ date: '2025-02-30', name: 'Nope' }] }) },
      'BAD_USER_INPUT',
      /^holidays/,
    );
  });

  it('negative or zero targets, a missing priority, a priority given twice or out of range', async () => {
    const withP1 = (responseMinutes: number, resolutionMinutes: number) => [
      { priority: 1, responseMinutes, resolutionMinutes },
      ...STANDARD.slice(1),
    ];
    for (const q of [CREATE_POLICY, UPDATE_POLICY]) {
      const vars = (over: Record<string, unknown>) => polVars(q, over);
      const neg = await refused(q, vars({ targets: withP1(-5, 240) }), 'BAD_USER_INPUT', /targets.*responseMinutes/);
      expect(neg.message).toMatch(/Response minutes/);
      await refused(q, vars({ targets: withP1(15, 0) }), 'BAD_USER_INPUT', /targets.*resolutionMinutes/);
      const missing = await refused(q, vars({ targets: STANDARD.slice(0, 4) }), 'BAD_USER_INPUT', 'targets');
      expect(missing.message).toContain('priority 5');
      await refused(q, vars({ targets: [...STANDARD, STANDARD[0]] }), 'BAD_USER_INPUT', /targets/);
      await refused(
        q,
        vars({ targets: [...STANDARD.slice(0, 4), { priority: 6, responseMinutes: 1, resolutionMinutes: 2 }] }),
        'BAD_USER_INPUT',
        /targets/,
      );
    }
  });

  it('a pause status that is not a hold reason is a GraphQL enum error; a reason listed twice is refused', async () => {
    for (const q of [CREATE_POLICY, UPDATE_POLICY]) {
      const e = await refused(q, polVars(q, { pauseHoldReasons: ['AWAITING_USER', 'RESOLVED'] }), 'BAD_USER_INPUT');
      expect(e.extensions?.field).toMatch(/pauseHoldReasons\[1\]$/);
      expect(e.message).toBe(
        'Pause hold reason 2 cannot be "RESOLVED"; choose Awaiting user, Awaiting vendor, Awaiting problem or Awaiting change',
      );
      expect(e.extensions?.allowed).toEqual(['AWAITING_USER', 'AWAITING_VENDOR', 'AWAITING_PROBLEM', 'AWAITING_CHANGE']);
      await refused(q, polVars(q, { pauseHoldReasons: ['AWAITING_USER', 'AWAITING_USER'] }), 'BAD_USER_INPUT', 'pauseHoldReasons[1]');
    }
  });

  it('malformed .ics: the message names the line', async () => {
    const head = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n';
    // Line 7 holds a bad rule (a folded SUMMARY on lines 5-6 shifts it: it would be line 6 unfolded).
    const badRule =
      `${head}BEGIN:VEVENT\r\nSUMMARY:Long\r\n  name\r\nRRULE:FREQ=DAILY;INTERVAL=0\r\n` +
      'DTSTART;VALUE=DATE:20250113\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const e1 = await refused(IMPORT_HOLIDAYS, { id: calendarId, ics: badRule }, 'BAD_USER_INPUT', 'ics');
    expect(e1.message).toContain('line 7: RRULE');
    expect(e1.extensions?.line).toBe(7);
    // A timed event is no day off: with nothing else, there is nothing to import.
    const timed = `${head}BEGIN:VEVENT\r\nDTSTART:20250113T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    expect((await refused(IMPORT_HOLIDAYS, { id: calendarId, ics: timed }, 'BAD_USER_INPUT', 'ics')).message).toMatch(/no date to import/);
    const unclosed = `${head}BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\n`;
    expect((await refused(IMPORT_HOLIDAYS, { id: calendarId, ics: unclosed }, 'BAD_USER_INPUT', 'ics')).message).toContain(
      'line 4: BEGIN:VEVENT has no END:VEVENT',
    );
    expect((await refused(IMPORT_HOLIDAYS, { id: calendarId, ics: 'hello' }, 'BAD_USER_INPUT', 'ics')).message).toContain('line 1');
    const invalidDate = `${head}BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250230\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    expect((await refused(IMPORT_HOLIDAYS, { id: calendarId, ics: invalidDate }, 'BAD_USER_INPUT', 'ics')).message).toContain(
      'line 5: DTSTART "20250230" is not a date',
    );
    await refused(IMPORT_HOLIDAYS, { id: calendarId, ics: `${head}END:VCALENDAR\r\n` }, 'BAD_USER_INPUT', 'ics');
  });

  it('unknown calendar ids', async () => {
    await refused(CREATE_POLICY, { input: polInput({ calendarId: MISSING }) }, 'NOT_FOUND', 'calendarId');
    await refused(UPDATE_POLICY, polVars(UPDATE_POLICY, { calendarId: MISSING }), 'NOT_FOUND', 'calendarId');
    await refused(CREATE_POLICY, { input: polInput({ calendarId: 'not-a-uuid' }) }, 'BAD_USER_INPUT', 'calendarId');
    await refused(UPDATE_CALENDAR, { id: MISSING, input: calInput() }, 'NOT_FOUND', 'id');
    const ics = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250113\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    // The argument is calendarId, so the error must name calendarId.
    await refused(IMPORT_HOLIDAYS, { id: MISSING, ics }, 'NOT_FOUND', 'calendarId');
    await refused(IMPORT_HOLIDAYS, { id: 'not-a-uuid', ics }, 'BAD_USER_INPUT', 'calendarId');
    await refused(
      `query($input: SlaPolicyTermsInput!) { slaWhatIf(input: $input, from: "2025-01-01T00:00:00Z", to:
        "2025-02-01T00:00:00Z") { incidents } }`,
      { input: { calendarId: MISSING, targets: STANDARD, pauseHoldReasons: [] } },
      'NOT_FOUND',
      'calendarId',
    );
  });

  it('unknown policy, service and incident ids', async () => {
    await refused(UPDATE_POLICY, { id: MISSING, input: terms() }, 'NOT_FOUND', 'id');
    await refused(UPDATE_POLICY, { id: 'nope', input: terms() }, 'BAD_USER_INPUT', 'id');
    await refused(MAKE_DEFAULT, { id: MISSING }, 'NOT_FOUND', 'id');
    await refused(SET_SERVICE_POLICY, { s: serviceId, p: MISSING }, 'NOT_FOUND', 'policyId');
    await refused(SET_SERVICE_POLICY, { s: MISSING, p: policyId }, 'NOT_FOUND', 'serviceId');
    // One unknown id among known ones: nothing is recomputed (computed_at unchanged).
    const known = await openIncident(t, minutesAgo(30), 3);
    await refused(RECOMPUTE, { input: { incidentIds: [known.id, MISSING], useLatestPolicyVersion: true } }, 'NOT_FOUND', 'incidentIds');
    await refused(RECOMPUTE, { input: { incidentIds: ['nope'] } }, 'BAD_USER_INPUT', 'incidentIds');
  });

  it('duplicate names are a CONFLICT, and roll back what the same call did before', async () => {
    const other = await createCalendar(t, { timeZone: 'UTC', weeklyHours: officeHours() });
    const taken = (await createPolicy(t, { calendarId: cal24x7, targets: STANDARD })).name;
    // Renaming the used calendar onto another's name: the new policy versions must go too.
    await refused(UPDATE_CALENDAR, { id: calendarId, input: calInput({ name: other.name.toUpperCase() }) }, 'CONFLICT', 'name');
    // A new default policy whose name is taken: the old default must stay the default.
    await refused(CREATE_POLICY, { input: polInput({ name: taken, isDefault: true }) }, 'CONFLICT', 'name');
    expect((await policies(t)).filter((p) => p.isDefault).map((p) => p.name)).toEqual([DEFAULT_POLICY_NAME]);
    await refused(CREATE_CALENDAR, { input: calInput({ name: ` ${other.name} ` }) }, 'CONFLICT', 'name');
  });

  it('what-if with to before from, and out-of-range list arguments', async () => {
    await refused(
      `query($input: SlaPolicyTermsInput!) { slaWhatIf(input: $input, from: "2025-02-01T00:00:00Z", to:
        "2025-01-01T00:00:00Z") { incidents } }`,
      { input: { calendarId, targets: STANDARD, pauseHoldReasons: [] } },
      'BAD_USER_INPUT',
      'to',
    );
    await refused(`{ incidentsAtRisk(minWarningLevel: 60) { id } }`, {}, 'BAD_USER_INPUT', 'minWarningLevel');
    await refused(`{ breachedIncidents(first: 0) { id } }`, {}, 'BAD_USER_INPUT', 'first');
    await refused(`{ workQueue(first: 500) { id } }`, {}, 'BAD_USER_INPUT', 'first');
    await refused(`{ workQueue(offset: -1) { id } }`, {}, 'BAD_USER_INPUT', 'offset');
    await refused(`{ workQueue(serviceId: "nope") { id } }`, {}, 'BAD_USER_INPUT', 'serviceId');
  });
});
