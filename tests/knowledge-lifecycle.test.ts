import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migration20261212300000_knowledge_lifecycle } from '../apps/api/src/migrations/Migration20261212300000_knowledge_lifecycle';
import { createCategory, createService, createTeam, createUser } from './support/factories';
import {
  applyWorkaround,
  createProblem,
  createWorkaround,
  expectError,
  incidentIn,
  knownError,
  run,
  setWorkaroundStatus,
  transitionIncident,
  transitionProblem,
  updateProblem,
  ROOT_CAUSE,
} from './support/knowledge-factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Knowledge lifecycle (issue 27 part 1): the mapping of existing statuses (triggers and the
 * migration's backfill), moves through the API with the item's own status kept in step, stale
 * reasons and their clearing by a review, and hostile input.
 */

let t: TestApp;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

export const ITEM_FIELDS = `kind itemId title state reviewBy reviewedAt stateChangedAt stale staleReasons attention moves href
  owner { id name } service { id } category { id } team { id }`;

interface Item {
  kind: string;
  itemId: string;
  title: string;
  state: string;
  reviewBy: string | null;
  reviewedAt: string | null;
  stale: boolean;
  staleReasons: string[];
  attention: string[];
  moves: string[];
  owner: { id: string; name: string } | null;
  service: { id: string } | null;
  category: { id: string } | null;
}

const item = (kind: string, itemId: string) =>
  run<Item | null>(t, `query($k: KnowledgeKind!, $id: ID!) { knowledgeItem(kind: $k, itemId: $id) { ${ITEM_FIELDS} } }`, {
    k: kind,
    id: itemId,
  });
const move = (kind: string, itemId: string, to: string) =>
  t.gql<{ transitionKnowledge: Item }>(
    `mutation($input: TransitionKnowledgeInput!) { transitionKnowledge(input: $input) { ${ITEM_FIELDS} } }`,
    { input: { kind, itemId, to } },
  );
const review = (kind: string, itemId: string, reviewInDays?: number) =>
  t.gql<{ markKnowledgeReviewed: Item }>(
    `mutation($input: MarkKnowledgeReviewedInput!) { markKnowledgeReviewed(input: $input) { ${ITEM_FIELDS} } }`,
    { input: { kind, itemId, reviewInDays } },
  );
const fixProblem = async (id: string) => {
  await updateProblem(t, id, { fixChangeRef: 'CHG0012345', fixDescription: 'Pool size restored' });
  await transitionProblem(t, id, 'RESOLVED', 'fixed in 4.3');
};
const createModel = (input: Record<string, unknown>) =>
  run<{ id: string; status: string }>(
    t,
    `mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id status } }`,
    {
      input: { name: `Model ${Math.random().toString(36).slice(2)}`, ...input },
    },
  );

