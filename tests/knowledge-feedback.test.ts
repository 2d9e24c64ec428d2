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
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Feedback and effectiveness (issue 27 part 2) and the knowledge-health list: every figure the API
 * gives is recomputed here by brute force from the raw rows (votes, applications, incidents, their
 * events), with an independent Wilson interval, and compared; hostile feedback is refused.
 */

let t: TestApp;
const users: { id: string; email: string }[] = [];
const as = (u: { email: string }) => ({ 'x-actor-email': u.email });
const MIN = 60_000;

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
function wilson(k: number, n: number) {
  if (n === 0) return { low: null, high: null };
  const z = 1.959963984540054;
  const p = k / n;
  const a = p + (z * z) / (2 * n);
  const b = z * Math.sqrt((p * (1 - p) + (z * z) / (4 * n)) / n);
  const c = 1 + (z * z) / n;
  return { low: Math.max(0, (a - b) / c), high: Math.min(1, (a + b) / c) };
}
const med = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

type Kind = 'WORKAROUND' | 'MODEL' | 'KNOWN_ERROR';

/** Brute force from the raw rows: which incidents the item was applied to, and when first. */
async function appliedTo(kind: Kind, id: string): Promise<Map<string, number>> {
  const rows =
    kind === 'WORKAROUND'
      ? await t.sql<{ incident_id: string; at: string }>(
          `select incident_id, applied_at::text as at from workaround_applications where workaround_id = $1`,
          [id],
        )
      : kind === 'MODEL'
        ? await t.sql<{ incident_id: string; at: string }>(
            `select a.incident_id, a.applied_at::text as at from incident_model_applications a, incident_model_versions v
              where v.id = a.model_version_id and v.model_id = $1`,
            [id],
          )
        : await t.sql<{ incident_id: string; at: string }>(
            `select i.id as incident_id, i.opened_at::text as at from incidents i, problems p
              where i.problem_id = p.id and p.id = $1 and p.known_error_at is not null and i.opened_at >= p.known_error_at`,
            [id],
          );
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.incident_id, Math.min(m.get(r.incident_id) ?? Infinity, new Date(r.at).getTime()));
  return m;
}

async function bruteForce(kind: Kind, id: string) {
  const votes = await t.sql<{ helpful: boolean }>(`select helpful from knowledge_feedback where kind = $1 and item_id = $2`, [kind, id]);
  const k = votes.filter((v) => v.helpful).length;
  const applied = await appliedTo(kind, id);
  const incidents = await t.sql<{ id: string; status: string; opened_at: string; resolved_at: string | null; category_id: string | null }>(
    `select id, status, opened_at::text, resolved_at::text, category_id from incidents`,
  );
  const events = await t.sql<{ incident_id: string; at: string }>(
    `select incident_id, at::text from incident_events where kind = 'REOPENED'`,
  );
  let held = 0;
  let settled = 0;
  const withMin: number[] = [];
  const cats = new Set<string>();
  for (const i of incidents) {
    const first = applied.get(i.id);
    if (first === undefined) continue;
    const reopened = events.some((e) => e.incident_id === i.id && new Date(e.at).getTime() > first);
    const resolved = i.resolved_at ? new Date(i.resolved_at).getTime() : null;
    const open = !['RESOLVED', 'CLOSED', 'REVIEWED'].includes(i.status);
    if (reopened) settled++;
    else if (resolved !== null && resolved >= first) {
      held++;
      settled++;
    } else if (!open) settled++;
    if (resolved !== null) {
      withMin.push((resolved - new Date(i.opened_at).getTime()) / MIN);
      if (i.category_id) cats.add(i.category_id);
    }
  }
  const without = incidents
    .filter((i) => i.resolved_at && i.category_id && cats.has(i.category_id) && !applied.has(i.id))
    .map((i) => (new Date(i.resolved_at!).getTime() - new Date(i.opened_at).getTime()) / MIN);
  const share = (kk: number, n: number) => ({ k: kk, n, share: n ? kk / n : null, ...wilson(kk, n), enoughData: n >= 5 });
  const helpful = share(k, votes.length);
  const rwr = share(held, settled);
  const low = [helpful, rwr].some((f) => f.enoughData && f.high! < 0.5);
  return {
    helpful,
    resolvedWithoutReopen: rwr,
    minutesToResolveWith: { n: withMin.length, median: med(withMin), enoughData: withMin.length >= 5 },
    minutesToResolveWithout: { n: without.length, median: med(without), enoughData: without.length >= 5 },
    low,
    minSample: 5,
  };
}

