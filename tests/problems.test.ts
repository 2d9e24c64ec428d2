import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueInSentence, valueLabel } from '@ikb/domain';
import { createCategory, createService, createTeam, createUser, logIncident } from './support/factories';
import {
  applyWorkaround,
  createProblem,
  createWorkaround,
  expectError,
  getIncident,
  getProblem,
  incidentIn,
  knowledgeSnapshot,
  knownError,
  linkIncident,
  linkIncidentRaw,
  PROBLEM_FIELDS,
  ROOT_CAUSE,
  run,
  setWorkaroundStatus,
  transitionIncident,
  transitionProblem,
  transitionProblemRaw,
  updateProblem,
} from './support/knowledge-factories';
import type { Json, Page, Problem, Workaround } from './support/gql-types';
import { ok, startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * Problems: the ITIL problem record through GraphQL over HTTP. Create, edit and list it;
 * its status rules (no known error without a documented root cause, no resolution without the
 * fixing change); links to incidents as evidence on both timelines; known errors matched to
 * incidents; traversal; statement counts; and bad input that leaves nothing half-written.
 */

let t: TestApp;
let first: Problem; // the first problem of this database: PRB-00001
let owner: { id: string; name: string; email: string };
const as = (u: { email: string }) => ({ 'x-actor-email': u.email });

beforeAll(async () => {
  t = await startTestApp();
  const team = await createTeam(t);
  owner = await createUser(t, { teamId: team.id });
  first = await createProblem(t, { title: 'The very first problem' });
});
afterAll(async () => {
  await t?.close();
});

const LIST = `query($filter: ProblemFilter, $first: Int!, $after: String) {
  problems(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
    nodes { id number title status createdAt rootCause isKnownError service { id } category { id } workarounds { status } }
  }
}`;

async function list(filter: Record<string, unknown> | null, pageSize = 100, after?: string | null) {
  const r = await t.gql<{ problems: ProblemPage }>(LIST, { filter, first: pageSize, after });
  return ok(r).problems;
}

interface ProblemPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
  nodes: {
    id: string;
    number: string;
    title: string;
    status: string;
    createdAt: string;
    rootCause: string | null;
    isKnownError: boolean;
    service: { id: string } | null;
    category: { id: string } | null;
    workarounds: { status: string }[];
  }[];
}

