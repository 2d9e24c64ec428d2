import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam, createUser, logIncident } from './support/factories';
import {
  applyWorkaround,
  applyWorkaroundRaw,
  createProblem,
  createWorkaround,
  expectError,
  getIncident,
  getProblem,
  getWorkaround,
  incidentIn,
  knowledgeSnapshot,
  linkIncident,
  RESOLVE,
  ROOT_CAUSE,
  run,
  setWorkaroundStatus,
  setWorkaroundStatusRaw,
  transitionIncident,
  transitionProblem,
  uniq,
  WORKAROUND_FIELDS,
} from './support/knowledge-factories';
import type { Effectiveness, Json, Page, Problem, Workaround } from './support/gql-types';
import { ok, startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * Workarounds: create, edit, retire and list them; apply them to open incidents and settle
 * at resolution whether they restored service; write them from resolved incidents; and their
 * effectiveness, computed by the database, checked against a brute-force computation over the raw
 * rows of the demo seed plus the cases made here (a reopen among them).
 */

let t: TestApp;
let engineer: { id: string; name: string; email: string };
const as = (u: { email: string }) => ({ 'x-actor-email': u.email });
const MIN = 60_000;
const DAY = 1440 * MIN;

beforeAll(async () => {
  t = await startTestApp({ seedDemo: true });
  engineer = await createUser(t, { teamId: (await createTeam(t)).id });
}, 300_000); // the demo seed replays a year of incidents: slow on a busy machine
afterAll(async () => {
  await t?.close();
});

const CREATE = `mutation($input: CreateWorkaroundInput!) { createWorkaround(input: $input) { ${WORKAROUND_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWorkaroundInput!) { updateWorkaround(id: $id, input: $input) { ${WORKAROUND_FIELDS} } }`;
const FROM_INCIDENT = `mutation($i: ID!, $input: CreateWorkaroundInput!) { createWorkaroundFromIncident(incidentId: $i, input:
  $input) { ${WORKAROUND_FIELDS} } }`;
const NEVER_APPLIED = {
  timesApplied: 0,
  incidents: 0,
  resolvedIncidents: 0,
  resolvedWithoutReopen: 0,
  inFlight: 0,
  resolvedWithoutReopenShare: null,
  restoredService: 0,
  medianMinutesToResolution: null,
};

// -------------------------------------------------------------------------------------------------

describe('the demo seed', () => {
  it('has problems with recurring incidents, known errors and applied workarounds', async () => {
    const d = await run<{
      nodes: {
        number: string;
        status: string;
        isKnownError: boolean;
        incidentCount: number;
        workarounds: { status: string; effectiveness: { timesApplied: number } }[];
      }[];
    }>(
      t,
      `query { problems(first: 100) { nodes { number status isKnownError incidentCount workarounds { status
        effectiveness { timesApplied } } } } }`,
    );
    const problems = d.nodes;
    expect(problems.length).toBeGreaterThanOrEqual(6);
    expect(problems.filter((p) => p.incidentCount >= 2).length).toBeGreaterThanOrEqual(3);
    expect(problems.some((p) => p.isKnownError)).toBe(true);
    expect(problems.flatMap((p) => p.workarounds).some((w) => w.effectiveness.timesApplied > 0)).toBe(true);
  });

  it('problem timelines read in the order they were written, though the seed writes several at one instant', async () => {
    const d = await run<{ nodes: { number: string; timeline: { kind: string; at: string; before: Json | null; after: Json | null }[] }[] }>(
      t,
      `query { problems(first: 100) { nodes { number timeline { kind at before after } } } }`,
    );
    for (const p of d.nodes) {
      expect(p.timeline[0]?.kind, p.number).toBe('CREATED');
      const times = p.timeline.map((e) => new Date(e.at).getTime());
      expect(times, p.number).toEqual([...times].sort((a, b) => a - b));
      // Each status change starts where the previous one ended, from OPEN.
      let status = 'OPEN';
      for (const e of p.timeline.filter((x) => x.kind === 'STATUS_CHANGED')) {
        expect(e.before?.status, `${p.number}: ${JSON.stringify(p.timeline.map((x) => [x.kind, x.after]))}`).toBe(status);
        status = e.after!.status as string;
      }
    }
  });
});

// -------------------------------------------------------------------------------------------------

describe('create, edit, retire', () => {
  it('creates a DRAFT by default and an ACTIVE one on request, linked to its problems on both sides', async () => {
    const p1 = await createProblem(t);
    const p2 = await createProblem(t);
    const steps = '## Steps\n\n1. Drain the node\n2. `systemctl restart kubelet`\n\n  trailing spaces kept  ';
    const draft = await createWorkaround(t, { title: '  Restart kubelet  ', steps });
    expect(draft).toMatchObject({
      title: 'Restart kubelet',
      steps,
      status: 'DRAFT',
      retiredAt: null,
      sourceIncident: null,
      problems: [],
      effectiveness: NEVER_APPLIED,
    });
    const active = await createWorkaround(t, { status: 'ACTIVE', problemIds: [p2.id, p1.id, p2.id] });
    expect(active.status).toBe('ACTIVE');
    expect(active.problems.map((p) => p.id).sort()).toEqual([p1.id, p2.id].sort());
    for (const p of [p1, p2]) {
      const after = await getProblem(t, p.id);
      expect(after.workarounds).toEqual([{ id: active.id, title: active.title, status: 'ACTIVE' }]);
      expect(after.timeline.at(-1)).toMatchObject({ kind: 'WORKAROUND_LINKED', data: { workaroundId: active.id } });
    }
    const rows = await t.sql(`select problem_id from problem_workarounds where workaround_id = $1 order by 1`, [active.id]);
    expect(rows.map((r) => r.problem_id)).toEqual([p1.id, p2.id].sort());
  });

  it('refuses to create a RETIRED workaround, writing nothing', async () => {
    const p = await createProblem(t);
    const before = await knowledgeSnapshot(t);
    expectError(
      await t.gql(CREATE, { input: { title: 'Born retired', steps: 'x', status: 'RETIRED', problemIds: [p.id] } }),
      'BAD_USER_INPUT',
      'status',
    );
    expect(await knowledgeSnapshot(t)).toEqual(before);
  });

  it('edits title and steps, and keeps a retired workaround as it was', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE' });
    const edited = await run<Workaround>(t, UPDATE, {
      id: w.id,
      input: { title: ' Flush the DNS cache ', steps: '1. `ipconfig /flushdns`' },
    });
    expect(edited).toMatchObject({ id: w.id, title: 'Flush the DNS cache', steps: '1. `ipconfig /flushdns`', status: 'ACTIVE' });
    expect(new Date(edited.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(w.updatedAt).getTime());
    const onlySteps = await run<Workaround>(t, UPDATE, { id: w.id, input: { steps: '1. Reboot' } });
    expect(onlySteps).toMatchObject({ title: 'Flush the DNS cache', steps: '1. Reboot' });

    await setWorkaroundStatus(t, w.id, 'RETIRED');
    const before = await knowledgeSnapshot(t);
    expectError(await t.gql(UPDATE, { id: w.id, input: { title: 'Sneaky edit' } }), 'CONFLICT', 'id', { messageNamesField: false });
    expect(await knowledgeSnapshot(t)).toEqual(before);
    expect((await getWorkaround(t, w.id)).title).toBe('Flush the DNS cache');
  });

  it('activates, retires and reactivates; never goes back to DRAFT', async () => {
    const w = await createWorkaround(t);
    const activated = await setWorkaroundStatus(t, w.id, 'ACTIVE');
    expect(activated).toMatchObject({ status: 'ACTIVE', retiredAt: null });
    const retired = await setWorkaroundStatus(t, w.id, 'RETIRED');
    expect(retired.status).toBe('RETIRED');
    expect(Math.abs(new Date(retired.retiredAt!).getTime() - Date.now())).toBeLessThan(60_000);
    const again = await setWorkaroundStatus(t, w.id, 'RETIRED');
    expect(again.retiredAt).toBe(retired.retiredAt);
    for (const from of ['RETIRED', 'ACTIVE']) {
      if (from === 'ACTIVE') await setWorkaroundStatus(t, w.id, 'ACTIVE');
      const before = await knowledgeSnapshot(t);
      expectError(await setWorkaroundStatusRaw(t, w.id, 'DRAFT'), 'BAD_USER_INPUT', 'status');
      expect(await knowledgeSnapshot(t), from).toEqual(before);
    }
    const reactivated = await getWorkaround(t, w.id);
    expect(reactivated).toMatchObject({ status: 'ACTIVE', retiredAt: null });
    // A draft may be retired without ever being used.
    expect((await setWorkaroundStatus(t, (await createWorkaround(t)).id, 'RETIRED')).status).toBe('RETIRED');
  });

  const long = (n: number) => 'x'.repeat(n);
  const bad: { name: string; code: string; field: string; call: () => Promise<GqlResult> }[] = [
    { name: 'blank title', code: 'BAD_USER_INPUT', field: 'title', call: () => t.gql(CREATE, { input: { title: '  ', steps: 'x' } }) },
    {
      name: 'title of 201 characters',
      code: 'BAD_USER_INPUT',
      field: 'title',
      call: () => t.gql(CREATE, { input: { title: long(201), steps: 'x' } }),
    },
    { name: 'blank steps', code: 'BAD_USER_INPUT', field: 'steps', call: () => t.gql(CREATE, { input: { title: 'x', steps: '\n\t ' } }) },
    {
      name: 'oversized steps',
      code: 'BAD_USER_INPUT',
      field: 'steps',
      call: () => t.gql(CREATE, { input: { title: 'x', steps: long(50_001) } }),
    },
    {
      name: 'unknown problem',
      code: 'NOT_FOUND',
      field: 'problemIds',
      call: () => t.gql(CREATE, { input: { title: 'x', steps: 'x', problemIds: [randomUUID()] } }),
    },
    {
      name: 'malformed problem id',
      code: 'BAD_USER_INPUT',
      field: 'problemIds',
      call: () => t.gql(CREATE, { input: { title: 'x', steps: 'x', problemIds: ['PRB-00001'] } }),
    },
    {
      name: '51 problems',
      code: 'BAD_USER_INPUT',
      field: 'problemIds',
      call: () => t.gql(CREATE, { input: { title: 'x', steps: 'x', problemIds: Array.from({ length: 51 }, () => randomUUID()) } }),
    },
    {
      name: 'update: unknown workaround',
      code: 'NOT_FOUND',
      field: 'id',
      call: () => t.gql(UPDATE, { id: randomUUID(), input: { title: 'y' } }),
    },
    { name: 'update: malformed id', code: 'BAD_USER_INPUT', field: 'id', call: () => t.gql(UPDATE, { id: 'w-1', input: { title: 'y' } }) },
    {
      name: 'set status: unknown workaround',
      code: 'NOT_FOUND',
      field: 'id',
      call: () => setWorkaroundStatusRaw(t, randomUUID(), 'ACTIVE'),
    },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}: ${c.code} on ${c.field}, writing nothing`, async () => {
      const before = await knowledgeSnapshot(t);
      expectError(await c.call(), c.code, c.field);
      expect(await knowledgeSnapshot(t)).toEqual(before);
    });
  }

  it('refuses an unknown problem among known ones without linking the known one', async () => {
    const p = await createProblem(t);
    const before = await knowledgeSnapshot(t);
    expectError(
      await t.gql(CREATE, { input: { title: 'x', steps: 'x', status: 'ACTIVE', problemIds: [p.id, randomUUID()] } }),
      'NOT_FOUND',
      'problemIds',
    );
    expect(await knowledgeSnapshot(t)).toEqual(before);
    expect((await getProblem(t, p.id)).workarounds).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------

describe('listing', () => {
  const LIST = `query($filter: WorkaroundFilter, $first: Int!, $after: String) {
    workarounds(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { id title status createdAt }
    }
  }`;
  const token = `wq${randomUUID().slice(0, 8)}`;
  const made: { id: string; status: string; createdAt: string }[] = [];
  let problem: Problem;

  beforeAll(async () => {
    problem = await createProblem(t);
    // Interleaved, so creation order alone does not give the list order.
    const plan = ['ACTIVE', 'DRAFT', 'RETIRED', 'DRAFT', 'ACTIVE', 'RETIRED', 'ACTIVE', 'DRAFT', 'RETIRED', 'ACTIVE', 'RETIRED'];
    for (const [i, status] of plan.entries()) {
      const w = await createWorkaround(t, {
        title: `${token} #${i}`,
        status: status === 'DRAFT' ? 'DRAFT' : 'ACTIVE',
        problemIds: i % 2 ? [problem.id] : [],
      });
      if (status === 'RETIRED') await setWorkaroundStatus(t, w.id, 'RETIRED');
      made.push({ id: w.id, status, createdAt: w.createdAt });
    }
    // Retired and reactivated: back among the active ones.
    await setWorkaroundStatus(t, made[2]!.id, 'ACTIVE');
    made[2]!.status = 'ACTIVE';
  });

  const RANK: Record<string, number> = { ACTIVE: 0, DRAFT: 1, RETIRED: 2 };
  const expectedOrder = (xs: typeof made) =>
    [...xs]
      .sort(
        (a, b) =>
          RANK[a.status]! - RANK[b.status]! || new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() || (a.id < b.id ? 1 : -1),
      )
      .map((w) => w.id);

  async function walk(filter: Record<string, unknown>, size: number) {
    const seen: { id: string; status: string }[] = [];
    let after: string | null = null;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(40);
      const page: Page<{ id: string; status: string }> = ok(
        await t.gql<{ workarounds: Page<{ id: string; status: string }> }>(LIST, { filter, first: size, after }),
      ).workarounds;
      expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((n) => n.id));
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return { seen, totalCount: page.totalCount };
      expect(page.nodes).toHaveLength(size);
      after = page.pageInfo.endCursor;
    }
  }

  it('lists active first, then drafts, retired last, newest first within each, on every page size', async () => {
    const expected = expectedOrder(made);
    for (const size of [1, 2, 3, 5, 11, 100]) {
      const { seen, totalCount } = await walk({ text: token }, size);
      expect(
        seen.map((w) => w.id),
        `page size ${size}`,
      ).toEqual(expected);
      expect(totalCount).toBe(11);
    }
    const { seen } = await walk({ text: token }, 100);
    expect(seen.map((w) => w.status)).toEqual([
      'ACTIVE',
      'ACTIVE',
      'ACTIVE',
      'ACTIVE',
      'ACTIVE',
      'DRAFT',
      'DRAFT',
      'DRAFT',
      'RETIRED',
      'RETIRED',
      'RETIRED',
    ]);
  });

  it('filters by status, problem and text', async () => {
    const retired = await walk({ text: token, status: ['RETIRED'] }, 2);
    expect(retired.seen.map((w) => w.id)).toEqual(expectedOrder(made.filter((w) => w.status === 'RETIRED')));
    expect(retired.totalCount).toBe(3);
    const linked = await walk({ problemId: problem.id }, 2);
    expect(linked.seen.map((w) => w.id)).toEqual(expectedOrder(made.filter((_, i) => i % 2)));
    expect((await walk({ text: `${token} #1` }, 100)).seen.map((w) => w.id).sort()).toEqual([made[1]!.id, made[10]!.id].sort());
    expect((await walk({ text: `${token.toUpperCase()} #7` }, 100)).seen.map((w) => w.id)).toEqual([made[7]!.id]);
    expect((await walk({ text: `${token}%` }, 100)).seen).toEqual([]);
  });

  it('the whole list pages without gaps across seeded and new workarounds', async () => {
    const all = (await t.sql<{ id: string; status: string; created_at: Date }>(`select id, status, created_at from workarounds`)).map(
      (r) => ({
        id: r.id,
        status: r.status,
        createdAt: new Date(r.created_at).toISOString(),
      }),
    );
    const { seen, totalCount } = await walk({}, 4);
    expect(totalCount).toBe(all.length);
    expect(seen.map((w) => w.id)).toEqual(expectedOrder(all));
  });

  it('refuses a bad page size or cursor', async () => {
    expectError(await t.gql(LIST, { first: 101 }), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql(LIST, { first: 2, after: 'garbage' }), 'BAD_USER_INPUT', 'after');
    expectError(
      await t.gql(LIST, { first: 2, after: Buffer.from(`0|${new Date().toISOString()}|not-a-uuid`).toString('base64url') }),
      'BAD_USER_INPUT',
      'after',
    );
  });
});