describe('mapping of existing statuses', () => {
  it('gives every new workaround, model and known error a lifecycle row with the documented state and review date', async () => {
    const draft = await createWorkaround(t);
    const active = await createWorkaround(t, { status: 'ACTIVE' });
    const model = await createModel({});
    const { problem } = await knownError(t);
    const rows = await t.sql<{ kind: string; item_id: string; state: string; days: number | null }>(
      `select kind, item_id, state, round(extract(epoch from review_by - created_at) / 86400)::int as days from knowledge_items
        where item_id = any($1::uuid[]) order by kind, state`,
      [[draft.id, active.id, model.id, problem.id]],
    );
    expect(rows.map((r) => [r.kind, r.item_id, r.state, r.days])).toEqual(
      expect.arrayContaining([
        ['WORKAROUND', draft.id, 'DRAFT', null],
        ['WORKAROUND', active.id, 'PUBLISHED', 180],
        ['MODEL', model.id, 'PUBLISHED', 180],
        ['KNOWN_ERROR', problem.id, 'PUBLISHED', 365],
      ]),
    );
    // An open problem is no knowledge item yet; resolving a known error retires it.
    const open = await createProblem(t);
    expect(await item('KNOWN_ERROR', open.id)).toBeNull();
    await fixProblem(problem.id);
    expect((await item('KNOWN_ERROR', problem.id))!.state).toBe('RETIRED');
  });

  it('the old write paths move the lifecycle: setWorkaroundStatus and retiring a model', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE' });
    await setWorkaroundStatus(t, w.id, 'RETIRED');
    expect((await item('WORKAROUND', w.id))!.state).toBe('RETIRED');
    await setWorkaroundStatus(t, w.id, 'ACTIVE');
    expect((await item('WORKAROUND', w.id))!.state).toBe('PUBLISHED');
    const m = await createModel({});
    await run(t, `mutation($id: ID!) { retireIncidentModel(id: $id) { id } }`, { id: m.id });
    expect((await item('MODEL', m.id))!.state).toBe('RETIRED');
  });

  it("the migration's backfill maps rows made before it the same way", async () => {
    const draft = await createWorkaround(t);
    const active = await createWorkaround(t, { status: 'ACTIVE' });
    const retired = await createWorkaround(t, { status: 'ACTIVE' });
    await setWorkaroundStatus(t, retired.id, 'RETIRED');
    const { problem } = await knownError(t);
    const fixed = (await knownError(t)).problem;
    await fixProblem(fixed.id);
    const model = await createModel({});
    const before = await t.sql(`select kind, item_id, state from knowledge_items order by kind, item_id`);
    const m = new Migration20261212300000_knowledge_lifecycle({} as never, { get: () => undefined } as never) as unknown as {
      up(): Promise<void>;
      getQueries(): string[];
    };
    await m.up();
    const backfill = m.getQueries().find((q) => q.trimStart().startsWith('insert into knowledge_items'));
    expect(backfill).toBeDefined();
    await t.sql(`delete from knowledge_items`);
    await t.sql(backfill!);
    const after = await t.sql<{ kind: string; item_id: string; state: string; review_by: string | null }>(
      `select kind, item_id, state, review_by from knowledge_items order by kind, item_id`,
    );
    expect(after.map(({ review_by: _, ...r }) => r)).toEqual(before);
    const states = Object.fromEntries(after.map((r) => [r.item_id, r.state]));
    expect([states[draft.id], states[active.id], states[retired.id], states[problem.id], states[fixed.id], states[model.id]]).toEqual([
      'DRAFT',
      'PUBLISHED',
      'RETIRED',
      'PUBLISHED',
      'RETIRED',
      'PUBLISHED',
    ]);
    // No published item wakes up overdue: review dates at least 30 days ahead.
    for (const r of after.filter((x) => x.state === 'PUBLISHED')) {
      expect(new Date(r.review_by!).getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    }
  });
});

describe('moves', () => {
  it('walks draft -> in review -> published -> needs review -> retired -> draft, keeping the workaround status in step', async () => {
    const w = await createWorkaround(t);
    const status = async () => (await t.sql<{ status: string }>(`select status from workarounds where id = $1`, [w.id]))[0]!.status;
    const steps: [string, string][] = [
      ['IN_REVIEW', 'DRAFT'],
      ['PUBLISHED', 'ACTIVE'],
      ['NEEDS_REVIEW', 'ACTIVE'],
      ['RETIRED', 'RETIRED'],
      ['DRAFT', 'DRAFT'],
    ];
    for (const [to, legacy] of steps) {
      const r = await move('WORKAROUND', w.id, to);
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      expect(r.data!.transitionKnowledge.state).toBe(to);
      expect(await status()).toBe(legacy);
    }
    const published = await t.sql(`select 1 from knowledge_items where item_id = $1 and review_by is not null`, [w.id]);
    expect(published).toHaveLength(1);
  });

  it('refuses an illegal move with ILLEGAL_TRANSITION and changes nothing', async () => {
    const w = await createWorkaround(t);
    const before = await t.sql(`select * from knowledge_items where item_id = $1`, [w.id]);
    const e = expectError(await move('WORKAROUND', w.id, 'PUBLISHED'), 'ILLEGAL_TRANSITION');
    expect(e.message).toContain('an item that is draft cannot become published; it can become in review or retired');
    expect(await t.sql(`select * from knowledge_items where item_id = $1`, [w.id])).toEqual(before);
    expectError(await review('WORKAROUND', w.id), 'ILLEGAL_TRANSITION');
  });

  it('a model in draft is not offered: its status becomes RETIRED, and ACTIVE again when published', async () => {
    const m = await createModel({});
    const status = async () => (await t.sql<{ status: string }>(`select status from incident_models where id = $1`, [m.id]))[0]!.status;
    for (const [to, legacy] of [
      ['RETIRED', 'RETIRED'],
      ['DRAFT', 'RETIRED'],
      ['IN_REVIEW', 'RETIRED'],
      ['PUBLISHED', 'ACTIVE'],
    ] as const) {
      expect((await move('MODEL', m.id, to)).errors).toBeUndefined();
      expect(await status()).toBe(legacy);
    }
  });
});