/** Every problem matching `filter`, following the cursor to the end. */
async function listAll(filter: Record<string, unknown> | null, pageSize = 100) {
  const out: Awaited<ReturnType<typeof list>>['nodes'] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await list(filter, pageSize, after);
    out.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

const kinds = (timeline: { kind: string }[]) => timeline.map((e) => e.kind);
const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

/** The traversal test's incident: its problem, that problem's workarounds and their problems. */
interface Traversal {
  problem: {
    id: string;
    incidentCount: number;
    incidents: Page<{ id: string; problem: { id: string } | null }>;
    workarounds: {
      id: string;
      problems: { id: string; number: string; incidents: { nodes: { id: string }[] } }[];
      effectiveness: { timesApplied: number; incidents: number };
    }[];
  } | null;
  workaroundApplications: { workaround: { id: string; problems: { id: string }[] }; incident: { id: string } }[];
}

/** What the statement-count test reads of a listed problem. */
interface ListedProblem {
  service: { name: string } | null;
  category: { name: string; parent: { name: string } | null } | null;
  owner: { name: string } | null;
  incidentCount: number;
  recentIncidents: { number: string; service: { name: string } | null }[];
  workarounds: { title: string; effectiveness: { timesApplied: number } }[];
  isKnownError: boolean;
  timeline: { kind: string }[];
}

// -------------------------------------------------------------------------------------------------

describe('create and edit', () => {
  it('creates a problem with every field, numbered PRB-00001 onwards, with a CREATED event by the acting user', async () => {
    expect(first.number).toBe('PRB-00001');
    expect((await run<{ id: string }>(t, `query { problemByNumber(number: "PRB-00001") { id } }`)).id).toBe(first.id);
    expect((await run<{ id: string }>(t, `query { problemByNumber(number: "1") { id } }`)).id).toBe(first.id);
    expect(await run(t, `query { problemByNumber(number: "PRB-99999") { id } }`)).toBeNull();

    const service = await createService(t);
    const parent = await createCategory(t);
    const category = await createCategory(t, { parentId: parent.id });
    const p = await createProblem(
      t,
      {
        title: '  Checkout pods run out of memory  ',
        description: 'Pods restart under load',
        rootCauseCategory: 'SOFTWARE_DEFECT',
        rootCause: '  Image cache never evicts entries  ',
        analysisNotes: 'Heap dumps attached to CHG-1',
        fixChangeRef: ' CHG12345 ',
        fixDescription: 'Bounded LRU cache',
        serviceId: service.id,
        categoryId: category.id,
        ownerId: owner.id,
        keywords: [' OOMKilled ', 'oomkilled', 'Exit Code 137'],
      },
      as(owner),
    );
    expect(p.number).toMatch(/^PRB-\d{5}$/);
    expect(Number(p.number.slice(4))).toBeGreaterThan(1);
    expect(p).toMatchObject({
      title: 'Checkout pods run out of memory',
      description: 'Pods restart under load',
      status: 'OPEN',
      rootCauseCategory: 'SOFTWARE_DEFECT',
      rootCause: 'Image cache never evicts entries',
      analysisNotes: 'Heap dumps attached to CHG-1',
      fixChangeRef: 'CHG12345',
      fixDescription: 'Bounded LRU cache',
      keywords: ['oomkilled', 'exit code 137'],
      service: { id: service.id, name: service.name },
      category: { id: category.id, name: category.name },
      owner: { id: owner.id, name: owner.name },
      sourceIncident: null,
      knownErrorAt: null,
      resolvedAt: null,
      closedAt: null,
      isKnownError: false,
      incidentCount: 0,
      workarounds: [],
    });
    expect(p.timeline).toHaveLength(1);
    expect(p.timeline[0]).toMatchObject({ kind: 'CREATED', actorName: owner.name });
    expect(p.timeline[0].summary).toContain(p.number);
    const [row] = await t.sql(`select number, status, root_cause, keywords, owner_id from problems where id = $1`, [p.id]);
    expect(row).toEqual({
      number: Number(p.number.slice(4)),
      status: 'OPEN',
      root_cause: 'Image cache never evicts entries',
      keywords: ['oomkilled', 'exit code 137'],
      owner_id: owner.id,
    });
  });

  it('defaults: root-cause category UNKNOWN, no root cause, empty description and keywords', async () => {
    const p = await createProblem(t, { title: 'Bare problem' });
    expect(p).toMatchObject({
      title: 'Bare problem',
      description: '',
      rootCauseCategory: 'UNKNOWN',
      rootCause: null,
      analysisNotes: '',
      fixChangeRef: null,
      keywords: [],
      service: null,
      category: null,
      owner: null,
    });
  });

  it('edits fields, records only what changed on the timeline, and writes nothing for a no-op edit', async () => {
    const p = await createProblem(t, { title: 'Before', description: 'Old description' });
    const service = await createService(t);
    const edited = await updateProblem(t, p.id, {
      title: ' After ',
      description: 'New description',
      analysisNotes: 'Notes',
      serviceId: service.id,
      keywords: ['Timeout'],
    });
    expect(edited).toMatchObject({
      title: 'After',
      description: 'New description',
      analysisNotes: 'Notes',
      service: { id: service.id },
      keywords: ['timeout'],
      status: 'OPEN',
    });
    expect(kinds(edited.timeline)).toEqual(['CREATED', 'UPDATED']);
    const upd = edited.timeline[1];
    expect(upd.before).toEqual({ title: 'Before', description: 'Old description', analysisNotes: '', serviceId: null, keywords: [] });
    expect(upd.after).toEqual({
      title: 'After',
      description: 'New description',
      analysisNotes: 'Notes',
      serviceId: service.id,
      keywords: ['timeout'],
    });
    expect(new Date(edited.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(p.updatedAt).getTime());

    const same = await updateProblem(t, p.id, { title: 'After', description: 'New description' });
    expect(kinds(same.timeline)).toEqual(['CREATED', 'UPDATED']);

    // null clears an optional reference; an empty root cause is stored as none.
    const cleared = await updateProblem(t, p.id, { serviceId: null, rootCause: '   ' });
    expect(cleared.service).toBeNull();
    expect(cleared.rootCause).toBeNull();
  });
});

// -------------------------------------------------------------------------------------------------

describe('listing', () => {
  const d: Record<string, { id: string; number?: string }> = {};
  const token = `zq${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    d.s1 = await createService(t);
    d.s2 = await createService(t);
    d.parent = await createCategory(t);
    d.child = await createCategory(t, { parentId: d.parent.id });
    d.other = await createCategory(t);
    // OPEN, on s1 in the parent category, with the token in its title.
    d.p1 = await createProblem(t, { title: `Disk full on db-7 ${token}`, serviceId: d.s1.id, categoryId: d.parent.id });
    // Known error on s1 in the child category.
    d.p2 = (await knownError(t, { serviceId: d.s1.id, categoryId: d.child.id, description: `Replica lag ${token}` })).problem;
    // KNOWN_ERROR on s2 whose only workaround is a draft: not a known error.
    d.p3 = await createProblem(t, {
      serviceId: d.s2.id,
      categoryId: d.other.id,
      rootCause: `Cron overlaps ${token} backup window`,
      rootCauseCategory: 'CONFIGURATION',
    });
    await createWorkaround(t, { status: 'DRAFT', problemIds: [d.p3.id] });
    await transitionProblem(t, d.p3.id, 'KNOWN_ERROR');
    // FIX_IN_PROGRESS on s2 in the child category with an active workaround: a known error.
    d.p4 = (await knownError(t, { serviceId: d.s2.id, categoryId: d.child.id })).problem;
    await transitionProblem(t, d.p4.id, 'FIX_IN_PROGRESS');
    // RESOLVED on s1 without a category: its workaround is still active, but it is no known error.
    d.p5 = (await knownError(t, { serviceId: d.s1.id, fixChangeRef: 'CHG777' })).problem;
    await transitionProblem(t, d.p5.id, 'RESOLVED');
    // KNOWN_ERROR whose workaround was retired: no longer a known error.
    const k6 = await knownError(t, { serviceId: d.s2.id });
    d.p6 = k6.problem;
    await setWorkaroundStatus(t, k6.workaround.id, 'RETIRED');
    // Wildcards in the text filter are literal.
    d.p7 = await createProblem(t, { title: `CPU at 100% on web-3 ${token}` });
    d.p8 = await createProblem(t, { title: `CPU at 1000 on web_4 ${token}` });
  });

  /** The whole list, read once; each filter must return exactly what a filter over it says. */
  async function expectFilter(filter: Record<string, unknown>, pred: (p: ProblemPage['nodes'][number]) => boolean, atLeast: string[]) {
    const all = await listAll(null);
    const expected = all.filter(pred).map((p) => p.id);
    const got = await listAll(filter, 7);
    expect(
      got.map((p) => p.id),
      JSON.stringify(filter),
    ).toEqual(expected);
    expect((await list(filter, 1)).totalCount, JSON.stringify(filter)).toBe(expected.length);
    for (const id of atLeast) expect(expected, `${JSON.stringify(filter)} should include ${id}`).toContain(id);
    return got;
  }

  it('filters by status', async () => {
    await expectFilter({ status: ['KNOWN_ERROR'] }, (p) => p.status === 'KNOWN_ERROR', [d.p2.id, d.p3.id, d.p6.id]);
    const got = await expectFilter({ status: ['OPEN', 'RESOLVED'] }, (p) => p.status === 'OPEN' || p.status === 'RESOLVED', [
      d.p1.id,
      d.p5.id,
      first.id,
    ]);
    expect(got.map((p) => p.id)).not.toContain(d.p4.id);
  });

  it('knownErrorOnly: root cause documented, KNOWN_ERROR or FIX_IN_PROGRESS, and an ACTIVE workaround', async () => {
    const isKnown = (p: ProblemPage['nodes'][number]) =>
      ['KNOWN_ERROR', 'FIX_IN_PROGRESS'].includes(p.status) &&
      (p.rootCause ?? '').trim().length >= 10 &&
      p.workarounds.some((w) => w.status === 'ACTIVE');
    const got = await expectFilter({ knownErrorOnly: true }, isKnown, [d.p2.id, d.p4.id]);
    for (const id of [d.p1.id, d.p3.id, d.p5.id, d.p6.id]) expect(got.map((p) => p.id)).not.toContain(id);
    expect(got.every((p) => p.isKnownError)).toBe(true);
    // The knownErrors query lists the same, in the same order.
    const ke = await run<Page<{ id: string }>>(t, `query { knownErrors(first: 100) { totalCount nodes { id } } }`);
    expect(ke.nodes.map((n) => n.id)).toEqual(got.map((p) => p.id));
    expect(ke.totalCount).toBe(got.length);
    // isKnownError agrees with the definition on every problem.
    for (const p of await listAll(null)) expect(p.isKnownError, p.number).toBe(isKnown(p));
  });

  it('filters by service, and combines filters with AND', async () => {
    const got = await expectFilter({ serviceId: d.s1.id }, (p) => p.service?.id === d.s1.id, []);
    expect(ids(got)).toEqual(ids([d.p1, d.p2, d.p5]));
    const both = await listAll({ serviceId: d.s1.id, status: ['OPEN'] });
    expect(ids(both)).toEqual([d.p1.id]);
    expect(await listAll({ serviceId: d.s2.id, knownErrorOnly: true })).toEqual([expect.objectContaining({ id: d.p4.id })]);
  });

  it('filters by category, a category matching its subcategories too', async () => {
    expect(ids(await listAll({ categoryId: d.parent.id }))).toEqual(ids([d.p1, d.p2, d.p4]));
    expect(ids(await listAll({ categoryId: d.child.id }))).toEqual(ids([d.p2, d.p4]));
    expect(ids(await listAll({ categoryId: d.other.id }))).toEqual([d.p3.id]);
    expect(await listAll({ categoryId: randomUUID() })).toEqual([]);
  });

  it('filters by text in title, description and root cause, case-insensitively, with literal wildcards', async () => {
    expect(ids(await listAll({ text: token }))).toEqual(ids([d.p1, d.p2, d.p3, d.p7, d.p8]));
    expect(ids(await listAll({ text: `DISK FULL ON DB-7 ${token.toUpperCase()}` }))).toEqual([d.p1.id]);
    expect(ids(await listAll({ text: `replica LAG ${token}` }))).toEqual([d.p2.id]);
    expect(ids(await listAll({ text: `overlaps ${token}` }))).toEqual([d.p3.id]);
    expect(ids(await listAll({ text: `100% on web` }))).toEqual([d.p7.id]);
    expect(ids(await listAll({ text: `on web_` }))).toEqual([d.p8.id]);
    expect(await listAll({ text: `${token}-nothing` })).toEqual([]);
  });

  it('filters by problem number', async () => {
    expect(ids(await listAll({ text: 'PRB-00001' }))).toEqual([first.id]);
    expect(ids(await listAll({ text: 'prb-00001' }))).toEqual([first.id]);
    expect(ids(await listAll({ text: d.p4.number }))).toEqual([d.p4.id]);
  });

  it('pages newest first without gaps or duplicates, ties on createdAt broken by id', async () => {
    const service = await createService(t);
    const made: Problem[] = [];
    for (let i = 0; i < 23; i++) made.push(await createProblem(t, { serviceId: service.id }));
    // Three share one createdAt: the cursor must still tell them apart.
    const tie = made[5].createdAt;
    await t.sql(`update problems set created_at = $1 where id = any($2::uuid[])`, [tie, [made[9].id, made[14].id, made[20].id]]);
    const created = new Map(made.map((p) => [p.id, [9, 14, 20].includes(made.indexOf(p)) ? tie : p.createdAt]));
    const expected = [...made]
      .sort((a, b) => new Date(created.get(b.id)!).getTime() - new Date(created.get(a.id)!).getTime() || (a.id < b.id ? 1 : -1))
      .map((p) => p.id);
    for (const size of [1, 4, 7, 23, 100]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThan(30);
        const page = await list({ serviceId: service.id }, size, after);
        expect(page.totalCount).toBe(23);
        expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((n) => n.id));
        seen.push(...page.nodes.map((n) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        expect(page.nodes).toHaveLength(size);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
        after = page.pageInfo.endCursor;
      }
      expect(seen, `page size ${size}`).toEqual(expected);
    }
    // A cursor from the middle resumes right after its item.
    const all = await list({ serviceId: service.id }, 100);
    const resumed = await list({ serviceId: service.id }, 100, all.edges[10]!.cursor);
    expect(resumed.nodes.map((n) => n.id)).toEqual(expected.slice(11));
  });

  it('refuses a bad page size or cursor', async () => {
    expectError(await t.gql(LIST, { first: 101 }), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql(LIST, { first: -1 }), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql(LIST, { first: 5, after: 'not-a-cursor' }), 'BAD_USER_INPUT', 'after');
    expectError(
      await t.gql(LIST, { first: 5, after: Buffer.from(`${new Date().toISOString()}|nope`).toString('base64url') }),
      'BAD_USER_INPUT',
      'after',
    );
  });
});

// -------------------------------------------------------------------------------------------------

describe('status rules', () => {
  /** The moves the lifecycle allows: anything else is ILLEGAL_TRANSITION. */
  const MOVES: Record<string, string[]> = {
    OPEN: ['KNOWN_ERROR', 'CLOSED'],
    KNOWN_ERROR: ['FIX_IN_PROGRESS', 'RESOLVED', 'OPEN', 'CLOSED'],
    FIX_IN_PROGRESS: ['RESOLVED', 'KNOWN_ERROR'],
    RESOLVED: ['CLOSED', 'FIX_IN_PROGRESS'],
    CLOSED: ['OPEN'],
  };
  const PATH_TO: Record<string, string[]> = {
    OPEN: [],
    KNOWN_ERROR: ['KNOWN_ERROR'],
    FIX_IN_PROGRESS: ['KNOWN_ERROR', 'FIX_IN_PROGRESS'],
    RESOLVED: ['KNOWN_ERROR', 'RESOLVED'],
    CLOSED: ['KNOWN_ERROR', 'RESOLVED', 'CLOSED'],
  };
  /** A problem with every fact documented (root cause, category, fix), walked to `status`. */
  async function problemIn(status: string, overrides: Record<string, unknown> = {}) {
    const p = await createProblem(t, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CAPACITY', fixChangeRef: 'CHG4242', ...overrides });
    for (const to of PATH_TO[status]!) await transitionProblem(t, p.id, to);
    return getProblem(t, p.id);
  }

  it('OPEN -> KNOWN_ERROR is refused without a documented root cause (at least 10 characters), naming rootCause', async () => {
    const p = await createProblem(t, { rootCauseCategory: 'CHANGE' });
    const before = await knowledgeSnapshot(t);
    const e = expectError(await transitionProblemRaw(t, p.id, 'KNOWN_ERROR'), 'BAD_USER_INPUT', 'rootCause');
    expect(e.extensions?.reason).toBe('ROOT_CAUSE_REQUIRED');
    await updateProblem(t, p.id, { rootCause: '  123456789  ' }); // nine characters once trimmed
    const mid = await knowledgeSnapshot(t);
    expectError(await transitionProblemRaw(t, p.id, 'KNOWN_ERROR'), 'BAD_USER_INPUT', 'rootCause');
    expect(await knowledgeSnapshot(t)).toEqual(mid);
    expect(mid.counts.problem_events).toBe(before.counts.problem_events + 1); // only the edit
    await updateProblem(t, p.id, { rootCause: '1234567890' });
    const moved = await transitionProblem(t, p.id, 'KNOWN_ERROR', 'Root cause confirmed in the lab');
    expect(moved.status).toBe('KNOWN_ERROR');
    expect(moved.knownErrorAt).not.toBeNull();
    const ev = moved.timeline.at(-1)!;
    expect(ev).toMatchObject({
      kind: 'STATUS_CHANGED',
      before: { status: 'OPEN' },
      after: { status: 'KNOWN_ERROR' },
      data: { note: 'Root cause confirmed in the lab' },
    });
    expect(ev.summary).toContain('Root cause confirmed in the lab');
  });

  it('OPEN -> KNOWN_ERROR is refused while the root-cause category is UNKNOWN, naming rootCauseCategory', async () => {
    const p = await createProblem(t, { rootCause: ROOT_CAUSE });
    expect(p.rootCauseCategory).toBe('UNKNOWN');
    const before = await knowledgeSnapshot(t);
    const e = expectError(await transitionProblemRaw(t, p.id, 'KNOWN_ERROR'), 'BAD_USER_INPUT', 'rootCauseCategory');
    expect(e.extensions?.reason).toBe('ROOT_CAUSE_REQUIRED');
    expect(await knowledgeSnapshot(t)).toEqual(before);
    await updateProblem(t, p.id, { rootCauseCategory: 'THIRD_PARTY' });
    expect((await transitionProblem(t, p.id, 'KNOWN_ERROR')).status).toBe('KNOWN_ERROR');
  });

  it('RESOLVED is refused without the fixing change (fixChangeRef), and records resolvedAt once given', async () => {
    const p = await problemIn('KNOWN_ERROR', { fixChangeRef: null });
    await updateProblem(t, p.id, { fixChangeRef: '   ' });
    const before = await knowledgeSnapshot(t);
    const e = expectError(await transitionProblemRaw(t, p.id, 'RESOLVED'), 'BAD_USER_INPUT', 'fixChangeRef');
    expect(e.extensions?.reason).toBe('FIX_REQUIRED');
    expect(await knowledgeSnapshot(t)).toEqual(before);
    await updateProblem(t, p.id, { fixChangeRef: 'CHG9001' });
    const r = await transitionProblem(t, p.id, 'RESOLVED');
    expect(r).toMatchObject({ status: 'RESOLVED', fixChangeRef: 'CHG9001' });
    expect(r.resolvedAt).not.toBeNull();
    // FIX_IN_PROGRESS -> RESOLVED has the same rule.
    const q = await problemIn('FIX_IN_PROGRESS', { fixChangeRef: null });
    expectError(await transitionProblemRaw(t, q.id, 'RESOLVED'), 'BAD_USER_INPUT', 'fixChangeRef');
    expect((await getProblem(t, q.id)).status).toBe('FIX_IN_PROGRESS');
  });

  it('allows exactly the lifecycle moves; an illegal one is ILLEGAL_TRANSITION naming both statuses and writes nothing', async () => {
    const statuses = Object.keys(MOVES);
    for (const from of statuses) {
      for (const to of statuses) {
        const p = await problemIn(from);
        expect(p.status).toBe(from);
        if (MOVES[from]!.includes(to)) {
          const moved = await transitionProblem(t, p.id, to);
          expect(moved.status, `${from} -> ${to}`).toBe(to);
          expect(moved.timeline.at(-1), `${from} -> ${to}`).toMatchObject({
            kind: 'STATUS_CHANGED',
            before: { status: from },
            after: { status: to },
          });
          if (to === 'RESOLVED') expect(moved.resolvedAt).not.toBeNull();
          if (to === 'CLOSED') expect(moved.closedAt).not.toBeNull();
          if (to === 'OPEN') expect([moved.resolvedAt, moved.closedAt]).toEqual([null, null]);
          if (from === 'CLOSED' && to === 'OPEN') expect(moved.knownErrorAt).toBe(p.knownErrorAt);
        } else {
          const before = await knowledgeSnapshot(t);
          const e = expectError(await transitionProblemRaw(t, p.id, to), 'ILLEGAL_TRANSITION');
          expect(e.message, `${from} -> ${to}`).toContain(`from ${valueLabel(from)} to ${valueLabel(to)};`);
          expect(e.extensions).toMatchObject({ from, to });
          expect(await knowledgeSnapshot(t), `${from} -> ${to}`).toEqual(before);
        }
      }
    }
  }, 180_000);

  // A duplicate or non-issue is closed without ever getting a root cause.
  it('closes an OPEN problem that never had a root cause (e.g. a duplicate) and reopens it', async () => {
    const p = await createProblem(t);
    const closed = await transitionProblem(t, p.id, 'CLOSED', 'Duplicate of another problem');
    expect(closed).toMatchObject({ status: 'CLOSED', rootCause: null });
    expect((await transitionProblem(t, p.id, 'OPEN')).status).toBe('OPEN');
  });

  it('refuses an edit that takes the documented root cause away from a problem past OPEN', async () => {
    for (const status of ['KNOWN_ERROR', 'FIX_IN_PROGRESS', 'RESOLVED']) {
      const p = await problemIn(status);
      const before = await knowledgeSnapshot(t);
      expectError(
        await t.gql(`mutation($id: ID!) { updateProblem(id: $id, input: { rootCause: "" }) { id } }`, { id: p.id }),
        'BAD_USER_INPUT',
        'rootCause',
      );
      expectError(
        await t.gql(`mutation($id: ID!) { updateProblem(id: $id, input: { rootCause: null }) { id } }`, { id: p.id }),
        'BAD_USER_INPUT',
        'rootCause',
      );
      expectError(
        await t.gql(`mutation($id: ID!) { updateProblem(id: $id, input: { rootCause: "too short" }) { id } }`, { id: p.id }),
        'BAD_USER_INPUT',
        'rootCause',
      );
      expectError(
        await t.gql(`mutation($id: ID!) { updateProblem(id: $id, input: { rootCauseCategory: UNKNOWN, title: "renamed" }) { id } }`, {
          id: p.id,
        }),
        'BAD_USER_INPUT',
        'rootCauseCategory',
      );
      expect(await knowledgeSnapshot(t), status).toEqual(before);
      const after = await getProblem(t, p.id);
      expect(after).toMatchObject({ status, rootCause: ROOT_CAUSE, rootCauseCategory: 'CAPACITY' });
      expect(after.title).toBe(p.title);
      // A better root cause is fine.
      expect((await updateProblem(t, p.id, { rootCause: `${ROOT_CAUSE}, confirmed` })).rootCause).toBe(`${ROOT_CAUSE}, confirmed`);
    }
    // While OPEN, the root cause may be cleared.
    const open = await createProblem(t, { rootCause: ROOT_CAUSE });
    expect((await updateProblem(t, open.id, { rootCause: '' })).rootCause).toBeNull();
  });

  it('refuses an edit that takes the fixing change away from a RESOLVED problem', async () => {
    const p = await problemIn('RESOLVED');
    const before = await knowledgeSnapshot(t);
    expectError(
      await t.gql(`mutation($id: ID!) { updateProblem(id: $id, input: { fixChangeRef: "" }) { id } }`, { id: p.id }),
      'BAD_USER_INPUT',
      'fixChangeRef',
    );
    expect(await knowledgeSnapshot(t)).toEqual(before);
    expect((await getProblem(t, p.id)).fixChangeRef).toBe('CHG4242');
  });

  it('isKnownError follows status, root cause and the workaround status', async () => {
    const { problem, workaround } = await knownError(t);
    expect(problem.isKnownError).toBe(true);
    await setWorkaroundStatus(t, workaround.id, 'RETIRED');
    expect((await getProblem(t, problem.id)).isKnownError).toBe(false);
    await setWorkaroundStatus(t, workaround.id, 'ACTIVE');
    expect((await getProblem(t, problem.id)).isKnownError).toBe(true);
    expect((await transitionProblem(t, problem.id, 'FIX_IN_PROGRESS')).isKnownError).toBe(true);
    await updateProblem(t, problem.id, { fixChangeRef: 'CHG1' });
    expect((await transitionProblem(t, problem.id, 'RESOLVED')).isKnownError).toBe(false);
    // Unlinking the only active workaround ends it too.
    const k2 = await knownError(t);
    const unlinked = await run<{ timeline: { kind: string }[] }>(
      t,
      `mutation($p: ID!, $w: ID!) { unlinkWorkaroundFromProblem(problemId: $p, workaroundId: $w) { isKnownError workarounds { id }
        timeline { kind } } }`,
      { p: k2.problem.id, w: k2.workaround.id },
    );
    expect(unlinked).toMatchObject({ isKnownError: false, workarounds: [] });
    expect(kinds(unlinked.timeline).slice(-1)).toEqual(['WORKAROUND_UNLINKED']);
    const relinked = await run<{ timeline: { kind: string }[] }>(
      t,
      `mutation($p: ID!, $w: ID!) { linkWorkaroundToProblem(problemId: $p, workaroundId: $w) { isKnownError workarounds { id }
        timeline { kind } } }`,
      { p: k2.problem.id, w: k2.workaround.id },
    );
    expect(relinked).toMatchObject({ isKnownError: true, workarounds: [{ id: k2.workaround.id }] });
    expect(kinds(relinked.timeline).slice(-1)).toEqual(['WORKAROUND_LINKED']);
    // Linking it again is a no-op: no second row, no second event.
    const again = await run<{ timeline: { kind: string }[] }>(
      t,
      `mutation($p: ID!, $w: ID!) { linkWorkaroundToProblem(problemId: $p, workaroundId: $w) { timeline { kind } } }`,
      { p: k2.problem.id, w: k2.workaround.id },
    );
    expect(again.timeline).toHaveLength(relinked.timeline.length);
  });
});

// -------------------------------------------------------------------------------------------------

describe('links to incidents', () => {
  const problemTimeline = async (id: string) => (await getProblem(t, id)).timeline;

  it('linking writes PROBLEM_LINKED on the incident and INCIDENT_LINKED on the problem; linking again writes nothing', async () => {
    const p = await createProblem(t);
    const inc = await incidentIn(t, 'INVESTIGATING');
    const linked = await linkIncident(t, inc.id, p.id);
    expect(linked.problem).toEqual({ id: p.id, number: p.number });
    const it1 = linked.timeline.at(-1)!;
    expect(it1).toMatchObject({ kind: 'PROBLEM_LINKED', before: { problemId: null }, after: { problemId: p.id } });
    expect(it1.summary).toContain(p.number);
    const pt = await problemTimeline(p.id);
    expect(pt.at(-1)).toMatchObject({ kind: 'INCIDENT_LINKED', data: { incidentId: inc.id } });
    expect(pt.at(-1)!.summary).toContain(inc.number);
    const [row] = await t.sql(`select problem_id from incidents where id = $1`, [inc.id]);
    expect(row.problem_id).toBe(p.id);

    const before = await knowledgeSnapshot(t);
    const again = await linkIncident(t, inc.id, p.id);
    expect(again.problem!.id).toBe(p.id);
    expect(await knowledgeSnapshot(t)).toEqual(before);
    const counted = await getProblem(t, p.id);
    expect(counted.incidentCount).toBe(1);
  });

  it('moving an incident to another problem writes unlink and link on the incident and on both problems', async () => {
    const a = await createProblem(t);
    const b = await createProblem(t);
    const inc = await incidentIn(t, 'RESOLVED');
    await linkIncident(t, inc.id, a.id);
    const before = await knowledgeSnapshot(t);
    const moved = await linkIncident(t, inc.id, b.id);
    expect(moved.problem!.id).toBe(b.id);
    const tl = moved.timeline.slice(-2);
    expect(tl[0]).toMatchObject({ kind: 'PROBLEM_UNLINKED', before: { problemId: a.id }, after: { problemId: null } });
    expect(tl[1]).toMatchObject({ kind: 'PROBLEM_LINKED', before: { problemId: null }, after: { problemId: b.id } });
    expect((await problemTimeline(a.id)).map((e) => e.kind)).toEqual(['CREATED', 'INCIDENT_LINKED', 'INCIDENT_UNLINKED']);
    expect((await problemTimeline(a.id)).at(-1)!.data).toEqual({ incidentId: inc.id });
    expect((await problemTimeline(b.id)).map((e) => e.kind)).toEqual(['CREATED', 'INCIDENT_LINKED']);
    const after = await knowledgeSnapshot(t);
    expect(after.counts.incident_events - before.counts.incident_events).toBe(2);
    expect(after.counts.problem_events - before.counts.problem_events).toBe(2);
    expect((await getProblem(t, a.id)).incidentCount).toBe(0);
    expect((await getProblem(t, b.id)).incidentCount).toBe(1);

    // Unlinking writes both sides again; unlinking what is not linked is refused.
    const un = await run<{ problem: { id: string } | null; timeline: { kind: string; before: Json | null; after: Json | null }[] }>(
      t,
      `mutation($i: ID!) { unlinkIncidentFromProblem(incidentId: $i) { problem { id } timeline { kind before after } } }`,
      { i: inc.id },
    );
    expect(un.problem).toBeNull();
    expect(un.timeline.at(-1)).toMatchObject({ kind: 'PROBLEM_UNLINKED', before: { problemId: b.id } });
    expect((await problemTimeline(b.id)).at(-1)!.kind).toBe('INCIDENT_UNLINKED');
    const snap = await knowledgeSnapshot(t);
    expectError(
      await t.gql(`mutation($i: ID!) { unlinkIncidentFromProblem(incidentId: $i) { id } }`, { i: inc.id }),
      'BAD_USER_INPUT',
      'incidentId',
    );
    expect(await knowledgeSnapshot(t)).toEqual(snap);
  });

  it('links a CLOSED or REVIEWED incident (a review link) while its other edits stay refused', async () => {
    const p = await createProblem(t);
    for (const status of ['CLOSED', 'REVIEWED'] as const) {
      const inc = await incidentIn(t, status);
      const linked = await linkIncident(t, inc.id, p.id);
      expect(linked.status).toBe(status);
      expect(linked.problem!.id).toBe(p.id);
      expect(linked.timeline.at(-1)!.kind).toBe('PROBLEM_LINKED');
      const before = await knowledgeSnapshot(t);
      const e = expectError(
        await t.gql(`mutation($id: ID!) { updateIncident(id: $id, input: { title: "Renamed" }) { id } }`, { id: inc.id }),
        'INCIDENT_READ_ONLY',
      );
      expect(e.message).toContain(` is ${valueInSentence(status)}`);
      expectError(
        await t.gql(`mutation($id: ID!) { classifyIncident(id: $id, input: { impact: 1 }) { id } }`, { id: inc.id }),
        'INCIDENT_READ_ONLY',
      );
      expect(await knowledgeSnapshot(t)).toEqual(before);
    }
    expect((await getProblem(t, p.id)).incidentCount).toBe(2);
  });

  it('createProblem links the incidents it is given, with events on both sides, in the order they were written', async () => {
    const a = await incidentIn(t, 'NEW');
    const b = await incidentIn(t, 'CLOSED');
    const c = await incidentIn(t, 'RESOLVED');
    // Written in one transaction at one instant: the timeline must still read CREATED first, then
    // the links in input order (repeated, since a tie broken at random would pass now and then).
    for (let round = 0; round < 4; round++) {
      const order = round % 2 ? [c, a, b] : [a, b, c];
      const p = await createProblem(t, { incidentIds: [...order.map((i) => i.id), order[0]!.id] });
      expect(p.incidentCount).toBe(3);
      expect(kinds(p.timeline)).toEqual(['CREATED', 'INCIDENT_LINKED', 'INCIDENT_LINKED', 'INCIDENT_LINKED']);
      expect(p.timeline.slice(1).map((e) => e.data?.incidentId)).toEqual(order.map((i) => i.id));
      for (const i of order)
        expect((await getIncident(t, i.id)).timeline.at(-1)).toMatchObject({ kind: 'PROBLEM_LINKED', after: { problemId: p.id } });
    }
  });

  it('createProblemFromIncident works only from RESOLVED, CLOSED or REVIEWED incidents', async () => {
    for (const status of ['NEW', 'TRIAGED', 'INVESTIGATING'] as const) {
      const inc = await incidentIn(t, status);
      const before = await knowledgeSnapshot(t);
      const e = expectError(
        await t.gql(`mutation($i: ID!) { createProblemFromIncident(incidentId: $i, input: { title: "From an open incident" }) { id } }`, {
          i: inc.id,
        }),
        'BAD_USER_INPUT',
        'incidentId',
      );
      expect(e.message).toContain(` is ${valueInSentence(status)}`);
      expect(await knowledgeSnapshot(t), status).toEqual(before);
    }
  });

  it('createProblemFromIncident keeps the source incident, links it, and takes its service and category', async () => {
    const service = await createService(t);
    const category = await createCategory(t);
    for (const status of ['RESOLVED', 'CLOSED', 'REVIEWED'] as const) {
      const inc = await incidentIn(t, status);
      const p = await run<Problem & { recentIncidents: { id: string }[] }>(
        t,
        `mutation($i: ID!, $input: CreateProblemInput!) { createProblemFromIncident(incidentId: $i, input: $input) { ${PROBLEM_FIELDS}
          recentIncidents { id } } }`,
        { i: inc.id, input: { title: `From ${status}`, rootCause: ROOT_CAUSE } },
        as(owner),
      );
      expect(p).toMatchObject({
        title: `From ${status}`,
        status: 'OPEN',
        sourceIncident: { id: inc.id, number: inc.number },
        incidentCount: 1,
        recentIncidents: [{ id: inc.id }],
        rootCause: ROOT_CAUSE,
      });
      expect(kinds(p.timeline)).toEqual(['CREATED', 'INCIDENT_LINKED']);
      expect(p.timeline[0].summary).toContain(inc.number);
      const after = await getIncident(t, inc.id);
      expect(after.status).toBe(status);
      expect(after.problem!.id).toBe(p.id);
      expect(kinds(after.timeline).slice(-2)).toEqual(['PROBLEM_LINKED', 'KNOWLEDGE_CREATED']);
      expect(after.timeline.at(-1)).toMatchObject({ data: { problemId: p.id }, actorName: owner.name });
      // The event sequence stays gapless and unique.
      const seqs = after.timeline.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
    // Service and category come from the incident when the input names none.
    const inc = await incidentIn(t, 'NEW', { serviceId: service.id, categoryId: category.id });
    await transitionIncident(t, inc.id, { to: 'INVESTIGATING' });
    await transitionIncident(t, inc.id, { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX' });
    const p = await run(
      t,
      `mutation($i: ID!) { createProblemFromIncident(incidentId: $i, input: { title: "Inherits" }) { service { id } category { id } } }`,
      { i: inc.id },
    );
    expect(p).toEqual({ service: { id: service.id }, category: { id: category.id } });
  });

  it('createProblemFromIncident moves an incident that was linked to another problem', async () => {
    const old = await createProblem(t);
    const inc = await incidentIn(t, 'RESOLVED');
    await linkIncident(t, inc.id, old.id);
    const p = await run<{ id: string; sourceIncident: { id: string } | null }>(
      t,
      `mutation($i: ID!) { createProblemFromIncident(incidentId: $i, input: { title: "The real cause" }) { id sourceIncident { id } } }`,
      { i: inc.id },
    );
    expect(p.sourceIncident!.id).toBe(inc.id);
    const after = await getIncident(t, inc.id);
    expect(after.problem!.id).toBe(p.id);
    expect(kinds(after.timeline).slice(-3)).toEqual(['PROBLEM_UNLINKED', 'PROBLEM_LINKED', 'KNOWLEDGE_CREATED']);
    expect(kinds((await getProblem(t, old.id)).timeline).at(-1)).toBe('INCIDENT_UNLINKED');
  });
});

// -------------------------------------------------------------------------------------------------

describe('known errors on matching incidents', () => {
  type Match = { score: number; strength: string; reasons: string[]; problem: { id: string } };
  const d: Record<string, { id: string; name?: string }> = {};
  const kw = `kw${randomUUID().slice(0, 6)}`;
  const MATCH = `query($id: ID!) { incident(id: $id) { matchingKnownErrors { score strength reasons problem { id number isKnownError
    workarounds { id status } } } } }`;
  const matches = async (incidentId: string) =>
    (await run<{ matchingKnownErrors: Match[] }>(t, MATCH, { id: incidentId })).matchingKnownErrors;
  const byProblem = (ms: { reasons: string[]; problem: { id: string } }[]) => Object.fromEntries(ms.map((m) => [m.problem.id, m.reasons]));

  beforeAll(async () => {
    d.svc = await createService(t);
    d.otherSvc = await createService(t);
    d.parent = await createCategory(t);
    d.child = await createCategory(t, { parentId: d.parent.id });
    d.unrelated = await createCategory(t);
    d.keService = (await knownError(t, { serviceId: d.svc.id })).problem;
    d.keCategory = (await knownError(t, { categoryId: d.parent.id })).problem;
    d.keKeyword = (await knownError(t, { keywords: [`${kw}-OOMKilled`, `ERR_${kw}_RESET`] })).problem;
    d.keBoth = (await knownError(t, { serviceId: d.svc.id, keywords: [`disk ${kw} full`] })).problem;
    // Matching on every count but not a known error: an OPEN problem with an active workaround...
    d.open = await createProblem(t, {
      serviceId: d.svc.id,
      categoryId: d.parent.id,
      keywords: [`${kw}-oomkilled`],
      rootCause: ROOT_CAUSE,
      rootCauseCategory: 'CHANGE',
    });
    await createWorkaround(t, { status: 'ACTIVE', problemIds: [d.open.id] });
    // ...and a KNOWN_ERROR whose workaround was retired.
    const retired = await knownError(t, { serviceId: d.svc.id, categoryId: d.parent.id });
    await setWorkaroundStatus(t, retired.workaround.id, 'RETIRED');
    d.retired = retired.problem;
  });

  const full = (ms: Match[]) =>
    Object.fromEntries(ms.map((m) => [m.problem.id, { score: m.score, strength: m.strength, reasons: m.reasons }]));

  it('never offers a known error that shares only the service', async () => {
    const inc = await logIncident(t, { serviceId: d.svc.id, categoryId: d.unrelated.id, title: 'Nothing in common', description: '' });
    expect(await matches(inc.id)).toEqual([]);
  });

  it('finds the category alone too weak; with the service it is a possible match', async () => {
    for (const cat of [d.parent, d.child]) {
      const inc = await logIncident(t, { categoryId: cat.id, title: 'Nothing in common', description: '' });
      expect(await matches(inc.id), cat.name).toEqual([]);
    }
    const both = (await knownError(t, { serviceId: d.svc.id, categoryId: d.parent.id })).problem;
    const onParent = await logIncident(t, { serviceId: d.svc.id, categoryId: d.parent.id, title: 'Nothing in common', description: '' });
    expect(full(await matches(onParent.id))).toEqual({
      [both.id]: { score: 40, strength: 'POSSIBLE', reasons: [`same category: ${d.parent.name}`, `same service: ${d.svc.name}`] },
    });
    const onChild = await logIncident(t, { serviceId: d.svc.id, categoryId: d.child.id, title: 'Nothing in common', description: '' });
    expect(full(await matches(onChild.id))).toEqual({
      [both.id]: {
        score: 30,
        strength: 'POSSIBLE',
        reasons: [`category ${d.child.name} is under ${d.parent.name}`, `same service: ${d.svc.name}`],
      },
    });
    // A problem on the child category does not match an incident on the parent.
    const childKe = (await knownError(t, { serviceId: d.svc.id, categoryId: d.child.id })).problem;
    expect(Object.keys(full(await matches(onParent.id)))).not.toContain(childKe.id);
    await transitionProblem(t, childKe.id, 'OPEN');
    await transitionProblem(t, both.id, 'OPEN');
  });

  it('offers on a symptom keyword in the title or description, case-insensitively, with score and reasons', async () => {
    const inTitle = await logIncident(t, { title: `Pod ${kw}-OOMKILLED in checkout`, description: '' });
    expect(full(await matches(inTitle.id))).toEqual({
      [d.keKeyword.id]: { score: 35, strength: 'POSSIBLE', reasons: [`title mentions "${kw}-oomkilled"`] },
    });
    const inDescription = await logIncident(t, { title: 'Checkout fails', description: `Browser shows err_${kw}_reset after 30s` });
    expect(full(await matches(inDescription.id))).toEqual({
      [d.keKeyword.id]: { score: 30, strength: 'POSSIBLE', reasons: [`description mentions "err_${kw}_reset"`] },
    });
    const none = await logIncident(t, { title: 'Checkout fails', description: `${kw} but no keyword` });
    expect(await matches(none.id)).toEqual([]);
  });

  it('gives every reason that holds, best first', async () => {
    const inc = await logIncident(t, {
      serviceId: d.svc.id,
      categoryId: d.child.id,
      title: `Disk ${kw} full and ${kw}-oomkilled`,
      description: `also ERR_${kw}_RESET`,
    });
    const ms = (await run<{ matchingKnownErrors: Match[] }>(t, MATCH, { id: inc.id })).matchingKnownErrors;
    // The service-only and category-only known errors stay out; keywords carry the others.
    expect(full(ms)).toEqual({
      [d.keKeyword.id]: {
        score: 60, // 35 + 30, keywords capped at 60
        strength: 'STRONG',
        reasons: [`title mentions "${kw}-oomkilled"`, `description mentions "err_${kw}_reset"`],
      },
      [d.keBoth.id]: { score: 50, strength: 'POSSIBLE', reasons: [`title mentions "disk ${kw} full"`, `same service: ${d.svc.name}`] },
    });
    expect(ms.map((m) => m.problem.id)).toEqual([d.keKeyword.id, d.keBoth.id]);
  });

  it('drops a problem that stops being a known error, and lists known errors', async () => {
    const inc = await logIncident(t, { serviceId: d.svc.id, title: `Disk ${kw} full, ${kw}-oomkilled`, description: '' });
    const ke = await run<Page<{ id: string; isKnownError: boolean }>>(t, `query { knownErrors(first: 100) { nodes { id isKnownError } } }`);
    const listed = ke.nodes.map((n) => n.id);
    for (const p of [d.keService, d.keCategory, d.keKeyword, d.keBoth]) expect(listed).toContain(p.id);
    for (const p of [d.open, d.retired]) expect(listed).not.toContain(p.id);
    expect(ke.nodes.every((n) => n.isKnownError)).toBe(true);

    expect(Object.keys(byProblem(await matches(inc.id))).sort()).toEqual([d.keKeyword.id, d.keBoth.id].sort());
    const w = (await getProblem(t, d.keBoth.id)).workarounds[0];
    await setWorkaroundStatus(t, w.id, 'RETIRED');
    expect(Object.keys(byProblem(await matches(inc.id)))).toEqual([d.keKeyword.id]);
    await setWorkaroundStatus(t, w.id, 'ACTIVE');
    expect(Object.keys(byProblem(await matches(inc.id))).sort()).toEqual([d.keKeyword.id, d.keBoth.id].sort());
    // The open problem becomes a known error once moved.
    await transitionProblem(t, d.open.id, 'KNOWN_ERROR');
    expect(byProblem(await matches(inc.id))[d.open.id]).toEqual([`title mentions "${kw}-oomkilled"`, `same service: ${d.svc.name}`]);
    await transitionProblem(t, d.open.id, 'OPEN');
    expect(byProblem(await matches(inc.id))[d.open.id]).toBeUndefined();
  });
});

// -------------------------------------------------------------------------------------------------

describe('traversal', () => {
  it('incident -> problem -> workarounds -> problems and incidents, and back', async () => {
    const { problem: p, workaround: w } = await knownError(t);
    const other = await createProblem(t);
    await run(t, `mutation($p: ID!, $w: ID!) { linkWorkaroundToProblem(problemId: $p, workaroundId: $w) { id } }`, {
      p: other.id,
      w: w.id,
    });
    const a = await incidentIn(t, 'INVESTIGATING');
    const b = await incidentIn(t, 'RESOLVED');
    const c = await incidentIn(t, 'CLOSED');
    for (const i of [a, b, c]) await linkIncident(t, i.id, p.id);
    await applyWorkaround(t, a.id, w.id);
    const d = await run<Traversal>(
      t,
      `query($id: ID!) { incident(id: $id) {
        id problem { id incidentCount
          incidents(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { id problem { id } } }
          workarounds { id
            problems { id number incidents(first: 10) { nodes { id } } }
            effectiveness { timesApplied incidents }
          }
        }
        workaroundApplications { workaround { id problems { id } } incident { id } }
      } }`,
      { id: a.id },
    );
    const dp = d.problem!;
    expect(dp.id).toBe(p.id);
    expect(dp.incidentCount).toBe(3);
    expect(dp.incidents.totalCount).toBe(3);
    expect(dp.incidents.nodes).toHaveLength(2);
    expect(dp.incidents.pageInfo.hasNextPage).toBe(true);
    expect(dp.incidents.nodes.every((n) => n.problem!.id === p.id)).toBe(true);
    const rest = await run<{ incidents: Page<{ id: string }> }>(
      t,
      `query($id: ID!, $after: String) { problem(id: $id) { incidents(first: 2, after: $after) { pageInfo { hasNextPage }
        nodes { id } } } }`,
      { id: p.id, after: dp.incidents.pageInfo.endCursor },
    );
    expect(rest.incidents.pageInfo.hasNextPage).toBe(false);
    expect([...dp.incidents.nodes, ...rest.incidents.nodes].map((n) => n.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(dp.workarounds).toHaveLength(1);
    const wv = dp.workarounds[0]!;
    expect(wv.id).toBe(w.id);
    expect(ids(wv.problems)).toEqual(ids([p, other]));
    expect(
      wv.problems
        .find((x) => x.id === p.id)!
        .incidents.nodes.map((n) => n.id)
        .sort(),
    ).toEqual([a.id, b.id, c.id].sort());
    expect(wv.problems.find((x) => x.id === other.id)!.incidents.nodes).toEqual([]);
    expect(wv.effectiveness).toEqual({ timesApplied: 1, incidents: 1 });
    expect(d.workaroundApplications).toEqual([
      { workaround: { id: w.id, problems: expect.arrayContaining([{ id: p.id }, { id: other.id }]) }, incident: { id: a.id } },
    ]);

    // And from the workaround back to the incidents and their problem.
    const back = await run<{
      problems: { id: string; recentIncidents: { id: string; problem: { id: string; workarounds: { id: string }[] } | null }[] }[];
    }>(
      t,
      `query($id: ID!) { workaround(id: $id) { problems { id recentIncidents(first: 2) { id problem { id workarounds { id } } } } } }`,
      { id: w.id },
    );
    const mine = back.problems.find((x) => x.id === p.id)!;
    expect(mine.recentIncidents).toHaveLength(2);
    for (const i of mine.recentIncidents) expect(i.problem).toEqual({ id: p.id, workarounds: [{ id: w.id }] });
  });
});

// -------------------------------------------------------------------------------------------------

describe('SQL statements per problems page', () => {
  it('is the same for 3 and 30 problems with service, category, owner, incidents, workarounds and timeline', async () => {
    const service = await createService(t);
    const parent = await createCategory(t);
    const category = await createCategory(t, { parentId: parent.id });
    const incSvc = await createService(t);
    for (let i = 0; i < 30; i++) {
      const incidents = [];
      for (let j = 0; j < 4; j++) incidents.push((await logIncident(t, { serviceId: incSvc.id })).id);
      const p = await createProblem(t, {
        serviceId: service.id,
        categoryId: i % 2 ? category.id : parent.id,
        ownerId: owner.id,
        incidentIds: incidents,
        rootCause: ROOT_CAUSE,
        rootCauseCategory: 'HARDWARE',
      });
      const w = await createWorkaround(t, { status: 'ACTIVE', problemIds: [p.id] });
      if (i % 3 === 0) await transitionProblem(t, p.id, 'KNOWN_ERROR');
      if (i % 5 === 0) await applyWorkaround(t, incidents[0]!, w.id);
      if (i % 7 === 0) await createWorkaround(t, { status: 'DRAFT', problemIds: [p.id] });
    }
    const query = `query($f: ProblemFilter, $n: Int!, $after: String) { problems(filter: $f, first: $n, after:
      $after) { pageInfo { endCursor } nodes {
      service { name } category { name parent { name } } owner { name } incidentCount
      recentIncidents(first: 3) { number service { name } }
      workarounds { title effectiveness { timesApplied } }
      isKnownError timeline { kind }
    } } }`;
    const statements: Record<string, number> = {};
    let cursor: string | null = null;
    for (const [label, n, after] of [
      ['30', 30, false],
      ['3', 3, false],
      ['3 after a cursor', 3, true],
    ] as const) {
      const r: GqlResult<{ problems: Page<ListedProblem> }> = await t.gql(query, {
        f: { serviceId: service.id },
        n,
        after: after ? cursor : null,
      });
      const data = ok(r);
      const nodes = data.problems.nodes;
      cursor = data.problems.pageInfo.endCursor;
      expect(nodes).toHaveLength(n);
      for (const p of nodes) {
        expect(p.service!.name).toBe(service.name);
        expect(p.owner!.name).toBe(owner.name);
        expect(p.incidentCount).toBe(4);
        expect(p.recentIncidents).toHaveLength(3);
        expect(p.recentIncidents.every((i) => i.service!.name === incSvc.name)).toBe(true);
        expect(p.workarounds.length).toBeGreaterThanOrEqual(1);
        expect(p.timeline.length).toBeGreaterThanOrEqual(6);
      }
      if (n === 30) {
        expect(nodes.filter((p) => p.isKnownError)).toHaveLength(10);
        expect(nodes.filter((p) => p.workarounds.some((w) => w.effectiveness.timesApplied === 1))).toHaveLength(6);
        expect(nodes.filter((p) => p.category!.parent?.name === parent.name)).toHaveLength(15);
      }
      statements[label] = r.extensions?.sqlStatements ?? NaN;
    }
    console.log(`[n+1] SQL statements per problems page: ${JSON.stringify(statements)}`);
    expect(statements['3']).toBeGreaterThan(0);
    expect(statements['30']).toBe(statements['3']);
    expect(statements['3 after a cursor']).toBe(statements['3']);
    expect(statements['3']).toBeLessThanOrEqual(14);
  }, 240_000); // builds 30 problems with 120 incidents
});

// -------------------------------------------------------------------------------------------------

describe('bad input is refused and nothing is half-written', () => {
  const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { id } }`;
  const UPDATE = `mutation($id: ID!, $input: UpdateProblemInput!) { updateProblem(id: $id, input: $input) { id } }`;
  const long = (n: number) => 'x'.repeat(n);
  let p: Problem;
  let inc: { id: string };
  let w: Workaround;
  beforeAll(async () => {
    p = await createProblem(t);
    inc = await incidentIn(t, 'INVESTIGATING');
    w = await createWorkaround(t, { status: 'ACTIVE' });
  });

  const cases: { name: string; code: string; field: string; call: () => Promise<GqlResult> }[] = [
    {
      name: 'unknown service',
      code: 'NOT_FOUND',
      field: 'serviceId',
      call: () => t.gql(CREATE, { input: { title: 'x', serviceId: randomUUID() } }),
    },
    {
      name: 'unknown category',
      code: 'NOT_FOUND',
      field: 'categoryId',
      call: () => t.gql(CREATE, { input: { title: 'x', categoryId: randomUUID() } }),
    },
    {
      name: 'unknown owner',
      code: 'NOT_FOUND',
      field: 'ownerId',
      call: () => t.gql(CREATE, { input: { title: 'x', ownerId: randomUUID() } }),
    },
    // The first incident would be linked before the second is found missing: all of it must roll back.
    {
      name: 'one unknown incident among known ones',
      code: 'NOT_FOUND',
      field: 'incidentIds',
      call: () => t.gql(CREATE, { input: { title: 'x', incidentIds: [inc.id, randomUUID()] } }),
    },
    {
      name: 'malformed incident id',
      code: 'BAD_USER_INPUT',
      field: 'incidentIds',
      call: () => t.gql(CREATE, { input: { title: 'x', incidentIds: ['not-a-uuid'] } }),
    },
    {
      name: 'malformed service id',
      code: 'BAD_USER_INPUT',
      field: 'serviceId',
      call: () => t.gql(CREATE, { input: { title: 'x', serviceId: 'svc-1' } }),
    },
    { name: 'blank title', code: 'BAD_USER_INPUT', field: 'title', call: () => t.gql(CREATE, { input: { title: '   ' } }) },
    { name: 'empty title', code: 'BAD_USER_INPUT', field: 'title', call: () => t.gql(CREATE, { input: { title: '' } }) },
    { name: 'title of 201 characters', code: 'BAD_USER_INPUT', field: 'title', call: () => t.gql(CREATE, { input: { title: long(201) } }) },
    {
      name: 'oversized description',
      code: 'BAD_USER_INPUT',
      field: 'description',
      call: () => t.gql(CREATE, { input: { title: 'x', description: long(20_001) } }),
    },
    {
      name: 'oversized root cause',
      code: 'BAD_USER_INPUT',
      field: 'rootCause',
      call: () => t.gql(CREATE, { input: { title: 'x', rootCause: long(20_001) } }),
    },
    {
      name: 'oversized fixChangeRef',
      code: 'BAD_USER_INPUT',
      field: 'fixChangeRef',
      call: () => t.gql(CREATE, { input: { title: 'x', fixChangeRef: long(121) } }),
    },
    {
      name: '31 keywords',
      code: 'BAD_USER_INPUT',
      field: 'keywords',
      call: () => t.gql(CREATE, { input: { title: 'x', keywords: Array.from({ length: 31 }, (_, i) => `kw${i}`) } }),
    },
    {
      name: 'empty keyword',
      code: 'BAD_USER_INPUT',
      field: 'keywords',
      call: () => t.gql(CREATE, { input: { title: 'x', keywords: ['ok', ''] } }),
    },
    {
      name: 'keyword of 61 characters',
      code: 'BAD_USER_INPUT',
      field: 'keywords',
      call: () => t.gql(CREATE, { input: { title: 'x', keywords: [long(61)] } }),
    },
    {
      name: 'unknown root-cause category',
      code: 'BAD_USER_INPUT',
      field: '',
      call: () => t.gql(CREATE, { input: { title: 'x', rootCauseCategory: 'GREMLINS' } }),
    },
    {
      name: 'update: unknown problem',
      code: 'NOT_FOUND',
      field: 'id',
      call: () => t.gql(UPDATE, { id: randomUUID(), input: { title: 'y' } }),
    },
    {
      name: 'update: malformed id',
      code: 'BAD_USER_INPUT',
      field: 'id',
      call: () => t.gql(UPDATE, { id: 'PRB-00001', input: { title: 'y' } }),
    },
    {
      name: 'update: blank title',
      code: 'BAD_USER_INPUT',
      field: 'title',
      call: () => t.gql(UPDATE, { id: p.id, input: { title: '   ' } }),
    },
    {
      name: 'update: a tab in the title',
      code: 'BAD_USER_INPUT',
      field: 'input.title',
      call: () => t.gql(UPDATE, { id: p.id, input: { title: ' \t ' } }),
    },
    {
      name: 'update: unknown owner',
      code: 'NOT_FOUND',
      field: 'ownerId',
      call: () => t.gql(UPDATE, { id: p.id, input: { title: 'renamed', ownerId: randomUUID() } }),
    },
    {
      name: 'update: 31 keywords',
      code: 'BAD_USER_INPUT',
      field: 'keywords',
      call: () => t.gql(UPDATE, { id: p.id, input: { keywords: Array.from({ length: 31 }, (_, i) => `kw${i}`) } }),
    },
    {
      name: 'update: oversized analysis notes',
      code: 'BAD_USER_INPUT',
      field: 'analysisNotes',
      call: () => t.gql(UPDATE, { id: p.id, input: { analysisNotes: long(20_001) } }),
    },
    {
      name: 'transition: unknown problem',
      code: 'NOT_FOUND',
      field: 'id',
      call: () => t.gql(`mutation($id: ID!) { transitionProblem(id: $id, to: CLOSED) { id } }`, { id: randomUUID() }),
    },
    {
      name: 'transition: oversized note',
      code: 'BAD_USER_INPUT',
      field: 'note',
      call: () =>
        t.gql(`mutation($id: ID!, $n: String) { transitionProblem(id: $id, to: CLOSED, note: $n) { id } }`, { id: p.id, n: long(20_001) }),
    },
    { name: 'link: unknown incident', code: 'NOT_FOUND', field: 'incidentId', call: () => linkIncidentRaw(t, randomUUID(), p.id) },
    { name: 'link: unknown problem', code: 'NOT_FOUND', field: 'problemId', call: () => linkIncidentRaw(t, inc.id, randomUUID()) },
    { name: 'link: malformed problem id', code: 'BAD_USER_INPUT', field: 'problemId', call: () => linkIncidentRaw(t, inc.id, '12') },
    {
      name: 'unlink: unknown incident',
      code: 'NOT_FOUND',
      field: 'incidentId',
      call: () => t.gql(`mutation($i: ID!) { unlinkIncidentFromProblem(incidentId: $i) { id } }`, { i: randomUUID() }),
    },
    {
      name: 'from incident: unknown incident',
      code: 'NOT_FOUND',
      field: 'incidentId',
      call: () =>
        t.gql(`mutation($i: ID!) { createProblemFromIncident(incidentId: $i, input: { title: "x" }) { id } }`, { i: randomUUID() }),
    },
    {
      name: 'from incident: malformed id',
      code: 'BAD_USER_INPUT',
      field: 'incidentId',
      call: () =>
        t.gql(`mutation($i: ID!) { createProblemFromIncident(incidentId: $i, input: { title: "x" }) { id } }`, { i: 'INC-000001' }),
    },
    {
      name: 'link workaround: unknown workaround',
      code: 'NOT_FOUND',
      field: 'workaroundId',
      call: () =>
        t.gql(`mutation($p: ID!, $w: ID!) { linkWorkaroundToProblem(problemId: $p, workaroundId: $w) { id } }`, {
          p: p.id,
          w: randomUUID(),
        }),
    },
    {
      name: 'link workaround: unknown problem',
      code: 'NOT_FOUND',
      field: 'problemId',
      call: () =>
        t.gql(`mutation($p: ID!, $w: ID!) { linkWorkaroundToProblem(problemId: $p, workaroundId: $w) { id } }`, {
          p: randomUUID(),
          w: w.id,
        }),
    },
    {
      name: 'unlink workaround: not linked',
      code: 'BAD_USER_INPUT',
      field: 'workaroundId',
      call: () =>
        t.gql(`mutation($p: ID!, $w: ID!) { unlinkWorkaroundFromProblem(problemId: $p, workaroundId: $w) { id } }`, { p: p.id, w: w.id }),
    },
    {
      name: 'query: malformed problem id',
      code: 'BAD_USER_INPUT',
      field: 'id',
      call: () => t.gql(`query($id: ID!) { problem(id: $id) { id } }`, { id: 'x' }),
    },
    {
      name: 'filter: malformed service id',
      code: 'BAD_USER_INPUT',
      field: 'serviceId',
      call: () => t.gql(`query { problems(filter: { serviceId: "x" }) { totalCount } }`),
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.code}${c.field ? ` on ${c.field}` : ''}`, async () => {
      const before = await knowledgeSnapshot(t);
      const r = await c.call();
      if (c.field === '') {
        // A value outside an enum is refused by GraphQL itself, before any resolver runs.
        expect(r.errors?.length, JSON.stringify(r.errors)).toBe(1);
        expect(r.errors![0]!.extensions?.code).toBe(c.code);
        expect(r.errors![0]!.message).toContain('GREMLINS');
      } else {
        const e = expectError(r, c.code, c.field);
        expect(e.message.length).toBeLessThan(600);
      }
      expect(await knowledgeSnapshot(t)).toEqual(before);
    });
  }

  it('the known problem and incident were left as they were', async () => {
    const again = await getProblem(t, p.id);
    expect(again.title).toBe(p.title);
    expect(again.timeline).toHaveLength(1);
    expect((await getIncident(t, inc.id)).problem).toBeNull();
  });
});
