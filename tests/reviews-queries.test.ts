import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, createUser } from './support/factories';
import {
  addActionItem,
  addFactor,
  call,
  clock,
  createProblem,
  createReview,
  fillAllSections,
  realClock,
  simpleIncident,
  transitionReview,
} from './support/review-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * "Reviews of priority 1-2 or major incidents are expected: a query lists such incidents
 * that still lack a published review, with days since resolution"; and the review list reads
 * incidents, services, people, action items and factors in a constant number of statements.
 */

let t: TestApp;
let owner: { id: string; name: string };

beforeAll(async () => {
  t = await startTestApp();
  // Fixed times from the first request on (the clock only moves forward; see clock()): "today" is
  // 15 June 2026, 12:00 UTC.
  clock('2026-06-15T12:00:00Z');
  owner = await createUser(t, { name: 'Priya Shah' });
});

afterAll(async () => {
  realClock();
  await t?.close();
});

const AWAITING = `query { incidentsAwaitingReview(first: 200) { daysSinceResolution incident { id number priority major status
  resolvedAt } } }`;
type Awaiting = {
  daysSinceResolution: number;
  incident: { id: string; number: string; priority: number; major: boolean; status: string; resolvedAt: string | null };
};

describe('incidentsAwaitingReview', () => {
  let p1: { id: string }, p2: { id: string }, majorP3: { id: string }, p3: { id: string }, openP1: { id: string }, reopened: { id: string };
  let mine: Set<string>;

  async function awaiting() {
    const list = (await call<Awaiting[]>(t, AWAITING)).filter((x) => mine.has(x.incident.id));
    return list.map((x) => [x.incident.id, x.daysSinceResolution]);
  }

  beforeAll(async () => {
    p1 = await simpleIncident(
      t,
      { title: 'P1 resolved 5 days ago', impact: 1, urgency: 1, openedAt: '2026-06-09T22:00:00Z' },
      { resolvedAt: '2026-06-10T09:00:00Z' },
    );
    majorP3 = await simpleIncident(
      t,
      { title: 'Major P3 resolved 3.5 days ago', impact: 2, urgency: 2, major: true, openedAt: '2026-06-11T10:00:00Z' },
      { resolvedAt: '2026-06-12T00:00:00Z', close: true, closedAt: '2026-06-13T00:00:00Z' },
    );
    p2 = await simpleIncident(
      t,
      { title: 'P2 resolved 18 hours ago', impact: 1, urgency: 2, openedAt: '2026-06-14T15:00:00Z' },
      { resolvedAt: '2026-06-14T18:00:00Z' },
    );
    p3 = await simpleIncident(
      t,
      { title: 'P3 resolved long ago', impact: 2, urgency: 2, openedAt: '2026-05-01T10:00:00Z' },
      { resolvedAt: '2026-05-01T12:00:00Z' },
    );
    openP1 = await simpleIncident(t, { title: 'P1 still open', impact: 1, urgency: 1, openedAt: '2026-06-15T08:00:00Z' });
    reopened = await simpleIncident(
      t,
      { title: 'P1 reopened', impact: 1, urgency: 1, openedAt: '2026-06-01T08:00:00Z' },
      { resolvedAt: '2026-06-02T08:00:00Z' },
    );
    await call(t, `mutation($id: ID!) { reopenIncident(id: $id, reason: "Errors are back") { id } }`, { id: reopened.id });
    mine = new Set([p1, majorP3, p2, p3, openP1, reopened].map((x) => x.id));
  });

  it('lists resolved P1-2 and major incidents with no published review, longest waiting first, with whole days since then', async () => {
    expect(await awaiting()).toEqual([
      [p1.id, 5],
      [majorP3.id, 3],
      [p2.id, 0],
    ]);
    const all = await call<Awaiting[]>(t, AWAITING);
    const byId = new Map(all.map((x) => [x.incident.id, x.incident]));
    expect(byId.get(p1.id)).toMatchObject({ priority: 1, major: false, status: 'RESOLVED', resolvedAt: '2026-06-10T09:00:00.000Z' });
    expect(byId.get(majorP3.id)).toMatchObject({ priority: 3, major: true, status: 'CLOSED' });
    expect(byId.get(p2.id)).toMatchObject({ priority: 2 });
    // Neither a P3 that is not major, nor an unresolved or reopened P1.
    for (const x of [p3, openP1, reopened]) expect(byId.has(x.id)).toBe(false);
  });

  it('keeps listing incidents whose review is not yet published, and drops them once it is; days go on counting', async () => {
    clock('2026-06-17T08:59:00Z');
    const waiting = [
      [p1.id, 6],
      [majorP3.id, 5],
      [p2.id, 2],
    ];
    expect(await awaiting()).toEqual(waiting);
    const problem = await createProblem(t);
    const review = await createReview(t, { title: 'Two high-priority incidents', incidentIds: [p1.id, p2.id] });
    expect(await awaiting()).toEqual(waiting);
    await fillAllSections(t, review.id, { ownerId: owner.id, problemId: problem.id, dueDate: '2026-07-01' });
    await transitionReview(t, review.id, 'IN_REVIEW');
    expect(await awaiting()).toEqual(waiting);

    await transitionReview(t, review.id, 'PUBLISHED');
    expect(await awaiting()).toEqual([[majorP3.id, 5]]);

    // A review that is taken back to DRAFT no longer counts as published.
    await transitionReview(t, review.id, 'DRAFT', 'Root cause was wrong');
    expect(await awaiting()).toEqual(waiting);
    await transitionReview(t, review.id, 'PUBLISHED');

    // A published review of the major incident completes the list; it became REVIEWED.
    const second = await createReview(t, { title: 'Major incident', incidentIds: [majorP3.id] });
    await fillAllSections(t, second.id, { ownerId: owner.id, problemId: problem.id, dueDate: '2026-07-01' });
    await transitionReview(t, second.id, 'PUBLISHED');
    expect(await awaiting()).toEqual([]);
    const inc = await call<{ status: string }>(t, `query($id: ID!) { incident(id: $id) { status } }`, { id: majorP3.id });
    expect(inc.status).toBe('REVIEWED');
    realClock();
  });

  it('counts every incident awaiting review, beyond the 8 the overview lists: one definition for list and count', async () => {
    const before = await call<number>(t, `{ incidentsAwaitingReviewCount }`);
    for (let k = 0; k < 10; k++)
      await simpleIncident(
        t,
        { title: `P1 number ${k} awaiting review`, impact: 1, urgency: 1, openedAt: '2026-06-16T08:00:00Z' },
        { resolvedAt: '2026-06-16T09:00:00Z' },
      );
    const count = await call<number>(t, `{ incidentsAwaitingReviewCount }`);
    expect(count).toBe(before + 10);
    expect(count).toBe((await call<Awaiting[]>(t, AWAITING)).length);
    const eight = await call<Awaiting[]>(t, `query { incidentsAwaitingReview(first: 8) { daysSinceResolution } }`);
    expect(eight).toHaveLength(8);
    expect(count).toBeGreaterThan(8);
  });

  it('refuses a page size out of range', async () => {
    for (const first of [0, 201]) {
      const r = await t.gql(`query($f: Int!) { incidentsAwaitingReview(first: $f) { daysSinceResolution } }`, { f: first });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
  });
});

describe('review list', () => {
  const LIST = `query($first: Int!) {
    reviews(first: $first) {
      totalCount
      nodes {
        number
        incidents { number service { name } }
        facilitator { name }
        actionItems { owner { name } overdue problem { number } }
        contributingFactors { category { name } }
      }
    }
  }`;
  const CATEGORIES = ['CHANGE', 'MONITORING_GAP', 'CAPACITY', 'DEPENDENCY', 'PROCESS', 'KNOWLEDGE', 'TESTING', 'COMMUNICATION'];

  beforeAll(async () => {
    // Twelve reviews, each with its own facilitator, two incidents on two services, two action items
    // with different owners and problems, and two factors of different categories.
    for (let i = 0; i < 12; i++) {
      const facilitator = await createUser(t, { name: `Facilitator ${i}` });
      const owners = [await createUser(t, { name: `Owner ${i}a` }), await createUser(t, { name: `Owner ${i}b` })];
      const problems = [await createProblem(t, { title: `Problem ${i}a` }), await createProblem(t, { title: `Problem ${i}b` })];
      const incidents = [];
      for (const k of ['a', 'b']) {
        const service = await createService(t, { name: `Service ${i}${k}` });
        incidents.push(
          await simpleIncident(
            t,
            { title: `Incident ${i}${k}`, serviceId: service.id, impact: 1, urgency: 1, openedAt: '2026-01-01T10:00:00Z' },
            { resolve: true },
          ),
        );
      }
      const review = await createReview(t, {
        title: `Review ${i}`,
        incidentIds: incidents.map((x) => x.id),
        facilitatorId: facilitator.id,
      });
      for (const k of [0, 1]) {
        await addActionItem(t, review.id, {
          title: `Action ${i}${k}`,
          ownerId: owners[k]!.id,
          problemId: problems[k]!.id,
          // Due today: overdue from tomorrow on (a due date may not be set in the past).
          dueDate: k ? '2099-01-01' : new Date().toISOString().slice(0, 10),
        });
        await addFactor(t, review.id, { categoryKey: CATEGORIES[(i + k) % CATEGORIES.length], description: `Factor ${i}${k}` });
      }
    }
    clock(new Date(Date.now() + 86_400_000).toISOString());
  });

  /** LIST's review. */
  interface Listed {
    number: string;
    incidents: { number: string; service: { name: string } | null }[];
    facilitator: { name: string } | null;
    actionItems: { owner: { name: string }; overdue: boolean; problem: { number: string } | null }[];
    contributingFactors: { category: { name: string } }[];
  }

  async function list(first: number) {
    const r = await t.gql<{ reviews: { totalCount: number; nodes: Listed[] } }>(LIST, { first });
    const data = ok(r);
    return { statements: r.extensions?.sqlStatements, nodes: data.reviews.nodes, total: data.reviews.totalCount };
  }

  it('reads the same number of SQL statements for 2 and for 10 reviews (no N+1)', async () => {
    const two = await list(2);
    const ten = await list(10);
    expect(two.nodes).toHaveLength(2);
    expect(ten.nodes).toHaveLength(10);
    expect(typeof two.statements).toBe('number');
    expect(ten.statements).toBe(two.statements);
    // And everything asked for is there.
    for (const n of ten.nodes) {
      const i = Number(n.facilitator!.name.split(' ')[1]);
      expect(n.incidents.map((x) => x.service!.name).sort()).toEqual([`Service ${i}a`, `Service ${i}b`]);
      expect(n.actionItems.map((x) => x.owner.name).sort()).toEqual([`Owner ${i}a`, `Owner ${i}b`]);
      expect(n.actionItems.every((x) => /^PRB-\d{5}$/.test(x.problem!.number))).toBe(true);
      expect(n.actionItems.map((x) => x.overdue).sort()).toEqual([false, true]);
      expect(n.contributingFactors).toHaveLength(2);
      expect(n.contributingFactors.every((x) => typeof x.category.name === 'string')).toBe(true);
    }
    // Newest first.
    expect(ten.nodes.map((n) => n.facilitator!.name)).toEqual(Array.from({ length: 10 }, (_, k) => `Facilitator ${11 - k}`));
    expect((await list(5)).statements).toBe(two.statements);
  });
});
