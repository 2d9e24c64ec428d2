import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueInSentence } from '@ikb/domain';
import { dbSnapshot, expectGqlError, expectSameDb } from './support/assertions';
import {
  createCategory,
  createService,
  createTeam,
  createUser,
  INCIDENT_FIELDS,
  incidentIn,
  logIncident,
  mutate,
  transition,
} from './support/factories';
import type { Incident, IncidentEvent } from './support/gql-types';
import { startTestApp, type TestApp } from './support/test-app';

/** The incident register's write side over HTTP: log, classify, assign, the lifecycle, and the timeline each change leaves. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const FIELDS = `${INCIDENT_FIELDS} source detectedAt externalRef priorityOverrideReason reporter { id name }
  cost { minutes billableMinutes costCents }
  timeline { seq kind summary actorName actor { id name email } before after data at recordedAt }`;

/** FIELDS: an incident with its source, reporter, cost and each event's actor. */
interface Full extends Incident {
  source: string;
  detectedAt: string | null;
  externalRef: string | null;
  reporter: { id: string; name: string } | null;
  cost: { minutes: number; billableMinutes: number; costCents: number };
  timeline: (IncidentEvent & { actor: { id: string; name: string; email: string } | null; recordedAt: string })[];
}

interface TimeEntry {
  id: string;
  minutes: number;
  billable: boolean;
  rateCents: number | null;
  costCents: number;
  activity: string;
  note: string | null;
  performedAt: string;
  user: { id: string } | null;
}

const as = (user: { email: string }) => ({ 'x-actor-email': user.email });

const M = {
  classify: `mutation($id: ID!, $input: ClassifyIncidentInput!) { classifyIncident(id: $id, input: $input) { ${FIELDS} } }`,
  assign: `mutation($id: ID!, $input: AssignIncidentInput!) { assignIncident(id: $id, input: $input) { ${FIELDS} } }`,
  acknowledge: `mutation($id: ID!, $occurredAt: DateTime) { acknowledgeIncident(id: $id, occurredAt: $occurredAt) { ${FIELDS} } }`,
  transition: `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { ${FIELDS} } }`,
  reopen: `mutation($id: ID!, $reason: String!) { reopenIncident(id: $id, reason: $reason) { ${FIELDS} } }`,
  update: `mutation($id: ID!, $input: UpdateIncidentInput!) { updateIncident(id: $id, input: $input) { ${FIELDS} } }`,
  stakeholder: `mutation($id: ID!, $input: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $input) { ${FIELDS} } }`,
  escalate: `mutation($id: ID!, $input: EscalationInput!) { recordEscalation(id: $id, input: $input) { ${FIELDS} } }`,
  dr: `mutation($id: ID!, $input: DisasterRecoveryInput!) { triggerDisasterRecoveryPlan(id: $id, input: $input) { ${FIELDS} } }`,
  config: `mutation($id: ID!, $input: ConfigurationChangeInput!) { recordConfigurationChange(id: $id, input: $input) { ${FIELDS} } }`,
  timeEntry: `mutation($id: ID!, $input: TimeEntryInput!) { addTimeEntry(incidentId: $id, input: $input) { id minutes billable rateCents
    costCents activity note performedAt user { id } } }`,
  log: `mutation($input: LogIncidentInput!) { logIncident(input: $input) { ${FIELDS} } }`,
};

async function fetchIncident(id: string) {
  const r = await t.gql<{ incident: Full }>(`query($id: ID!) { incident(id: $id) { ${FIELDS} } }`, { id });
  expect(r.errors).toBeUndefined();
  return r.data!.incident;
}

const kinds = (inc: { timeline: { kind: string }[] }) => inc.timeline.map((e) => e.kind);
const last = (inc: { timeline: IncidentEvent[] }) => inc.timeline.at(-1)!;

async function matrix(): Promise<number[][]> {
  return (await t.gql<{ priorityMatrix: { rows: number[][] } }>(`{ priorityMatrix { rows } }`)).data!.priorityMatrix.rows;
}