// -------------------------------------------------------------------------------------------------

describe('applying', () => {
  it('refuses to apply a draft or retired workaround: WORKAROUND_NOT_ACTIVE, nothing written', async () => {
    const inc = await incidentIn(t, 'INVESTIGATING');
    const draft = await createWorkaround(t);
    const retired = await createWorkaround(t, { status: 'ACTIVE' });
    await setWorkaroundStatus(t, retired.id, 'RETIRED');
    for (const [w, status] of [
      [draft, 'DRAFT'],
      [retired, 'RETIRED'],
    ] as const) {
      const before = await knowledgeSnapshot(t);
      const e = expectError(await applyWorkaroundRaw(t, inc.id, w.id), 'WORKAROUND_NOT_ACTIVE', 'workaroundId');
      expect(e.message).toContain(status.toLowerCase());
      expect(e.extensions?.status).toBe(status);
      expect(await knowledgeSnapshot(t), status).toEqual(before);
    }
    // Reactivated, it applies again.
    await setWorkaroundStatus(t, retired.id, 'ACTIVE');
    expect((await applyWorkaround(t, inc.id, retired.id)).workaroundApplications).toHaveLength(1);
  });

  it('records who applied it and when, with a WORKAROUND_APPLIED event, on any open incident', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE' });
    const onHold = await incidentIn(t, 'INVESTIGATING');
    await transitionIncident(t, onHold.id, { to: 'ON_HOLD', holdReason: 'AWAITING_VENDOR' });
    for (const inc of [await incidentIn(t, 'NEW'), await incidentIn(t, 'TRIAGED'), await incidentIn(t, 'INVESTIGATING'), onHold]) {
      const before = Date.now();
      const applied = await applyWorkaround(t, inc.id, w.id, 'Restarted two of three pods', as(engineer));
      const after = Date.now();
      expect(applied.workaroundApplications).toHaveLength(1);
      const a = applied.workaroundApplications[0];
      expect(a).toMatchObject({
        appliedByName: engineer.name,
        appliedBy: { id: engineer.id },
        note: 'Restarted two of three pods',
        restoredService: null,
        workaround: { id: w.id },
        incident: { id: inc.id },
      });
      expect(new Date(a.appliedAt).getTime()).toBeGreaterThanOrEqual(before - 5);
      expect(new Date(a.appliedAt).getTime()).toBeLessThanOrEqual(after + 5);
      const ev = applied.timeline.at(-1)!;
      expect(ev).toMatchObject({
        kind: 'WORKAROUND_APPLIED',
        actorName: engineer.name,
        data: { workaroundId: w.id, note: 'Restarted two of three pods' },
      });
      expect(ev.summary).toContain(w.title);
      const rows = await t.sql(
        `select applied_by_id, applied_by_name, restored_service from workaround_applications where incident_id = $1`,
        [inc.id],
      );
      expect(rows).toEqual([{ applied_by_id: engineer.id, applied_by_name: engineer.name, restored_service: null }]);
    }
    expect((await getWorkaround(t, w.id)).effectiveness).toMatchObject({
      timesApplied: 4,
      incidents: 4,
      resolvedIncidents: 0,
      restoredService: 0,
    });
  });

  it('refuses to apply to a RESOLVED, CLOSED or REVIEWED incident', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE' });
    for (const status of ['RESOLVED', 'CLOSED', 'REVIEWED'] as const) {
      const inc = await incidentIn(t, status);
      const before = await knowledgeSnapshot(t);
      const e = expectError(await applyWorkaroundRaw(t, inc.id, w.id), 'INCIDENT_READ_ONLY', 'incidentId', { messageNamesField: false });
      expect(e.message).toContain(inc.number);
      expect(e.message).toContain(` is ${status.toLowerCase()}`);
      expect(await knowledgeSnapshot(t), status).toEqual(before);
    }
  });

  it('refuses unknown or malformed ids and an oversized note', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE' });
    const inc = await incidentIn(t, 'INVESTIGATING');
    const before = await knowledgeSnapshot(t);
    expectError(await applyWorkaroundRaw(t, randomUUID(), w.id), 'NOT_FOUND', 'incidentId');
    expectError(await applyWorkaroundRaw(t, inc.id, randomUUID()), 'NOT_FOUND', 'workaroundId');
    expectError(await applyWorkaroundRaw(t, 'INC-1', w.id), 'BAD_USER_INPUT', 'incidentId');
    expectError(await applyWorkaroundRaw(t, inc.id, 'nope'), 'BAD_USER_INPUT', 'workaroundId');
    expectError(await applyWorkaroundRaw(t, inc.id, w.id, 'x'.repeat(20_001)), 'BAD_USER_INPUT', 'note');
    expect(await knowledgeSnapshot(t)).toEqual(before);
  });
});