describe('stale and review', () => {
  it('flags each reason from its fact and a review clears them all', async () => {
    const svc = await createService(t);
    const svc2 = await createService(t);
    const cat = await createCategory(t);
    const cat2 = await createCategory(t);
    const { problem, workaround } = await knownError(t, { serviceId: svc.id, categoryId: cat.id });
    let ke = (await item('KNOWN_ERROR', problem.id))!;
    expect(ke.stale).toBe(false);
    expect(ke.service!.id).toBe(svc.id);

    await updateProblem(t, problem.id, { serviceId: svc2.id });
    expect((await item('KNOWN_ERROR', problem.id))!.staleReasons).toEqual(['SERVICE_CHANGED']);
    await updateProblem(t, problem.id, { categoryId: cat2.id });
    await t.sql(`update knowledge_items set review_by = now() - interval '1 day' where item_id = $1`, [problem.id]);
    ke = (await item('KNOWN_ERROR', problem.id))!;
    expect(ke.staleReasons).toEqual(['REVIEW_DATE_PASSED', 'SERVICE_CHANGED', 'CATEGORY_CHANGED']);
    expect(ke.attention).toEqual(['STALE']);
    // The workaround takes the service of the problem it is linked to: it changed since its last review.
    expect((await item('WORKAROUND', workaround.id))!.staleReasons).toEqual(['SERVICE_CHANGED', 'CATEGORY_CHANGED']);

    const r = await review('KNOWN_ERROR', problem.id, 30);
    expect(r.errors).toBeUndefined();
    const after = r.data!.markKnowledgeReviewed;
    expect(after).toMatchObject({ state: 'PUBLISHED', stale: false, staleReasons: [] });
    expect(Math.round((new Date(after.reviewBy!).getTime() - new Date(after.reviewedAt!).getTime()) / DAY)).toBe(30);
    expect(after.attention).toEqual(['REVIEW_DUE']);
  });

  it('an incident it was applied to that reopens makes it stale, until reviewed', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE' });
    const inc = await incidentIn(t, 'INVESTIGATING');
    await applyWorkaround(t, inc.id, w.id);
    await transitionIncident(t, inc.id, { to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionCode: 'RESTART', resolutionNotes: 'ok' });
    expect((await item('WORKAROUND', w.id))!.stale).toBe(false);
    await run(t, `mutation($id: ID!) { reopenIncident(id: $id, reason: "came back") { id } }`, { id: inc.id });
    expect((await item('WORKAROUND', w.id))!.staleReasons).toEqual(['APPLIED_INCIDENT_REOPENED']);
    expect((await review('WORKAROUND', w.id)).errors).toBeUndefined();
    expect((await item('WORKAROUND', w.id))!.stale).toBe(false);
  });
});