function expectFigures(got: Record<string, unknown>, want: Record<string, unknown>) {
  const close = (a: unknown, b: unknown, path: string): void => {
    if (typeof b === 'number' && typeof a === 'number') return void expect(a, path).toBeCloseTo(b, 6);
    if (b && typeof b === 'object') {
      for (const key of Object.keys(b)) close((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      return;
    }
    expect(a, path).toEqual(b);
  };
  close(got, want, 'effectiveness');
}

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
    const want = await bruteForce(kind, id);
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
    for (const h of all.data!.search.nodes) expectFigures(h.knowledge!.effectiveness, await bruteForce('WORKAROUND', h.id));
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

describe('knowledge health', () => {
  const HEALTH = `query($filter: KnowledgeHealthFilter, $first: Int, $after: String) {
    knowledgeHealth(filter: $filter, first: $first, after: $after) { totalCount next truncated
      items { kind itemId title state attention staleReasons reviewBy owner { id name } effectiveness { helpful { n } low } } } }`;
  type Page = {
    totalCount: number;
    next: string | null;
    items: { kind: string; itemId: string; attention: string[]; owner: { id: string; name: string } | null }[];
  };

  it('lists exactly the items a brute-force reading of the rules picks, by owner, page by page', async () => {
    const team = await createTeam(t);
    const owner = await createUser(t, { teamId: team.id, name: 'Aaron Owner' });
    const svc = await createService(t);
    const p = await createProblem(t, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CHANGE', ownerId: owner.id, serviceId: svc.id });
    const wa = await createWorkaround(t, { status: 'ACTIVE', problemIds: [p.id] });
    await transitionProblem(t, p.id, 'KNOWN_ERROR');
    await t.sql(`update knowledge_items set review_by = now() - interval '2 days' where item_id = $1`, [p.id]);
    await t.sql(`update knowledge_items set review_by = now() + interval '10 days' where item_id = $1`, [wa.id]);
    const inReview = await createWorkaround(t);
    await run(t, `mutation($i: TransitionKnowledgeInput!) { transitionKnowledge(input: $i) { state } }`, {
      i: { kind: 'WORKAROUND', itemId: inReview.id, to: 'IN_REVIEW' },
    });
    await t.sql(`update knowledge_items set state_changed_at = now() - interval '20 days' where item_id = $1`, [inReview.id]);

    const all: Page['items'] = [];
    let after: string | null = null;
    do {
      const page: Page = await run<Page>(t, HEALTH, { first: 2, after });
      all.push(...page.items);
      after = page.next;
    } while (after);
    const brute = await bruteHealth();
    expect(all.map((i) => [i.kind, i.itemId, i.attention])).toEqual(brute.map((b) => [b.kind, b.itemId, b.attention]));
    expect(all.find((i) => i.itemId === p.id)?.attention).toEqual(['STALE']);
    expect(all.find((i) => i.itemId === wa.id)?.attention).toEqual(['REVIEW_DUE']);
    expect(all.find((i) => i.itemId === inReview.id)?.attention).toEqual(['IN_REVIEW_TOO_LONG']);
    // Filters: owner and service narrow to that owner's / service's items.
    const mine = await run<Page>(t, HEALTH, { filter: { ownerId: owner.id } });
    expect(mine.items.map((i) => i.itemId).sort()).toEqual([p.id, wa.id].sort());
    const bySvc = await run<Page>(t, HEALTH, { filter: { serviceId: svc.id, kind: 'KNOWN_ERROR' } });
    expect(bySvc.items.map((i) => i.itemId)).toEqual([p.id]);
  });

  it('costs the same number of SQL statements for few and many items', async () => {
    const few = await t.gql(HEALTH, { first: 1 });
    const many = await t.gql(HEALTH, { first: 200 });
    expect(few.errors).toBeUndefined();
    expect((many.data as { knowledgeHealth: Page }).knowledgeHealth.items.length).toBeGreaterThan(1);
    expect(many.extensions?.sqlStatements).toBe(few.extensions?.sqlStatements);
    expect(many.extensions?.sqlStatements).toBeLessThanOrEqual(10);
  });

  /** The health rules read directly: stale, review due in 30 days, in review for 14 days, low effectiveness. */
  async function bruteHealth() {
    const rows = await t.sql<{
      kind: Kind;
      item_id: string;
      title: string;
      state: string;
      review_by: string | null;
      state_changed_at: string;
      service_id: string | null;
      category_id: string | null;
      reviewed_service_id: string | null;
      reviewed_category_id: string | null;
      owner_id: string | null;
      owner_name: string | null;
      reviewed_at: string | null;
      created_at: string;
    }>(
      `select k.kind, k.item_id, s.title, k.state, k.review_by::text, k.state_changed_at::text, s.service_id, s.category_id,
              k.reviewed_service_id, k.reviewed_category_id, coalesce(k.owner_id, s.fallback_owner_id) as owner_id, u.name as owner_name,
              k.reviewed_at::text, k.created_at::text
         from knowledge_items k join knowledge_subjects s using (kind, item_id)
         left join users u on u.id = coalesce(k.owner_id, s.fallback_owner_id)
        where k.state in ('IN_REVIEW','PUBLISHED','NEEDS_REVIEW')`,
    );
    const events = await t.sql<{ incident_id: string; at: string }>(
      `select incident_id, at::text from incident_events where kind = 'REOPENED'`,
    );
    const now = Date.now();
    const out = [];
    for (const r of rows) {
      const applied = await appliedTo(r.kind, r.item_id);
      const since = new Date(r.reviewed_at ?? r.created_at).getTime();
      const reopened = [...applied].some(([inc, first]) =>
        events.some((e) => e.incident_id === inc && new Date(e.at).getTime() > first && new Date(e.at).getTime() > since),
      );
      const rb = r.review_by ? new Date(r.review_by).getTime() : null;
      const changed = (cur: string | null, was: string | null) => was !== null && cur !== was;
      const stale =
        (rb !== null && rb < now) ||
        changed(r.service_id, r.reviewed_service_id) ||
        changed(r.category_id, r.reviewed_category_id) ||
        reopened;
      const due = rb !== null && rb >= now && rb <= now + 30 * 86_400_000;
      const tooLong = r.state === 'IN_REVIEW' && now - new Date(r.state_changed_at).getTime() > 14 * 86_400_000;
      const low = r.state !== 'IN_REVIEW' && (await bruteForce(r.kind, r.item_id)).low;
      const attention = [stale && 'STALE', due && 'REVIEW_DUE', tooLong && 'IN_REVIEW_TOO_LONG', low && 'LOW_EFFECTIVENESS'].filter(
        Boolean,
      );
      if (attention.length)
        out.push({ kind: r.kind, itemId: r.item_id, title: r.title, ownerId: r.owner_id, ownerName: r.owner_name, attention });
    }
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    return out.sort(
      (a, b) =>
        (a.ownerName === null ? 1 : 0) - (b.ownerName === null ? 1 : 0) ||
        cmp(a.ownerName ?? '', b.ownerName ?? '') ||
        cmp(a.ownerId ?? '', b.ownerId ?? '') ||
        cmp(a.kind, b.kind) ||
        cmp(a.title, b.title) ||
        cmp(a.itemId, b.itemId),
    );
  }
});
