import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from './support/factories';
import { createModel } from './support/model-factories';
import {
  calendar24x7,
  call,
  clocks,
  createCalendar,
  createPolicy,
  minutesAgo,
  officeHours,
  openIncident,
  recompute,
  setServicePolicy,
  slaSnapshot,
  targets,
  uniq,
} from './support/sla-factories';
import { startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * What admins tripped over (issue 23): SLA targets whose response outlasted the resolution,
 * time zones typed free-hand, and policies that could not be retired. Over GraphQL, with bad and
 * hostile input refused by field and nothing half-saved.
 */

let t: TestApp;
let cal: string;
beforeAll(async () => {
  t = await startTestApp();
  cal = await calendar24x7(t);
});
afterAll(async () => {
  await t?.close();
});

const STANDARD: Record<number, [number, number]> = { 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 10080] };
const CREATE = `mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateSlaPolicyInput!) { updateSlaPolicy(id: $id, input: $input) { id currentVersion } }`;
const RETIRE = `mutation($id: ID!) { retireSlaPolicy(id: $id) { id retired retiredAt } }`;
const RESTORE = `mutation($id: ID!) { restoreSlaPolicy(id: $id) { id retired retiredAt } }`;
const MAKE_DEFAULT = `mutation($id: ID!) { makeDefaultSlaPolicy(id: $id) { id isDefault } }`;
const LIST = `query($all: Boolean!) { slaPolicies(includeRetired: $all) { id name retired isDefault services { id name }
  current { targetIssues { priority target refused message } } } }`;
const CAL = `mutation($input: BusinessCalendarInput!) { createBusinessCalendar(input: $input) { id timeZone } }`;

type Listed = {
  id: string;
  name: string;
  retired: boolean;
  isDefault: boolean;
  services: { id: string; name: string }[];
  current: { targetIssues: { priority: number; target: string; refused: boolean; message: string }[] };
};
const list = async (all = false) => call<Listed[]>(t, LIST, { all });

function refusedWith(r: GqlResult, code: string, field?: string | RegExp) {
  expect(r.status, JSON.stringify(r.errors)).toBeLessThan(500);
  expect(r.data ?? null).toBeNull();
  const e = r.errors?.[0];
  expect(e?.extensions?.code, JSON.stringify(r.errors)).toBe(code);
  if (field !== undefined) expect(e?.extensions?.field).toMatch(field instanceof RegExp ? field : new RegExp(`^${field}$`));
  return e!;
}

const terms = (t: Record<number, [number, number]>) => ({ calendarId: cal, targets: targets(t), pauseHoldReasons: [] });