describe('owners', () => {
  it('falls back to the problem owner and can be set and cleared', async () => {
    const team = await createTeam(t);
    const owner = await createUser(t, { teamId: team.id });
    const other = await createUser(t, { teamId: team.id });
    const p = await createProblem(t, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CHANGE', ownerId: owner.id });
    const w = await createWorkaround(t, { status: 'ACTIVE', problemIds: [p.id] });
    expect((await item('WORKAROUND', w.id))!.owner?.id).toBe(owner.id);
    const set = `mutation($input: SetKnowledgeOwnerInput!) { setKnowledgeOwner(input: $input) { owner { id } } }`;
    expect(
      (await run<{ owner: { id: string } }>(t, set, { input: { kind: 'WORKAROUND', itemId: w.id, ownerId: other.id } })).owner.id,
    ).toBe(other.id);
    expect((await run<{ owner: { id: string } }>(t, set, { input: { kind: 'WORKAROUND', itemId: w.id, ownerId: null } })).owner.id).toBe(
      owner.id,
    );
    expectError(await t.gql(set, { input: { kind: 'WORKAROUND', itemId: w.id, ownerId: crypto.randomUUID() } }), 'NOT_FOUND', 'ownerId');
  });
});

describe('hostile input', () => {
  it('answers bad kinds, ids, states and intervals with 4xx-style errors, never a server error', async () => {
    const w = await createWorkaround(t, { status: 'ACTIVE' });
    const cases: [string, Record<string, unknown>][] = [
      [
        `mutation($input: TransitionKnowledgeInput!) { transitionKnowledge(input: $input) { state } }`,
        { input: { kind: 'NOPE', itemId: w.id, to: 'DRAFT' } },
      ],
      [
        `mutation($input: TransitionKnowledgeInput!) { transitionKnowledge(input: $input) { state } }`,
        { input: { kind: 'WORKAROUND', itemId: 'x\u0000y', to: 'DRAFT' } },
      ],
      [
        `mutation($input: TransitionKnowledgeInput!) { transitionKnowledge(input: $input) { state } }`,
        { input: { kind: 'WORKAROUND', itemId: w.id, to: 42 } },
      ],
      [
        `mutation($input: MarkKnowledgeReviewedInput!) { markKnowledgeReviewed(input: $input) { state } }`,
        { input: { kind: 'WORKAROUND', itemId: w.id, reviewInDays: 0 } },
      ],
      [
        `mutation($input: MarkKnowledgeReviewedInput!) { markKnowledgeReviewed(input: $input) { state } }`,
        { input: { kind: 'WORKAROUND', itemId: w.id, reviewInDays: 99999999999 } },
      ],
      [
        `mutation($input: MarkKnowledgeReviewedInput!) { markKnowledgeReviewed(input: $input) { state } }`,
        { input: { kind: 'MODEL', itemId: w.id } },
      ],
      [`query { knowledgeItem(kind: WORKAROUND, itemId: "not-a-uuid") { state } }`, {}],
      [`query { knowledgeHealth(first: 0) { totalCount } }`, {}],
      [`query { knowledgeHealth(first: 100000) { totalCount } }`, {}],
      [`query { knowledgeHealth(after: "'; drop table knowledge_items; --") { totalCount } }`, {}],
      [`query { knowledgeHealth(filter: { ownerId: "x" }) { totalCount } }`, {}],
    ];
    for (const [q, v] of cases) {
      const r = await t.gql(q, v);
      expect(r.status, `${q} ${JSON.stringify(v)}`).toBeLessThan(500);
      expect(r.errors?.length, `${q} ${JSON.stringify(v)}`).toBe(1);
      expect(r.errors![0]!.extensions?.code).toMatch(/BAD_USER_INPUT|BAD_REQUEST|NOT_FOUND|GRAPHQL_VALIDATION_FAILED|ILLEGAL_TRANSITION/);
    }
    expect(await t.sql(`select count(*)::int as n from knowledge_items`)).not.toEqual([{ n: 0 }]);
    // A viewer reads but may not move.
    const viewer = await t.tokenForRole('VIEWER');
    const r = await t.gql(
      `mutation($input: TransitionKnowledgeInput!) { transitionKnowledge(input: $input) { state } }`,
      { input: { kind: 'WORKAROUND', itemId: w.id, to: 'RETIRED' } },
      { authorization: `Bearer ${viewer.token}` },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await item('WORKAROUND', w.id))!.state).toBe('PUBLISHED');
  });
});
