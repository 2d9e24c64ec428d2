import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory, createService, createTeam, createUser } from './support/factories';
import {
  applyWorkaround,
  createProblem,
  createWorkaround,
  expectError,
  incidentIn,
  linkIncident,
  ROOT_CAUSE,
  run,
  transitionIncident,
  transitionProblem,
  RESOLVE,
} from './support/knowledge-factories';
import { applyModel } from './support/model-factories';
import { bruteForce, expectFigures, type Kind } from './support/knowledge-brute';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Feedback and effectiveness (issue 27 part 2) and the knowledge-health list: every figure the API
 * gives is recomputed here by brute force from the raw rows (votes, applications, incidents, their
 * events), with an independent Wilson interval, and compared; hostile feedback is refused.
 */

let t: TestApp;
const users: { id: string; email: string }[] = [];
const as = (u: { email: string }) => ({ 'x-actor-email': u.email });

beforeAll(async () => {
  t = await startTestApp();
  const team = await createTeam(t);
  for (let n = 0; n < 7; n++) users.push(await createUser(t, { teamId: team.id }));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const EFF = `helpful { k n share low high enoughData } resolvedWithoutReopen { k n share low high enoughData }
  minutesToResolveWith { n median enoughData } minutesToResolveWithout { n median enoughData } low minSample`;

const FEEDBACK = `mutation($input: KnowledgeFeedbackInput!) {
  giveKnowledgeFeedback(input: $input) { id kind itemId incidentId helpful reason context } }`;
const vote = (who: { email: string }, input: Record<string, unknown>) =>
  t.gql<{ giveKnowledgeFeedback: { id: string; helpful: boolean } }>(FEEDBACK, { input }, as(who));

/** The Wilson score interval written from its textbook form, independently of the domain code. */
const effOf = (kind: Kind, id: string) =>
  run<{ effectiveness: Record<string, unknown> }>(
    t,
    `query($k: KnowledgeKind!, $id: ID!) { knowledgeItem(kind: $k, itemId: $id) { effectiveness { ${EFF} } } }`,
    {
      k: kind,
      id,
    },
  ).then((r) => r.effectiveness);

/** Spreads open-to-resolve times so medians mean something: incident n took 10 * (n + 1) minutes. */
async function spreadTimes(ids: string[]) {
  for (const [n, id] of ids.entries()) {
    await t.sql(`update incidents set opened_at = resolved_at - make_interval(mins => $2) where id = $1 and resolved_at is not null`, [
      id,
      10 * (n + 1),
    ]);
  }
}

describe('effectiveness against a brute-force computation', () => {
  let category: string;
  let service: string;
  let w: string;
  let model: string;
  let problem: string;

  beforeAll(async () => {
    category = (await createCategory(t)).id;
    service = (await createService(t)).id;
    w = (await createWorkaround(t, { status: 'ACTIVE' })).id;
    model = (
      await run<{ id: string }>(t, `mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id } }`, {
        input: { name: 'Pool exhaustion', matchCategoryId: category },
      })
    ).id;
    const p = await createProblem(t, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CHANGE', categoryId: category, serviceId: service });
    await createWorkaround(t, { status: 'ACTIVE', problemIds: [p.id] });
    await transitionProblem(t, p.id, 'KNOWN_ERROR');
    problem = p.id;
    const ids: string[] = [];
    // 12 incidents of one category: the workaround on 0-6, the model on 4-9, linked to the known error 8-11;
    // 0-8 and 10 resolved, 2 and 5 reopened after, 11 still open.
    for (let n = 0; n < 12; n++) {
      const inc = await incidentIn(t, 'INVESTIGATING', { categoryId: category, serviceId: service });
      ids.push(inc.id);
      if (n <= 6) await applyWorkaround(t, inc.id, w);
      if (n >= 4 && n <= 9) await applyModel(t, inc.id, model);
      if (n >= 8) await linkIncident(t, inc.id, problem);
      if (n !== 9 && n !== 11) await transitionIncident(t, inc.id, RESOLVE);
    }
    for (const n of [2, 5]) await run(t, `mutation($id: ID!) { reopenIncident(id: $id, reason: "back again") { id } }`, { id: ids[n] });
    for (const n of [2]) await transitionIncident(t, ids[n]!, RESOLVE);
    await spreadTimes(ids);
    // Votes: six people on the workaround (one changes their mind), two on the model, one from search on the known error.
    for (const [n, helpful] of [true, true, false, true, false, true].entries()) {
      expect(
        (await vote(users[n]!, { kind: 'WORKAROUND', itemId: w, incidentId: ids[n], helpful, context: 'APPLIED' })).errors,
      ).toBeUndefined();
    }
    await vote(users[1]!, {
      kind: 'WORKAROUND',
      itemId: w,
      incidentId: ids[1],
      helpful: false,
      reason: 'Only for a minute',
      context: 'APPLIED',
    });
    await vote(users[0]!, { kind: 'MODEL', itemId: model, incidentId: ids[4], helpful: true, context: 'APPLIED' });
    await vote(users[1]!, { kind: 'MODEL', itemId: model, incidentId: ids[5], helpful: false, context: 'APPLIED' });
    await vote(users[2]!, { kind: 'KNOWN_ERROR', itemId: problem, helpful: true, context: 'SEARCH_RESULT' });
  }, 300_000);

  it('one vote per person, item and incident; a new vote replaces the old one', async () => {
    const rows = await t.sql<{ helpful: boolean; reason: string | null }>(
      `select helpful, reason from knowledge_feedback where kind = 'WORKAROUND' and item_id = $1 and user_id = $2`,
      [w, users[1]!.id],
    );
    expect(rows).toEqual([{ helpful: false, reason: 'Only for a minute' }]);
    expect(await t.sql(`select count(*)::int as n from knowledge_feedback where item_id = $1`, [w])).toEqual([{ n: 6 }]);
  });

  it.each(['WORKAROUND', 'MODEL', 'KNOWN_ERROR'] as const)('%s: every figure equals the brute force', async (kind) => {
    const id = kind === 'WORKAROUND' ? w : kind === 'MODEL' ? model : problem;
    const got = await effOf(kind, id);
    const want = await bruteForce(t, kind, id);
    expectFigures(got, want);
    // The fixture is meant to exercise both sides of every figure.
    if (kind === 'WORKAROUND') {
      expect(want.helpful).toMatchObject({ k: 3, n: 6, enoughData: true });
      expect(want.resolvedWithoutReopen.n).toBe(7);
      expect(want.minutesToResolveWith.n).toBeGreaterThan(0);
      expect(want.minutesToResolveWithout.n).toBeGreaterThan(0);
    }
  });

  it('says "not enough data" below the minimum sample', async () => {
    const got = (await effOf('MODEL', model)) as { helpful: { n: number; enoughData: boolean } };
    expect(got.helpful).toMatchObject({ n: 2, enoughData: false });
  });

  it('is offered with the item on the workaround, model and problem', async () => {
    const r = await run<{ knowledge: { effectiveness: { helpful: { n: number } } } }>(
      t,
      `query($id: ID!) { workaround(id: $id) { knowledge { state effectiveness { helpful { n } } } } }`,
      { id: w },
    );
    expect(r.knowledge.effectiveness.helpful.n).toBe(6);
  });
});

describe('effectiveness on search hits', () => {
  it('gives each knowledge hit its figures, in a fixed number of statements however many hits', async () => {
    const word = `zq${Math.random().toString(36).slice(2, 8)}`;
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) ids.push((await createWorkaround(t, { status: 'ACTIVE', title: `Flush ${word} cache ${n}` })).id);
    const inc = await incidentIn(t, 'INVESTIGATING');
    await applyWorkaround(t, inc.id, ids[0]!);
    await vote(users[0]!, { kind: 'WORKAROUND', itemId: ids[0], incidentId: inc.id, helpful: true, context: 'APPLIED' });
    const Q = `query($input: SearchInput!, $first: Int!) { search(input: $input, first: $first) {
      nodes { kind id knowledge { kind itemId effectiveness { ${EFF} } } } } }`;
    type Hits = { search: { nodes: { kind: string; id: string; knowledge: { effectiveness: Record<string, unknown> } | null }[] } };
    // Warm: the first search after a write loads what search caches (one statement more, whatever is asked).
    await t.gql(`query($q: String!) { search(input: { query: $q }, first: 1) { nodes { id } } }`, { q: word });
    const one = await t.gql<Hits>(Q, { input: { query: word, kinds: ['WORKAROUND'] }, first: 1 });
    const all = await t.gql<Hits>(Q, { input: { query: word, kinds: ['WORKAROUND'] }, first: 20 });
    expect(all.errors, JSON.stringify(all.errors)).toBeUndefined();
    expect(all.data!.search.nodes).toHaveLength(4);
    for (const h of all.data!.search.nodes) expectFigures(h.knowledge!.effectiveness, await bruteForce(t, 'WORKAROUND', h.id));
    // What the knowledge field adds is the same for one hit and for many (search itself may differ by page size).
    const BARE = `query($input: SearchInput!, $first: Int!) { search(input: $input, first: $first) { nodes { kind id } } }`;
    const bareOne = await t.gql(BARE, { input: { query: word, kinds: ['WORKAROUND'] }, first: 1 });
    const bareAll = await t.gql(BARE, { input: { query: word, kinds: ['WORKAROUND'] }, first: 20 });
    const added = (x: typeof one, y: typeof bareOne) => x.extensions!.sqlStatements! - y.extensions!.sqlStatements!;
    expect(added(all, bareAll)).toBe(added(one, bareOne));
    expect(added(all, bareAll)).toBeLessThanOrEqual(4);
  });
});

describe('hostile and refused feedback', () => {
  it('refuses bad feedback with a named field and writes nothing', async () => {
    const w = (await createWorkaround(t, { status: 'ACTIVE' })).id;
    const inc = await incidentIn(t, 'INVESTIGATING');
    const before = await t.sql(`select count(*)::int as n from knowledge_feedback`);
    const base = { kind: 'WORKAROUND', itemId: w, helpful: true, context: 'APPLIED', incidentId: inc.id };
    expectError(await vote(users[0]!, base), 'BAD_USER_INPUT', 'incidentId');
    expectError(await vote(users[0]!, { ...base, incidentId: null }), 'BAD_USER_INPUT', 'incidentId');
    expectError(await vote(users[0]!, { ...base, itemId: crypto.randomUUID(), context: 'SEARCH_RESULT' }), 'NOT_FOUND', 'itemId');
    expectError(await vote(users[0]!, { ...base, incidentId: crypto.randomUUID(), context: 'SEARCH_RESULT' }), 'NOT_FOUND', 'incidentId');
    for (const bad of [
      { ...base, reason: 'x'.repeat(501) },
      { ...base, reason: 'nul \u0000 byte' },
      { ...base, itemId: 'not-a-uuid' },
      { ...base, helpful: 'yes' },
      { ...base, context: 'SOMEWHERE' },
      { ...base, kind: 'REVIEW' },
    ]) {
      const r = await vote(users[0]!, bad);
      expect(r.status, JSON.stringify(bad).slice(0, 80)).toBeLessThan(500);
      expect(r.errors?.length).toBe(1);
    }
    const viewer = await t.tokenForRole('VIEWER');
    const r = await t.gql(FEEDBACK, { input: { ...base, context: 'SEARCH_RESULT' } }, { authorization: `Bearer ${viewer.token}` });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await t.sql(`select count(*)::int as n from knowledge_feedback`)).toEqual(before);
  });
});