describe('SLA targets', () => {
  it('refuses a P1 response target longer than its resolution target, in words, naming the field, saving nothing', async () => {
    const before = await slaSnapshot(t);
    const e = refusedWith(
      await t.gql(CREATE, { input: { name: uniq('Bad'), ...terms({ ...STANDARD, 1: [120, 60] }) } }),
      'BAD_USER_INPUT',
      'input.targets.1.responseMinutes',
    );
    expect(e.message).toContain('P1: the response target (2 h) is longer than the resolution target (1 h)');
    const p = await createPolicy(t, terms(STANDARD));
    refusedWith(
      await t.gql(UPDATE, { id: p.id, input: terms({ ...STANDARD, 3: [90, 89] }) }),
      'BAD_USER_INPUT',
      'input.targets.3.responseMinutes',
    );
    expect((await slaSnapshot(t)).sla_policy_versions_count).toBe(Number(before.sla_policy_versions_count) + 1);
    // Equal is allowed: respond and resolve in the same breath.
    expect(
      (await call<{ currentVersion: number }>(t, UPDATE, { id: p.id, input: terms({ ...STANDARD, 1: [60, 60] }) })).currentVersion,
    ).toBe(2);
  });

  it('refuses targets above 365 days and below 1 minute; accepts a slower higher priority with a warning', async () => {
    refusedWith(await t.gql(CREATE, { input: { name: uniq('Long'), ...terms({ ...STANDARD, 5: [1440, 525_601] }) } }), 'BAD_USER_INPUT');
    refusedWith(await t.gql(CREATE, { input: { name: uniq('Zero'), ...terms({ ...STANDARD, 2: [0, 480] }) } }), 'BAD_USER_INPUT');
    const p = await createPolicy(t, terms({ ...STANDARD, 1: [45, 240] }));
    const listed = (await list()).find((x) => x.id === p.id)!;
    expect(listed.current.targetIssues).toEqual([
      { priority: 1, target: 'RESPONSE', refused: false, message: "P1: the response target (45 min) is slower than P2's (30 min)" },
    ]);
  });

  it('keeps a policy saved before the rule readable, and flags it', async () => {
    const p = await createPolicy(t, terms(STANDARD));
    await t.sql(
      `update sla_policy_versions set targets = jsonb_set(targets, '{1}', '{"responseMinutes": 300, "resolutionMinutes": 240}')
      where policy_id = $1`,
      [p.id],
    );
    const listed = (await list()).find((x) => x.id === p.id)!;
    expect(listed.current.targetIssues).toContainEqual({
      priority: 1,
      target: 'RESPONSE',
      refused: true,
      message: 'P1: the response target (5 h) is longer than the resolution target (4 h)',
    });
  });

  it('never answers random targets with a server error, and accepts exactly the ordered ones (fuzz)', async () => {
    const n = fc.oneof(fc.integer({ min: -5, max: 600_000 }), fc.constantFrom(0, 1, 525_600, 525_601, 2 ** 31 - 1));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(n, n), { minLength: 5, maxLength: 5 }), async (pairs) => {
        const input = {
          name: uniq('Fuzz'),
          calendarId: cal,
          pauseHoldReasons: [],
          targets: targets(Object.fromEntries(pairs.map((p, i) => [i + 1, p]))),
        };
        const r = await t.gql<{ createSlaPolicy: { id: string } }>(CREATE, { input });
        expect(r.status).toBeLessThan(500);
        const good = pairs.every(([a, b]) => a >= 1 && b >= 1 && a <= b && b <= 525_600);
        expect(Boolean(r.data?.createSlaPolicy), JSON.stringify({ pairs, errors: r.errors })).toBe(good);
      }),
      { numRuns: 25 },
    );
  });
});

describe('time zones', () => {
  const calInput = (timeZone: unknown) => ({ name: uniq('Zone'), timeZone, weeklyHours: officeHours(), holidays: [] });

  it('accepts the zones a browser picker offers, UTC and renamed zones included', async () => {
    for (const zone of ['Europe/Berlin', 'UTC', 'Asia/Kolkata', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'Pacific/Chatham'])
      expect((await call<{ timeZone: string }>(t, CAL, { input: calInput(zone) })).timeZone).toBe(zone);
  });

  it('refuses unknown zones and wrong case in plain words naming the field, on create, update and .ics', async () => {
    const before = await slaSnapshot(t);
    const e = refusedWith(await t.gql(CAL, { input: calInput('Mars/Olympus_Mons') }), 'BAD_USER_INPUT', 'input.timeZone');
    expect(e.message).toContain('"Mars/Olympus_Mons" is not a time zone; pick one from the list');
    const c = refusedWith(await t.gql(CAL, { input: calInput('europe/berlin') }), 'BAD_USER_INPUT', 'input.timeZone');
    expect(c.message).toContain('did you mean Europe/Berlin?');
    const made = await createCalendar(t, { timeZone: 'Europe/Berlin', weeklyHours: officeHours() });
    const upd = `mutation($id: ID!, $input: BusinessCalendarInput!) { updateBusinessCalendar(id: $id, input: $input) { id } }`;
    refusedWith(await t.gql(upd, { id: made.id, input: calInput('Europe/Berlln') }), 'BAD_USER_INPUT', 'input.timeZone');
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20250101',
      'SUMMARY:New Year',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const fromIcs = `mutation($input: IcsCalendarInput!) { createBusinessCalendarFromIcs(input: $input) { id } }`;
    refusedWith(await t.gql(fromIcs, { input: { ics, name: uniq('Ics'), timeZone: 'Europe/Nowhere' } }), 'BAD_USER_INPUT', /timeZone$/);
    expect(await slaSnapshot(t)).toEqual({
      ...before,
      business_calendars_count: Number(before.business_calendars_count) + 1,
      business_calendars_hash: expect.any(String),
    });
  });

  it('answers hostile zone names with a 4xx, never a server error', async () => {
    const hostile: unknown[] = [
      '',
      ' ',
      'Europe/Berlin\u0000',
      '../../etc/passwd',
      "UTC'; drop table sla_policies;--",
      'A'.repeat(10_000),
      'Europe/Berlin\u202e',
      'Etc/GMT+99',
      42,
      null,
      ['UTC'],
      { zone: 'UTC' },
    ];
    for (const zone of hostile) {
      const r = await t.gql(CAL, { input: calInput(zone) });
      expect(r.status, JSON.stringify(zone)).toBeLessThan(500);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(zone)).toMatch(/BAD_USER_INPUT|BAD_REQUEST/);
    }
  });
});