// -------------------------------------------------------------------------------------------------

describe('resolving with a workaround', () => {
  it('the named workaround restored service, the others did not', async () => {
    const w1 = await createWorkaround(t, { status: 'ACTIVE' });
    const w2 = await createWorkaround(t, { status: 'ACTIVE' });
    const inc = await incidentIn(t, 'INVESTIGATING');
    await applyWorkaround(t, inc.id, w1.id);
    await applyWorkaround(t, inc.id, w2.id);
    await applyWorkaround(t, inc.id, w1.id, 'second try');
    const resolved = await transitionIncident(t, inc.id, { ...RESOLVE, workaroundId: w1.id });
    expect(resolved.status).toBe('RESOLVED');
    expect(resolved.resolvedByWorkaround).toEqual({ id: w1.id });
    expect(resolved.workaroundApplications.map((a) => [a.workaround.id, a.restoredService])).toEqual([
      [w1.id, true],
      [w2.id, false],
      [w1.id, true],
    ]);
    expect(resolved.timeline.at(-1)).toMatchObject({ kind: 'STATUS_CHANGED', data: { workaroundId: w1.id } });
    expect(await t.sql(`select resolution_workaround_id from incidents where id = $1`, [inc.id])).toEqual([
      { resolution_workaround_id: w1.id },
    ]);
    expect((await getWorkaround(t, w1.id)).effectiveness).toMatchObject({
      timesApplied: 2,
      incidents: 1,
      resolvedIncidents: 1,
      resolvedWithoutReopen: 1,
      resolvedWithoutReopenShare: 1,
      restoredService: 1,
    });
    expect((await getWorkaround(t, w2.id)).effectiveness).toMatchObject({
      timesApplied: 1,
      incidents: 1,
      resolvedIncidents: 1,
      resolvedWithoutReopen: 1,
      restoredService: 0,
    });

    // Reopened, it no longer names a workaround; resolved again with the other one, that one counts.
    const reopened = await transitionIncident(t, inc.id, { to: 'INVESTIGATING', note: 'Back again' });
    expect(reopened.resolvedByWorkaround).toBeNull();
    const again = await transitionIncident(t, inc.id, { ...RESOLVE, workaroundId: w2.id });
    expect(again.resolvedByWorkaround).toEqual({ id: w2.id });
    expect(again.workaroundApplications.filter((a) => a.workaround.id === w2.id).map((a) => a.restoredService)).toEqual([true]);
    expect((await getWorkaround(t, w1.id)).effectiveness).toMatchObject({
      resolvedIncidents: 1,
      resolvedWithoutReopen: 0,
      resolvedWithoutReopenShare: 0,
    });
  });

  it('resolving without naming a workaround settles every application as not restoring service', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE' });
    const inc = await incidentIn(t, 'INVESTIGATING');
    await applyWorkaround(t, inc.id, w.id);
    const resolved = await transitionIncident(t, inc.id, { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX' });
    expect(resolved.resolvedByWorkaround).toBeNull();
    expect(resolved.workaroundApplications.map((a) => a.restoredService)).toEqual([false]);
  });

  it('refuses a workaroundId that was not applied to the incident, or given on another move', async () => {
    const applied = await createWorkaround(t, { status: 'ACTIVE' });
    const other = await createWorkaround(t, { status: 'ACTIVE' });
    const inc = await incidentIn(t, 'INVESTIGATING');
    await applyWorkaround(t, inc.id, applied.id);
    const TRANSITION = `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id } }`;
    const before = await knowledgeSnapshot(t);
    for (const workaroundId of [other.id, randomUUID()]) {
      const e = expectError(await t.gql(TRANSITION, { id: inc.id, input: { ...RESOLVE, workaroundId } }), 'BAD_USER_INPUT', 'workaroundId');
      expect(e.message).toContain('not applied');
    }
    expectError(
      await t.gql(TRANSITION, { id: inc.id, input: { to: 'ON_HOLD', holdReason: 'AWAITING_USER', workaroundId: applied.id } }),
      'BAD_USER_INPUT',
      'workaroundId',
    );
    expectError(await t.gql(TRANSITION, { id: inc.id, input: { ...RESOLVE, workaroundId: 'w1' } }), 'BAD_USER_INPUT', 'workaroundId');
    expect(await knowledgeSnapshot(t)).toEqual(before);
    const still = await getIncident(t, inc.id);
    expect(still.status).toBe('INVESTIGATING');
    expect(still.workaroundApplications.map((a) => a.restoredService)).toEqual([null]);
  });
});

// -------------------------------------------------------------------------------------------------

describe('createWorkaroundFromIncident', () => {
  it('works only from RESOLVED, CLOSED or REVIEWED incidents', async () => {
    for (const status of ['NEW', 'TRIAGED', 'INVESTIGATING'] as const) {
      const inc = await incidentIn(t, status);
      const before = await knowledgeSnapshot(t);
      const e = expectError(await t.gql(FROM_INCIDENT, { i: inc.id, input: { title: 'x', steps: 'x' } }), 'BAD_USER_INPUT', 'incidentId');
      expect(e.message).toContain(` is ${status.toLowerCase()}`);
      expect(await knowledgeSnapshot(t), status).toEqual(before);
    }
    const before = await knowledgeSnapshot(t);
    expectError(await t.gql(FROM_INCIDENT, { i: randomUUID(), input: { title: 'x', steps: 'x' } }), 'NOT_FOUND', 'incidentId');
    expectError(await t.gql(FROM_INCIDENT, { i: 'INC-000001', input: { title: 'x', steps: 'x' } }), 'BAD_USER_INPUT', 'incidentId');
    const resolved = await incidentIn(t, 'RESOLVED');
    const mid = await knowledgeSnapshot(t);
    expectError(
      await t.gql(FROM_INCIDENT, { i: resolved.id, input: { title: 'x', steps: 'x', status: 'RETIRED' } }),
      'BAD_USER_INPUT',
      'status',
    );
    expect(await knowledgeSnapshot(t)).toEqual(mid);
    expect(mid.counts.workarounds).toBe(before.counts.workarounds);
  });

  it("keeps its source incident and links the incident's problem, which becomes a known error", async () => {
    const problem = await createProblem(t, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CONFIGURATION' });
    await transitionProblem(t, problem.id, 'KNOWN_ERROR');
    expect((await getProblem(t, problem.id)).isKnownError).toBe(false);
    const extra = await createProblem(t);
    for (const status of ['RESOLVED', 'CLOSED', 'REVIEWED'] as const) {
      const inc = await incidentIn(t, status);
      await linkIncident(t, inc.id, problem.id);
      const w = await run<Workaround>(
        t,
        FROM_INCIDENT,
        {
          i: inc.id,
          input: { title: `Written from a ${status} incident`, steps: '1. Do it', status: 'ACTIVE', problemIds: [extra.id, problem.id] },
        },
        as(engineer),
      );
      expect(w).toMatchObject({ status: 'ACTIVE', sourceIncident: { id: inc.id, number: inc.number } });
      expect(w.problems.map((p) => p.id).sort()).toEqual([problem.id, extra.id].sort());
      const after = await getIncident(t, inc.id);
      expect(after.status).toBe(status);
      expect(after.timeline.at(-1)).toMatchObject({ kind: 'KNOWLEDGE_CREATED', actorName: engineer.name, data: { workaroundId: w.id } });
      const p = await getProblem(t, problem.id);
      expect(p.timeline.at(-1)).toMatchObject({ kind: 'WORKAROUND_LINKED', data: { workaroundId: w.id } });
      expect(p.workarounds.map((x) => x.id)).toContain(w.id);
      expect(p.isKnownError).toBe(true);
    }
    // Without a problem on the incident it links nothing, and stays a DRAFT by default.
    const bare = await incidentIn(t, 'CLOSED');
    const w = await run(t, FROM_INCIDENT, { i: bare.id, input: { title: 'Unlinked', steps: '1. Do it' } });
    expect(w).toMatchObject({ status: 'DRAFT', problems: [], sourceIncident: { id: bare.id } });
  });
});

// -------------------------------------------------------------------------------------------------

/**
 * The definitions, computed in TypeScript over raw rows: per workaround, the distinct incidents it
 * was applied to and the first application on each; resolved = resolved_at set and not before that
 * first application; without reopen = resolved and no REOPENED event after it; restored service =
 * any application on the incident marked so; median minutes from first application to resolution
 * over the resolved ones (an even count takes the mean of the two middle values); in flight = open
 * now and no reopen after the first application, in neither side of the share. Times are
 * compared in microseconds, as stored.
 */
async function bruteForce(): Promise<Map<string, Effectiveness>> {
  const us = (col: string) => `case when ${col} is null then null else (extract(epoch from ${col}) * 1000000)::bigint::text end`;
  const apps = await t.sql<{ workaround_id: string; incident_id: string; at: string; restored_service: boolean | null }>(
    `select workaround_id, incident_id, ${us('applied_at')} as at, restored_service from workaround_applications`,
  );
  const incidents = new Map(
    (await t.sql<{ id: string; resolved: string | null }>(`select id, ${us('resolved_at')} as resolved from incidents`)).map((r) => [
      r.id,
      r.resolved === null ? null : BigInt(r.resolved),
    ]),
  );
  const openNow = new Set(
    (await t.sql<{ id: string }>(`select id from incidents where status in ('NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD')`)).map(
      (r) => r.id,
    ),
  );
  const reopens = await t.sql<{ incident_id: string; at: string }>(
    `select incident_id, ${us('at')} as at from incident_events where kind = 'REOPENED'`,
  );
  const workarounds = await t.sql<{ id: string }>(`select id from workarounds`);

  const out = new Map<string, Effectiveness>();
  for (const { id } of workarounds) {
    const mine = apps.filter((a) => a.workaround_id === id);
    const perIncident = new Map<string, { first: bigint; restored: boolean }>();
    for (const a of mine) {
      const at = BigInt(a.at);
      const cur = perIncident.get(a.incident_id);
      perIncident.set(a.incident_id, {
        first: cur && cur.first < at ? cur.first : at,
        restored: (cur?.restored ?? false) || a.restored_service === true,
      });
    }
    let resolved = 0;
    let withoutReopen = 0;
    let restored = 0;
    let inFlight = 0;
    const minutes: number[] = [];
    for (const [incidentId, { first, restored: r }] of perIncident) {
      if (r) restored += 1;
      const resolvedAt = incidents.get(incidentId);
      if (resolvedAt === undefined) throw new Error(`application on a missing incident ${incidentId}`);
      const reopened = reopens.some((e) => e.incident_id === incidentId && BigInt(e.at) > first);
      if (openNow.has(incidentId) && !reopened) inFlight += 1;
      if (resolvedAt === null || resolvedAt < first) continue;
      resolved += 1;
      minutes.push(Number(resolvedAt - first) / 60_000_000);
      if (!reopened) withoutReopen += 1;
    }
    minutes.sort((a, b) => a - b);
    const mid = Math.floor(minutes.length / 2);
    const median = minutes.length === 0 ? null : minutes.length % 2 ? minutes[mid]! : (minutes[mid - 1]! + minutes[mid]!) / 2;
    out.set(id, {
      timesApplied: mine.length,
      incidents: perIncident.size,
      resolvedIncidents: resolved,
      resolvedWithoutReopen: withoutReopen,
      inFlight,
      resolvedWithoutReopenShare: perIncident.size > inFlight ? withoutReopen / (perIncident.size - inFlight) : null,
      restoredService: restored,
      medianMinutesToResolution: median,
    });
  }
  return out;
}

/** Every workaround's effectiveness as the API reports it, following the cursor. */
async function fromApi(): Promise<Map<string, Effectiveness & { title: string }>> {
  const out = new Map<string, Effectiveness & { title: string }>();
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Page<{ id: string; title: string; effectiveness: Effectiveness }> = ok(
      await t.gql<{ workarounds: Page<{ id: string; title: string; effectiveness: Effectiveness }> }>(
        `query($after: String) { workarounds(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id title
          effectiveness {
          timesApplied incidents resolvedIncidents resolvedWithoutReopen inFlight resolvedWithoutReopenShare restoredService
            medianMinutesToResolution } } } }`,
        { after },
      ),
    ).workarounds;
    for (const n of page.nodes) out.set(n.id, { title: n.title, ...n.effectiveness });
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

async function expectEffectivenessMatchesBruteForce() {
  const expected = await bruteForce();
  const got = await fromApi();
  expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, e] of expected) {
    const g = got.get(id)!;
    const label = `${g.title} (${id})`;
    expect({ ...g, title: undefined, resolvedWithoutReopenShare: undefined, medianMinutesToResolution: undefined }, label).toEqual({
      ...e,
      title: undefined,
      resolvedWithoutReopenShare: undefined,
      medianMinutesToResolution: undefined,
    });
    for (const k of ['resolvedWithoutReopenShare', 'medianMinutesToResolution'] as const) {
      if (e[k] === null) expect(g[k], `${label} ${k}`).toBeNull();
      else expect(g[k], `${label} ${k}`).toBeCloseTo(e[k]!, 6);
    }
  }
  return { expected, got };
}

describe('effectiveness', () => {
  it('matches a brute-force computation over the demo seed', async () => {
    const { expected } = await expectEffectivenessMatchesBruteForce();
    // The seed must give the comparison something to bite on.
    const applied = [...expected.values()].filter((e) => e.timesApplied > 0);
    expect(applied.length).toBeGreaterThanOrEqual(2);
    expect(applied.some((e) => e.resolvedIncidents >= 3 && e.medianMinutesToResolution! > 0)).toBe(true);
    expect(applied.some((e) => e.restoredService > 0 && e.restoredService < e.incidents)).toBe(true);
    expect([...expected.values()].some((e) => e.timesApplied === 0)).toBe(true);
  });

  it('counts a reopen after the first application, but not one before it, nor a resolution before it', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE', title: uniq('Effectiveness probe') });
    const w2 = await createWorkaround(t, { status: 'ACTIVE' });
    expect(w.effectiveness).toEqual(NEVER_APPLIED);
    const base = Date.now() - 3 * DAY;
    const at = (ms: number) => new Date(base + ms).toISOString();
    const open = async () => {
      const inc = await logIncident(t, { openedAt: at(0) });
      await transitionIncident(t, inc.id, { to: 'INVESTIGATING', occurredAt: at(10 * MIN) });
      return inc;
    };
    const resolve = (id: string, extra: Record<string, unknown> = {}) => transitionIncident(t, id, { ...RESOLVE, ...extra });
    const reopen = (id: string, extra: Record<string, unknown> = {}) =>
      transitionIncident(t, id, { to: 'INVESTIGATING', note: 'It came back', ...extra });

    // A: applied, resolved by it, reopened afterwards, resolved again: resolved, but reopened.
    const a = await open();
    await applyWorkaround(t, a.id, w.id);
    await resolve(a.id, { workaroundId: w.id });
    await reopen(a.id);
    await resolve(a.id, { resolutionKind: 'PERMANENT_FIX' });
    // B: resolved and reopened days before the workaround was first applied, then resolved by it.
    const b = await open();
    await resolve(b.id, { resolutionKind: 'PERMANENT_FIX', occurredAt: at(DAY) });
    await reopen(b.id, { occurredAt: at(2 * DAY) });
    await applyWorkaround(t, b.id, w.id);
    await resolve(b.id, { workaroundId: w.id });
    // C: applied, then recorded as resolved a day before the application: not resolved after it.
    const c = await open();
    await applyWorkaround(t, c.id, w.id);
    await resolve(c.id, { workaroundId: w.id, occurredAt: at(DAY) });
    // D: applied twice, still open.
    const d = await open();
    await applyWorkaround(t, d.id, w.id);
    await applyWorkaround(t, d.id, w.id);
    // E: applied with another workaround that restored service.
    const e = await open();
    await applyWorkaround(t, e.id, w.id);
    await applyWorkaround(t, e.id, w2.id);
    await resolve(e.id, { workaroundId: w2.id });
    // F: applied and resolved by it.
    const f = await open();
    await applyWorkaround(t, f.id, w.id);
    await resolve(f.id, { workaroundId: w.id });
    // G: resolved by it, then reopened and still open.
    const g = await open();
    await applyWorkaround(t, g.id, w.id);
    await resolve(g.id, { workaroundId: w.id });
    await reopen(g.id);
    // H: resolved by it, reopened, applied again, then resolved by something else: it still restored
    // service once (the second application is settled as not restoring it).
    const h = await open();
    await applyWorkaround(t, h.id, w.id);
    await resolve(h.id, { workaroundId: w.id });
    await reopen(h.id);
    await applyWorkaround(t, h.id, w.id);
    await resolve(h.id, { resolutionKind: 'PERMANENT_FIX' });
    expect((await getIncident(t, h.id)).workaroundApplications.map((x) => x.restoredService)).toEqual([true, false]);
    // I: applied and resolved by it, like F.
    const i = await open();
    await applyWorkaround(t, i.id, w.id);
    await resolve(i.id, { workaroundId: w.id });

    const reopenedEvents = await t.sql(
      `select incident_id, at from incident_events where kind = 'REOPENED' and incident_id = any($1::uuid[]) order by at`,
      [[a.id, b.id, g.id, h.id]],
    );
    expect(reopenedEvents.map((r) => r.incident_id).sort()).toEqual([a.id, b.id, g.id, h.id].sort());

    const got = (await getWorkaround(t, w.id)).effectiveness;
    expect({ ...got, medianMinutesToResolution: undefined }).toEqual({
      timesApplied: 11,
      incidents: 9,
      resolvedIncidents: 6, // A, B, E, F, H, I
      resolvedWithoutReopen: 4, // B, E, F, I
      inFlight: 1, // D; G is open again too, but its reopen is an outcome
      resolvedWithoutReopenShare: 4 / 8,
      restoredService: 7, // A, B, C, F, G, H, I
      medianMinutesToResolution: undefined,
    });
    // Six resolved incidents (an even count: the mean of the two middle ones), each within seconds
    // of its first application.
    expect(got.medianMinutesToResolution).toBeGreaterThan(0);
    expect(got.medianMinutesToResolution).toBeLessThan(5);
    expect((await getWorkaround(t, w2.id)).effectiveness).toMatchObject({
      timesApplied: 1,
      incidents: 1,
      resolvedIncidents: 1,
      resolvedWithoutReopen: 1,
      resolvedWithoutReopenShare: 1,
      restoredService: 1,
    });

    const expected = (await bruteForce()).get(w.id)!;
    expect(expected.resolvedIncidents).toBe(6);
    expect(got.medianMinutesToResolution).toBeCloseTo(expected.medianMinutesToResolution!, 6);
  });

  it('counts outcomes only: an application on an open incident is in flight, in neither side of the rate', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE', title: uniq('In-flight probe') });
    const held = await incidentIn(t, 'INVESTIGATING');
    await applyWorkaround(t, held.id, w.id);
    await transitionIncident(t, held.id, { ...RESOLVE, workaroundId: w.id });
    const failed = await incidentIn(t, 'INVESTIGATING');
    await applyWorkaround(t, failed.id, w.id);
    await transitionIncident(t, failed.id, { ...RESOLVE, workaroundId: w.id });
    await transitionIncident(t, failed.id, { to: 'INVESTIGATING', note: 'It came back' });
    const before = (await getWorkaround(t, w.id)).effectiveness;
    expect(before).toMatchObject({ incidents: 2, inFlight: 0, resolvedWithoutReopen: 1, resolvedWithoutReopenShare: 0.5 });

    // Applied to an open incident: counted as applied and in flight; the rate does not move.
    const live = await incidentIn(t, 'INVESTIGATING');
    await applyWorkaround(t, live.id, w.id);
    expect((await getWorkaround(t, w.id)).effectiveness).toMatchObject({
      timesApplied: before.timesApplied + 1,
      incidents: 3,
      inFlight: 1,
      resolvedWithoutReopenShare: 0.5,
    });
    // Its outcome arrives with the resolution.
    await transitionIncident(t, live.id, { ...RESOLVE, workaroundId: w.id });
    expect((await getWorkaround(t, w.id)).effectiveness).toMatchObject({ incidents: 3, inFlight: 0, resolvedWithoutReopenShare: 2 / 3 });

    // Only in flight: no rate at all rather than 0 %.
    const fresh = await createWorkaround(t, { status: 'ACTIVE' });
    await applyWorkaround(t, (await incidentIn(t, 'INVESTIGATING')).id, fresh.id);
    expect((await getWorkaround(t, fresh.id)).effectiveness).toMatchObject({ incidents: 1, inFlight: 1, resolvedWithoutReopenShare: null });
  });

  it('matches the brute-force computation over everything written in this file too', async () => {
    const { expected } = await expectEffectivenessMatchesBruteForce();
    expect([...expected.values()].some((e) => e.resolvedWithoutReopen < e.resolvedIncidents)).toBe(true);
    expect([...expected.values()].some((e) => e.resolvedIncidents > 0 && e.resolvedIncidents % 2 === 0)).toBe(true);
  });
});