describe('logging', () => {
  it('logs a user report: NEW, numbered, priority from the matrix, one LOGGED event by the actor', async () => {
    const desk = await createUser(t);
    const reporter = await createUser(t);
    const service = await createService(t);
    const category = await createCategory(t);
    const before = Date.now();
    const inc = await mutate<Full>(
      t,
      M.log,
      {
        input: {
          title: '  Checkout returns HTTP 502  ',
          description: 'Payment step fails for all cards',
          source: 'USER_REPORT',
          reporterId: reporter.id,
          serviceId: service.id,
          categoryId: category.id,
          impact: 2,
          urgency: 1,
        },
      },
      as(desk),
    );
    expect(inc).toMatchObject({
      status: 'NEW',
      source: 'USER_REPORT',
      title: 'Checkout returns HTTP 502',
      impact: 2,
      urgency: 1,
      priority: (await matrix())[1][0],
      priorityOverridden: false,
      reopenCount: 0,
      reassignmentCount: 0,
      major: false,
      reporter: { id: reporter.id },
      service: { id: service.id },
      category: { id: category.id },
      acknowledgedAt: null,
      resolution: null,
    });
    expect(inc.number).toMatch(/^INC-\d{6}$/);
    expect(new Date(inc.openedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(inc.openedAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(inc.timeline).toHaveLength(1);
    const [e] = inc.timeline;
    expect(e).toMatchObject({ seq: 1, kind: 'LOGGED', actorName: desk.name, actor: { id: desk.id, email: desk.email }, before: null });
    expect(e.after).toMatchObject({
      number: inc.number,
      title: 'Checkout returns HTTP 502',
      status: 'NEW',
      impact: 2,
      urgency: 1,
      priority: inc.priority,
      serviceId: service.id,
    });
    expect(e.at).toBe(inc.openedAt);
    expect(e.summary).toContain(inc.number);
  });

  it('logs from monitoring with detection and opening times in the past; defaults impact and urgency to 3', async () => {
    const detectedAt = '2026-03-02T08:55:00.000Z';
    const openedAt = '2026-03-02T09:00:00.000Z';
    const inc = await mutate<Full>(t, M.log, {
      input: { title: 'Disk 95% on db-3', source: 'MONITORING', detectedAt, openedAt, externalRef: `ALERT-${Date.now()}` },
    });
    expect(inc).toMatchObject({
      status: 'NEW',
      source: 'MONITORING',
      detectedAt,
      openedAt,
      impact: 3,
      urgency: 3,
      priority: (await matrix())[2][2],
      reporter: null,
    });
    // Without an actor header the actor is the API token's user (the test admin).
    expect(inc.timeline).toEqual([expect.objectContaining({ kind: 'LOGGED', actorName: 'Test Admin', at: openedAt })]);
    expect(inc.externalRef).toMatch(/^ALERT-/);
  });

  it('finds an incident by "INC-000123", "INC-123" and "123"', async () => {
    const inc = await logIncident(t);
    const n = Number(inc.number.slice(4));
    const q = `query($n: String!) { incidentByNumber(number: $n) { id number } }`;
    for (const form of [inc.number, `INC-${n}`, `${n}`, ` inc-${n} `]) {
      const r = await t.gql<{ incidentByNumber: { id: string; number: string } | null }>(q, { n: form });
      expect(r.data!.incidentByNumber, form).toEqual({ id: inc.id, number: inc.number });
    }
    for (const miss of [`INC-${n + 100000}`, 'INC-', 'abc', '12x']) {
      const r = await t.gql<{ incidentByNumber: { id: string; number: string } | null }>(q, { n: miss });
      expect(r.errors, miss).toBeUndefined();
      expect(r.data!.incidentByNumber, miss).toBeNull();
    }
  });
});

describe('classification', () => {
  it('derives the priority from the matrix for every impact x urgency, and triages a NEW incident once', async () => {
    const inc = await logIncident(t);
    const rows = await matrix();
    let current = inc;
    for (const impact of [1, 2, 3]) {
      for (const urgency of [1, 2, 3]) {
        current = await mutate<Full>(t, M.classify, { id: inc.id, input: { impact, urgency } });
        expect(current, `impact ${impact} urgency ${urgency}`).toMatchObject({
          impact,
          urgency,
          priority: rows[impact - 1][urgency - 1],
          status: 'TRIAGED',
          priorityOverridden: false,
        });
      }
    }
    // LOGGED, then the first CLASSIFIED and the automatic NEW -> TRIAGED, then one CLASSIFIED per change.
    expect(kinds(current).slice(0, 3)).toEqual(['LOGGED', 'CLASSIFIED', 'STATUS_CHANGED']);
    expect(current.timeline[2]).toMatchObject({ before: { status: 'NEW' }, after: { status: 'TRIAGED' } });
    expect(kinds(current).filter((k) => k === 'STATUS_CHANGED')).toHaveLength(1);
    expect(current.timeline[1]).toMatchObject({
      before: { impact: 3, urgency: 3 },
      after: { impact: 1, urgency: 1, priority: rows[0][0] },
    });
    // A classification that changes nothing writes nothing.
    const again = await mutate<Full>(t, M.classify, { id: inc.id, input: { impact: 3, urgency: 3 } });
    expect(again.timeline).toHaveLength(current.timeline.length);
  });

  it('uses the configured matrix for new classifications', async () => {
    const original = await matrix();
    const custom = [
      [1, 1, 2],
      [2, 3, 3],
      [4, 4, 5],
    ];
    try {
      expect(
        (
          await mutate<{ rows: number[][] }>(
            t,
            `mutation($input: PriorityMatrixInput!) { setPriorityMatrix(input: $input) { rows labels } }`,
            {
              input: { rows: custom },
            },
          )
        ).rows,
      ).toEqual(custom);
      expect(await matrix()).toEqual(custom);
      const inc = await logIncident(t, { impact: 1, urgency: 2 });
      expect(inc.priority).toBe(1);
      const c = await mutate<Full>(t, M.classify, { id: inc.id, input: { impact: 2, urgency: 1 } });
      expect(c.priority).toBe(2);
      expect((await mutate<Full>(t, M.classify, { id: inc.id, input: { impact: 3 } })).priority).toBe(4);
    } finally {
      await mutate(t, `mutation($input: PriorityMatrixInput!) { setPriorityMatrix(input: $input) { rows } }`, {
        input: { rows: original },
      });
    }
  });

  it('keeps a manual priority with its reason until it is cleared', async () => {
    const lead = await createUser(t);
    const inc = await logIncident(t, { impact: 3, urgency: 3 });
    const rows = await matrix();
    const refused = await t.gql(M.classify, { id: inc.id, input: { priority: 1 } }, as(lead));
    expectGqlError(refused, 'BAD_USER_INPUT', 'priorityReason');
    expect((await fetchIncident(inc.id)).status).toBe('NEW');

    const o = await mutate<Full>(t, M.classify, { id: inc.id, input: { priority: 1, priorityReason: 'CEO cannot log in' } }, as(lead));
    expect(o).toMatchObject({ priority: 1, priorityOverridden: true, priorityOverrideReason: 'CEO cannot log in', status: 'TRIAGED' });
    const ev = o.timeline.find((e) => e.kind === 'PRIORITY_OVERRIDDEN')!;
    expect(ev).toMatchObject({
      actorName: lead.name,
      actor: { id: lead.id },
      before: { priority: rows[2][2], priorityOverrideReason: null },
      after: { priority: 1, priorityOverrideReason: 'CEO cannot log in' },
      data: { derivedPriority: rows[2][2] },
    });
    expect(ev.summary).toContain('CEO cannot log in');

    // Reclassifying keeps the manual priority.
    const re = await mutate<Full>(t, M.classify, { id: inc.id, input: { impact: 2, urgency: 3 } });
    expect(re).toMatchObject({ impact: 2, priority: 1, priorityOverridden: true });

    const cleared = await mutate<Full>(t, M.classify, { id: inc.id, input: { clearPriorityOverride: true } }, as(lead));
    expect(cleared).toMatchObject({ priority: rows[1][2], priorityOverridden: false, priorityOverrideReason: null });
    expect(last(cleared)).toMatchObject({
      kind: 'CLASSIFIED',
      before: { priority: 1, priorityOverrideReason: 'CEO cannot log in' },
      after: { priority: rows[1][2], priorityOverrideReason: null },
    });
  });

  it('reclassifies service and category, with before and after on the timeline', async () => {
    const [s1, s2] = [await createService(t), await createService(t)];
    const parent = await createCategory(t);
    const sub = await createCategory(t, { parentId: parent.id });
    const inc = await logIncident(t, { serviceId: s1.id });
    const c = await mutate<Full>(t, M.classify, { id: inc.id, input: { serviceId: s2.id, categoryId: sub.id } });
    expect(c).toMatchObject({ service: { id: s2.id }, category: { id: sub.id } });
    expect(c.timeline[1]).toMatchObject({
      kind: 'CLASSIFIED',
      before: { serviceId: s1.id, categoryId: null },
      after: { serviceId: s2.id, categoryId: sub.id },
    });
  });
});

describe('assignment and acknowledgement', () => {
  it('counts reassignments, not the first assignment', async () => {
    const [teamA, teamB] = [await createTeam(t), await createTeam(t)];
    const [ann, bob] = [await createUser(t, { teamId: teamA.id }), await createUser(t, { teamId: teamA.id })];
    const inc = await logIncident(t);
    const first = await mutate<Full>(t, M.assign, { id: inc.id, input: { teamId: teamA.id, assigneeId: ann.id } }, as(ann));
    expect(first).toMatchObject({ team: { id: teamA.id }, assignee: { id: ann.id }, reassignmentCount: 0 });
    expect(last(first)).toMatchObject({
      kind: 'ASSIGNED',
      actorName: ann.name,
      before: { teamId: null, assigneeId: null },
      after: { teamId: teamA.id, assigneeId: ann.id },
    });
    expect(last(first).summary).toMatch(/^Assigned/);
    expect(last(first).summary).toContain(ann.name);

    const second = await mutate<Full>(t, M.assign, { id: inc.id, input: { assigneeId: bob.id } });
    expect(second).toMatchObject({ team: { id: teamA.id }, assignee: { id: bob.id }, reassignmentCount: 1 });
    expect(last(second)).toMatchObject({ kind: 'ASSIGNED', before: { assigneeId: ann.id }, after: { assigneeId: bob.id } });
    expect(last(second).summary).toMatch(/^Reassigned/);

    const third = await mutate<Full>(t, M.assign, { id: inc.id, input: { teamId: teamB.id } });
    expect(third).toMatchObject({ team: { id: teamB.id }, assignee: { id: bob.id }, reassignmentCount: 2 });

    // The same assignment again is no change: no event, no count.
    const same = await mutate<Full>(t, M.assign, { id: inc.id, input: { teamId: teamB.id, assigneeId: bob.id } });
    expect(same.reassignmentCount).toBe(2);
    expect(same.timeline).toHaveLength(third.timeline.length);
  });

  it('acknowledges once; a second acknowledgement is ALREADY_ACKNOWLEDGED', async () => {
    const eng = await createUser(t);
    const inc = await logIncident(t, { openedAt: new Date(Date.now() - 3_600_000).toISOString() });
    const at = new Date(Date.now() - 1_800_000).toISOString();
    const a = await mutate<Full>(t, M.acknowledge, { id: inc.id, occurredAt: at }, as(eng));
    expect(a.acknowledgedAt).toBe(at);
    expect(last(a)).toMatchObject({
      kind: 'ACKNOWLEDGED',
      at,
      actorName: eng.name,
      actor: { id: eng.id },
      before: { acknowledgedAt: null },
      after: { acknowledgedAt: at },
    });
    const before = await dbSnapshot(t);
    const e = expectGqlError(await t.gql(M.acknowledge, { id: inc.id }, as(eng)), 'ALREADY_ACKNOWLEDGED');
    expect(e.message).toContain(inc.number);
    expectSameDb(before, await dbSnapshot(t), 'second acknowledgement');
    expect((await fetchIncident(inc.id)).acknowledgedAt).toBe(at);
  });

  it('refuses a status change back-dated to before the resolution or closure it follows, naming it, and writes nothing', async () => {
    const t0 = Date.now() - 4 * 3_600_000;
    const iso = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    const inc = await logIncident(t, { openedAt: iso(0) });
    // Work may be recorded as started before the acknowledgement was.
    await mutate<Full>(t, M.acknowledge, { id: inc.id, occurredAt: iso(30) });
    await mutate<Full>(t, M.transition, { id: inc.id, input: { to: 'INVESTIGATING', occurredAt: iso(20) } });
    const resolved = await mutate<Full>(t, M.transition, {
      id: inc.id,
      input: { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX', resolutionNotes: 'Fixed', occurredAt: iso(90) },
    });
    expect(resolved.resolvedAt).toBe(iso(90));
    const before = await dbSnapshot(t);
    const early = expectGqlError(
      await t.gql(M.transition, { id: inc.id, input: { to: 'CLOSED', userConfirmed: true, occurredAt: iso(60) } }),
      'BAD_USER_INPUT',
      'occurredAt',
    );
    expect(early.message).toContain(`must not be before the incident was resolved (${iso(90)})`);
    expectSameDb(before, await dbSnapshot(t), 'back-dated closure');
    const closed = await mutate<Full>(t, M.transition, { id: inc.id, input: { to: 'CLOSED', userConfirmed: true, occurredAt: iso(120) } });
    expect(closed.closedAt).toBe(iso(120));
    const reopen = expectGqlError(
      await t.gql(M.transition, { id: inc.id, input: { to: 'INVESTIGATING', note: 'Back again', occurredAt: iso(100) } }),
      'BAD_USER_INPUT',
      'occurredAt',
    );
    expect(reopen.message).toContain(`must not be before the incident was closed (${iso(120)})`);
  });
});

describe('lifecycle', () => {
  it('holds with a reason, resumes, resolves with a resolution, closes with confirmation, is reviewed', async () => {
    const eng = await createUser(t);
    const inc = await incidentIn(t, 'INVESTIGATING');

    expectGqlError(await t.gql(M.transition, { id: inc.id, input: { to: 'ON_HOLD' } }), 'BAD_USER_INPUT', 'holdReason');
    const held = await mutate<Full>(
      t,
      M.transition,
      { id: inc.id, input: { to: 'ON_HOLD', holdReason: 'AWAITING_USER', note: 'Asked for a HAR file' } },
      as(eng),
    );
    expect(held).toMatchObject({ status: 'ON_HOLD', holdReason: 'AWAITING_USER' });
    expect(last(held)).toMatchObject({
      kind: 'STATUS_CHANGED',
      actorName: eng.name,
      before: { status: 'INVESTIGATING', holdReason: null },
      after: { status: 'ON_HOLD', holdReason: 'AWAITING_USER' },
      data: { action: 'HOLD', note: 'Asked for a HAR file' },
    });

    const resumed = await mutate<Full>(t, M.transition, { id: inc.id, input: { to: 'INVESTIGATING' } });
    expect(resumed).toMatchObject({ status: 'INVESTIGATING', holdReason: null, reopenCount: 0 });
    expect(last(resumed)).toMatchObject({
      before: { status: 'ON_HOLD', holdReason: 'AWAITING_USER' },
      after: { status: 'INVESTIGATING', holdReason: null },
      data: { action: 'RESUME' },
    });

    expectGqlError(
      await t.gql(M.transition, { id: inc.id, input: { to: 'RESOLVED', resolutionNotes: 'Fixed it' } }),
      'BAD_USER_INPUT',
      'resolutionKind',
    );
    const resolved = await mutate<Full>(
      t,
      M.transition,
      {
        id: inc.id,
        input: { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX', resolutionCode: 'CONFIG', resolutionNotes: 'Raised the pool size' },
      },
      as(eng),
    );
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      resolution: { kind: 'PERMANENT_FIX', code: 'CONFIG', notes: 'Raised the pool size', userConfirmed: null },
      closedAt: null,
    });
    expect(resolved.resolvedAt).toBe(last(resolved).at);
    expect(last(resolved).after).toMatchObject({
      status: 'RESOLVED',
      resolutionKind: 'PERMANENT_FIX',
      resolutionCode: 'CONFIG',
      resolutionNotes: 'Raised the pool size',
      resolvedAt: resolved.resolvedAt,
    });

    expectGqlError(await t.gql(M.transition, { id: inc.id, input: { to: 'CLOSED' } }), 'BAD_USER_INPUT', 'userConfirmed');
    const closed = await mutate<Full>(t, M.transition, { id: inc.id, input: { to: 'CLOSED', userConfirmed: false } });
    expect(closed).toMatchObject({ status: 'CLOSED', resolution: { kind: 'PERMANENT_FIX', userConfirmed: false } });
    expect(closed.closedAt).toBe(last(closed).at);

    const reviewed = await mutate<Full>(t, M.transition, { id: inc.id, input: { to: 'REVIEWED', note: 'PIR held' } });
    expect(reviewed.status).toBe('REVIEWED');
    expect(last(reviewed)).toMatchObject({ kind: 'STATUS_CHANGED', before: { status: 'CLOSED' }, after: { status: 'REVIEWED' } });
    // Every step above is on the timeline, in order.
    expect(reviewed.timeline.filter((e) => e.kind === 'STATUS_CHANGED').map((e) => e.after?.status)).toEqual([
      'TRIAGED',
      'INVESTIGATING',
      'ON_HOLD',
      'INVESTIGATING',
      'RESOLVED',
      'CLOSED',
      'REVIEWED',
    ]);
  });

  it('reopens from RESOLVED and from CLOSED: counted, resolution cleared, REOPENED on the timeline', async () => {
    const user = await createUser(t);
    const inc = await incidentIn(t, 'RESOLVED');
    expect(inc.resolution).not.toBeNull();
    const r1 = await mutate<Full>(t, M.reopen, { id: inc.id, reason: 'Still failing for EU users' }, as(user));
    expect(r1).toMatchObject({ status: 'INVESTIGATING', reopenCount: 1, resolution: null, resolvedAt: null, closedAt: null });
    expect(last(r1)).toMatchObject({
      kind: 'REOPENED',
      actorName: user.name,
      actor: { id: user.id },
      before: { status: 'RESOLVED', reopenCount: 0 },
      after: { status: 'INVESTIGATING', reopenCount: 1, resolutionKind: null, resolvedAt: null },
      data: { action: 'REOPEN', note: 'Still failing for EU users' },
    });
    expect(last(r1).summary).toContain('Still failing for EU users');

    await transition(t, inc.id, { to: 'RESOLVED', resolutionKind: 'WORKAROUND' });
    const closed = await transition(t, inc.id, { to: 'CLOSED', userConfirmed: true });
    expect(closed.closedAt).not.toBeNull();
    const r2 = await mutate<Full>(t, M.reopen, { id: inc.id, reason: 'Came back after closure' });
    expect(r2).toMatchObject({ status: 'INVESTIGATING', reopenCount: 2, resolution: null, resolvedAt: null, closedAt: null });
    expect(last(r2)).toMatchObject({
      kind: 'REOPENED',
      before: { status: 'CLOSED', reopenCount: 1, userConfirmed: true },
      after: { status: 'INVESTIGATING', reopenCount: 2, userConfirmed: null, closedAt: null },
    });
    expect(kinds(r2).filter((k) => k === 'REOPENED')).toHaveLength(2);

    // transitionIncident to INVESTIGATING from RESOLVED is a reopen too.
    await transition(t, inc.id, { to: 'RESOLVED', resolutionKind: 'NO_FIX_NEEDED' });
    const r3 = await transition(t, inc.id, { to: 'INVESTIGATING', note: 'Not fixed' });
    expect(r3).toMatchObject({ status: 'INVESTIGATING', reopenCount: 3 });
    expect(last(r3).kind).toBe('REOPENED');
  });

  it('refuses an illegal transition, naming the current and the requested status', async () => {
    const inc = await logIncident(t);
    const before = await dbSnapshot(t);
    const e = expectGqlError(await t.gql(M.transition, { id: inc.id, input: { to: 'CLOSED', userConfirmed: true } }), 'ILLEGAL_TRANSITION');
    expect(e.message).toMatch(/from New to Closed/);
    expect(e.extensions).toMatchObject({ field: 'to', from: 'NEW', to: 'CLOSED' });
    expectSameDb(before, await dbSnapshot(t), 'illegal transition');

    const resolved = await incidentIn(t, 'RESOLVED');
    const e2 = expectGqlError(
      await t.gql(M.transition, { id: resolved.id, input: { to: 'ON_HOLD', holdReason: 'AWAITING_USER' } }),
      'ILLEGAL_TRANSITION',
    );
    expect(e2.message).toMatch(/from Resolved to On hold/);

    // reopenIncident reopens; it does not start or resume work on an open incident.
    for (const status of ['NEW', 'TRIAGED', 'ON_HOLD'] as const) {
      const open = await incidentIn(t, status);
      const snap = await dbSnapshot(t);
      const e3 = expectGqlError(await t.gql(M.reopen, { id: open.id, reason: 'Try again' }), 'ILLEGAL_TRANSITION');
      expect(e3.message).toContain(`it is ${valueInSentence(status)};`);
      expectSameDb(snap, await dbSnapshot(t), `reopen of ${status}`);
    }
  });

  it('a closed incident is read-only except for reopen (and review)', async () => {
    const team = await createTeam(t);
    const user = await createUser(t, { teamId: team.id });
    for (const status of ['CLOSED', 'REVIEWED'] as const) {
      const inc = await incidentIn(t, status);
      const edits: [string, Record<string, unknown>][] = [
        [M.classify, { id: inc.id, input: { impact: 1 } }],
        [M.classify, { id: inc.id, input: { priority: 1, priorityReason: 'Late escalation' } }],
        [M.assign, { id: inc.id, input: { assigneeId: user.id, teamId: team.id } }],
        [M.update, { id: inc.id, input: { title: 'Edited after the fact' } }],
        [M.update, { id: inc.id, input: { major: true } }],
        [M.acknowledge, { id: inc.id }],
        [M.stakeholder, { id: inc.id, input: { message: 'All good now' } }],
        [M.escalate, { id: inc.id, input: { kind: 'MAJOR_INCIDENT', reason: 'Too late' } }],
        [M.dr, { id: inc.id, input: { plan: 'Failover', reason: 'Too late' } }],
        [M.config, { id: inc.id, input: { configurationItem: 'lb-1', description: 'Drained' } }],
        [M.timeEntry, { id: inc.id, input: { activity: 'review', minutes: 30 } }],
      ];
      for (const [query, variables] of edits) {
        const before = await dbSnapshot(t);
        const e = expectGqlError(await t.gql(query, variables, as(user)), 'INCIDENT_READ_ONLY');
        expect(e.message).toContain(inc.number);
        expect(e.message).toContain(` is ${status.toLowerCase()}`);
        expectSameDb(before, await dbSnapshot(t), `${status}: ${query.slice(0, 40)}`);
      }
      if (status === 'CLOSED') {
        const reopened = await mutate<Full>(t, M.reopen, { id: inc.id, reason: 'Recurred' }, as(user));
        expect(reopened).toMatchObject({ status: 'INVESTIGATING', reopenCount: 1 });
        // Once reopened it takes edits again.
        expect((await mutate<Full>(t, M.update, { id: inc.id, input: { title: 'Editable again' } })).title).toBe('Editable again');
      }
    }
  });
});

describe('the timeline', () => {
  it('records every change with its actor, in seq order, with before and after', async () => {
    const team = await createTeam(t);
    const eng = await createUser(t, { teamId: team.id });
    const service = await createService(t, { ownerTeamId: team.id });
    const h = as({ email: eng.email.toUpperCase() }); // the header is matched case-insensitively
    const inc = await mutate<Full>(t, M.log, { input: { title: 'VPN drops every 10 minutes', source: 'USER_REPORT' } }, h);
    const steps: [string, Record<string, unknown>, string][] = [
      [M.classify, { id: inc.id, input: { impact: 2, urgency: 2, serviceId: service.id } }, 'CLASSIFIED'],
      [M.assign, { id: inc.id, input: { teamId: team.id, assigneeId: eng.id } }, 'ASSIGNED'],
      [M.acknowledge, { id: inc.id }, 'ACKNOWLEDGED'],
      [M.transition, { id: inc.id, input: { to: 'INVESTIGATING' } }, 'STATUS_CHANGED'],
      [
        M.update,
        { id: inc.id, input: { title: 'VPN drops every 10 minutes for remote staff', externalRef: `SN-${inc.id.slice(0, 8)}` } },
        'UPDATED',
      ],
      [
        M.stakeholder,
        { id: inc.id, input: { message: 'Workaround: use the backup gateway', audience: 'remote staff' } },
        'STAKEHOLDER_UPDATE',
      ],
      [
        M.config,
        { id: inc.id, input: { configurationItem: 'vpn-gw-2', description: 'Raised DPD timeout', changeRef: 'CHG12345' } },
        'CONFIGURATION_CHANGE',
      ],
      [M.transition, { id: inc.id, input: { to: 'RESOLVED', resolutionKind: 'WORKAROUND' } }, 'STATUS_CHANGED'],
    ];
    for (const [query, variables] of steps) await mutate(t, query, variables, h);
    const done = await fetchIncident(inc.id);
    expect(kinds(done)).toEqual(['LOGGED', 'CLASSIFIED', 'STATUS_CHANGED', ...steps.slice(1).map((s) => s[2])]);
    expect(done.timeline.map((e) => e.seq)).toEqual(done.timeline.map((_: unknown, i: number) => i + 1));
    for (const e of done.timeline) {
      expect(e, e.kind).toMatchObject({ actorName: eng.name, actor: { id: eng.id } });
      expect(new Date(e.recordedAt).getTime()).toBeGreaterThanOrEqual(new Date(done.openedAt).getTime());
    }
    // Events that change fields carry both sides; notes carry their details instead.
    for (const e of done.timeline.slice(1)) {
      if (['STAKEHOLDER_UPDATE', 'CONFIGURATION_CHANGE'].includes(e.kind)) {
        expect(e.before, e.kind).toBeNull();
        expect(e.data, e.kind).not.toBeNull();
      } else {
        expect(Object.keys(e.before ?? {}).sort(), e.kind).toEqual(Object.keys(e.after ?? {}).sort());
        expect(Object.keys(e.after ?? {}).length, e.kind).toBeGreaterThan(0);
      }
    }
    expect(done.timeline.find((e) => e.kind === 'UPDATED')).toMatchObject({
      before: { title: 'VPN drops every 10 minutes', externalRef: null },
      after: { title: 'VPN drops every 10 minutes for remote staff', externalRef: `SN-${inc.id.slice(0, 8)}` },
    });
    // What the API shows is what the database holds.
    const rows = await t.sql(`select seq, kind, actor_id, actor_name from incident_events where incident_id = $1 order by seq`, [inc.id]);
    expect(rows.map((r) => [r.seq, r.kind, r.actor_id, r.actor_name])).toEqual(done.timeline.map((e) => [e.seq, e.kind, eng.id, eng.name]));
    const [{ event_seq }] = await t.sql(`select event_seq from incidents where id = $1`, [inc.id]);
    expect(event_seq).toBe(done.timeline.length);
  });

  it("acts as the API token's user, and refuses a request without credentials", async () => {
    const inc = await logIncident(t);
    const a = await mutate<Full>(t, M.stakeholder, { id: inc.id, input: { message: 'From the bridge' } });
    expect(last(a)).toMatchObject({ actorName: 'Test Admin' });
    const b = await t.gql(M.stakeholder, { id: inc.id, input: { message: 'From nobody' } }, { authorization: '' });
    expect(b.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const [{ n }] = await t.sql(`select count(*)::int as n from incident_events where incident_id = $1 and kind = 'STAKEHOLDER_UPDATE'`, [
      inc.id,
    ]);
    expect(n).toBe(1);
  });

  it('records stakeholder updates, escalations, a major-incident declaration, DR plan triggers and configuration changes', async () => {
    const l2 = await createTeam(t);
    const manager = await createUser(t);
    const inc = await incidentIn(t, 'INVESTIGATING');

    const s = await mutate<Full>(t, M.stakeholder, { id: inc.id, input: { message: 'Next update in 30 minutes', audience: 'executives' } });
    expect(last(s)).toMatchObject({ kind: 'STAKEHOLDER_UPDATE', data: { message: 'Next update in 30 minutes', audience: 'executives' } });
    expect(last(s).summary).toContain('executives');

    const f = await mutate<Full>(t, M.escalate, {
      id: inc.id,
      input: { kind: 'FUNCTIONAL', reason: 'Needs the network team', toTeamId: l2.id },
    });
    expect(f.major).toBe(false);
    expect(last(f)).toMatchObject({
      kind: 'ESCALATION',
      before: null,
      after: null,
      data: { escalation: 'FUNCTIONAL', reason: 'Needs the network team', toTeamId: l2.id, toUserId: null },
    });
    expect(last(f).summary).toContain(l2.name);

    const h = await mutate<Full>(t, M.escalate, {
      id: inc.id,
      input: { kind: 'HIERARCHICAL', reason: 'Customer impact over 1h', toUserId: manager.id },
    });
    expect(last(h)).toMatchObject({ kind: 'ESCALATION', data: { escalation: 'HIERARCHICAL', toUserId: manager.id } });
    expect(last(h).summary).toContain(manager.name);

    const major = await mutate<Full>(t, M.escalate, { id: inc.id, input: { kind: 'MAJOR_INCIDENT', reason: 'All EU customers affected' } });
    expect(major.major).toBe(true);
    expect(last(major)).toMatchObject({
      kind: 'ESCALATION',
      before: { major: false },
      after: { major: true },
      data: { escalation: 'MAJOR_INCIDENT' },
    });

    const dr = await mutate<Full>(t, M.dr, { id: inc.id, input: { plan: 'EU region failover', reason: 'Primary region down 45 min' } });
    expect(last(dr)).toMatchObject({
      kind: 'DR_PLAN_TRIGGERED',
      data: { plan: 'EU region failover', reason: 'Primary region down 45 min' },
    });
    expect(last(dr).summary).toContain('EU region failover');

    const c = await mutate<Full>(t, M.config, {
      id: inc.id,
      input: { configurationItem: 'haproxy-eu', description: 'Removed the failing backend', changeRef: 'CHG0042' },
    });
    expect(last(c)).toMatchObject({
      kind: 'CONFIGURATION_CHANGE',
      data: { configurationItem: 'haproxy-eu', description: 'Removed the failing backend', changeRef: 'CHG0042' },
    });
    expect(last(c).summary).toContain('haproxy-eu');

    expect(kinds(c).slice(-6)).toEqual([
      'STAKEHOLDER_UPDATE',
      'ESCALATION',
      'ESCALATION',
      'ESCALATION',
      'DR_PLAN_TRIGGERED',
      'CONFIGURATION_CHANGE',
    ]);
    // None of these moved the lifecycle.
    expect(c.status).toBe('INVESTIGATING');
  });

  it('records time entries with their cost (minutes x rate / 60) and sums them on the incident', async () => {
    const eng = await createUser(t);
    const other = await createUser(t);
    const inc = await incidentIn(t, 'INVESTIGATING');
    const entries = [
      { activity: 'diagnosis', minutes: 50, rateCents: 12_345, billable: false },
      { activity: 'fix', minutes: 30, rateCents: 6_000, billable: true, userId: other.id, note: 'Patched the config' },
      { activity: 'communication', minutes: 7, billable: true },
    ];
    const made: TimeEntry[] = [];
    for (const input of entries) made.push(await mutate<TimeEntry>(t, M.timeEntry, { id: inc.id, input }, as(eng)));
    entries.forEach((input, i) => {
      expect(made[i]).toMatchObject({
        minutes: input.minutes,
        billable: input.billable,
        rateCents: input.rateCents ?? 0,
        costCents: Math.round((input.minutes * (input.rateCents ?? 0)) / 60),
      });
    });
    expect(made[0].costCents).toBe(10_288); // 50 x 123.45 / 60 = 102.875
    // The worker defaults to the actor.
    expect(made[0].user).toEqual({ id: eng.id });
    expect(made[1].user).toEqual({ id: other.id });
    const after = await fetchIncident(inc.id);
    expect(after.cost).toEqual({
      minutes: 87,
      billableMinutes: 37,
      costCents: made.reduce((s, e) => s + e.costCents, 0),
    });
    const logged = after.timeline.filter((e) => e.kind === 'TIME_LOGGED');
    expect(logged.map((e) => e.data?.minutes)).toEqual([50, 30, 7]);
    expect(logged.map((e) => e.data?.timeEntryId)).toEqual(made.map((e) => e.id));
  });
});