describe('retiring a policy', () => {
  it('refuses while a service or an active model uses it and for the default, then retires, hides, restores, with audit rows', async () => {
    const p = await createPolicy(t, terms(STANDARD));
    const service = await createService(t, { name: uniq('Payments') });
    await setServicePolicy(t, service.id, p.id);
    const model = await createModel<{ id: string; name: string }>(t, { slaPolicyId: p.id }, 'id name');

    const used = refusedWith(await t.gql(RETIRE, { id: p.id }), 'CONFLICT', 'id');
    expect(used.message).toBe(
      `"${p.name}" is still used by service "${service.name}", incident model "${model.name}"; ` +
        'give them another policy first, then retire it',
    );
    const [deflt] = (await list()).filter((x) => x.isDefault);
    expect(refusedWith(await t.gql(RETIRE, { id: deflt!.id }), 'CONFLICT', 'id').message).toMatch(
      /is the default policy and cannot be retired/,
    );

    expect((await list()).find((x) => x.id === p.id)!.services).toEqual([{ id: service.id, name: service.name }]);
    await setServicePolicy(t, service.id, null);
    await call(t, `mutation($id: ID!) { retireIncidentModel(id: $id) { id } }`, { id: model.id });
    const retired = await call<{ retired: boolean; retiredAt: string }>(t, RETIRE, { id: p.id });
    expect(retired.retired).toBe(true);
    // Retiring twice changes nothing.
    expect((await call<{ retiredAt: string }>(t, RETIRE, { id: p.id })).retiredAt).toBe(retired.retiredAt);

    expect((await list()).map((x) => x.id)).not.toContain(p.id);
    const all = await list(true);
    expect(all.find((x) => x.id === p.id)).toMatchObject({ retired: true });
    expect(all.findIndex((x) => x.id === p.id)).toBeGreaterThan(all.findIndex((x) => !x.retired));

    const [audit] = await t.sql<{ operation: string; before: { retired_at: null }; after: { retired_at: string } }>(
      `select operation, before, after from audit_log where operation = 'retireSlaPolicy' and target_id = $1 order by id limit 1`,
      [p.id],
    );
    expect(audit).toMatchObject({ before: { retired_at: null }, after: { retired_at: expect.any(String) } });

    const restored = await call<{ retired: boolean; retiredAt: string | null }>(t, RESTORE, { id: p.id });
    expect(restored).toMatchObject({ retired: false, retiredAt: null });
    expect(await setServicePolicy(t, service.id, p.id)).toMatchObject({ slaPolicy: { id: p.id } });
    const [restoreAudit] = await t.sql(`select 1 from audit_log where operation = 'restoreSlaPolicy' and target_id = $1`, [p.id]);
    expect(restoreAudit).toBeDefined();
  });

  it('a retired policy cannot be given to a service or a model, made the default, or edited', async () => {
    const p = await createPolicy(t, terms(STANDARD));
    await call(t, RETIRE, { id: p.id });
    const before = await slaSnapshot(t);
    const service = await createService(t);
    const SET = `mutation($s: ID!, $p: ID) { setServiceSlaPolicy(serviceId: $s, policyId: $p) { id } }`;
    expect(refusedWith(await t.gql(SET, { s: service.id, p: p.id }), 'BAD_USER_INPUT', 'policyId').message).toMatch(
      /is retired; restore it first/,
    );
    refusedWith(await t.gql(MAKE_DEFAULT, { id: p.id }), 'BAD_USER_INPUT', 'id');
    refusedWith(await t.gql(UPDATE, { id: p.id, input: terms(STANDARD) }), 'BAD_USER_INPUT', 'id');
    const m = await t.gql(`mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id } }`, {
      input: { name: uniq('Model'), slaPolicyId: p.id },
    });
    refusedWith(m, 'BAD_USER_INPUT', 'slaPolicyId');
    const after = await slaSnapshot(t);
    expect({ ...after, services_count: before.services_count, services_hash: before.services_hash }).toEqual(before);
  });

  it('leaves running clocks as they were', async () => {
    const p = await createPolicy(t, terms({ ...STANDARD, 2: [20, 200] }));
    const service = await createService(t);
    await setServicePolicy(t, service.id, p.id);
    const inc = await openIncident(t, minutesAgo(10), 2, { serviceId: service.id });
    const before = await clocks(t, inc.id);
    expect(before.RESPONSE).toMatchObject({ policyName: p.name, targetMinutes: 20 });
    await setServicePolicy(t, service.id, null);
    await call(t, RETIRE, { id: p.id });
    const after = await clocks(t, inc.id);
    expect(after.RESPONSE).toMatchObject({
      policyVersionId: before.RESPONSE.policyVersionId,
      targetMinutes: 20,
      dueAt: before.RESPONSE.dueAt,
    });
    expect(after.RESOLUTION).toMatchObject({ targetMinutes: 200, dueAt: before.RESOLUTION.dueAt });
    // A recompute rebuilds from the version the incident has; the retired policy's version still counts.
    await recompute(t, [inc.id], false);
    expect((await clocks(t, inc.id)).RESOLUTION).toMatchObject({ policyName: p.name, targetMinutes: 200, dueAt: before.RESOLUTION.dueAt });
  });

  it('is for admins only, and refuses malformed and unknown ids', async () => {
    const p = await createPolicy(t, terms(STANDARD));
    for (const role of ['ENGINEER', 'PROBLEM_MANAGER', 'VIEWER'] as const) {
      const { token } = await t.tokenForRole(role);
      for (const q of [RETIRE, RESTORE]) refusedWith(await t.gql(q, { id: p.id }, { authorization: `Bearer ${token}` }), 'FORBIDDEN');
    }
    refusedWith(await t.gql(RETIRE, { id: p.id }, { authorization: '' }), 'UNAUTHENTICATED');
    expect((await list()).find((x) => x.id === p.id)?.retired).toBe(false);
    for (const id of ['', 'not-a-uuid', "'; drop table sla_policies;--", 'x'.repeat(5000)])
      for (const q of [RETIRE, RESTORE]) refusedWith(await t.gql(q, { id }), 'BAD_USER_INPUT', 'id');
    for (const q of [RETIRE, RESTORE]) refusedWith(await t.gql(q, { id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND', 'id');
  });

  it('lists policies with their services and target issues in a constant number of SQL statements', async () => {
    const counts: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) {
        const p = await createPolicy(t, terms(STANDARD));
        await setServicePolicy(t, (await createService(t)).id, p.id);
      }
      const r = await t.gql(LIST, { all: true });
      expect(r.errors).toBeUndefined();
      counts.push(r.extensions!.sqlStatements!);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(5);
  });
});
