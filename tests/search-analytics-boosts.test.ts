import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termsAllAppear } from '@ikb/domain';
import { searchRecorder, writeOpens, writeSearches } from '@ikb/api/src/features/search-log/search-log.recorder';
import { sweepSearchLog } from '@ikb/api/src/features/search-log/search-log.retention';
import { applyWorkaround, createWorkaround, incidentIn, knownError, linkIncident, transitionIncident } from './support/knowledge-factories';
import { resolvedIncident } from './support/search-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Decision 0011: boosts change the order only once an admin approves them; resolved-with-it and
 * the searches that preceded a known error against brute force; who may read; the retention sweep.
 */
let t: TestApp;
const src = () => t.app.orm.em;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp({ searchLog: { flushMs: 0 } });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const SEARCH = `query($input: SearchInput!) {
  search(input: $input, first: 20) { searchId nodes { id kind queryBoost explanation reason } } }`;
type Hit = { id: string; kind: string; queryBoost: number | null; explanation: string[]; reason: string };
const find = async (query: string, extra: Record<string, unknown> = {}) =>
  ok(await t.gql<{ search: { searchId: string; nodes: Hit[] } }>(SEARCH, { input: { query, ...extra } })).search;
const OPEN = `mutation($input: RecordSearchOpenInput!) { recordSearchOpen(input: $input) }`;
const today = () => new Date(Math.floor(Date.now() / DAY) * DAY);
const RANGE = () => ({ from: new Date(Date.now() - 40 * DAY).toISOString(), to: new Date(Date.now() + DAY).toISOString() });

describe('boosts', () => {
  it('are suggested from opens, change nothing until approved, then rank the record higher with the reason shown', async () => {
    const m = `vexlor${Math.random().toString(36).slice(2, 6)}`;
    for (let i = 0; i < 6; i++) await resolvedIncident(t, { title: `Scanner ${m} offline ${m} ${m} case ${i}` });
    const low = await resolvedIncident(t, { title: `Scanner ${m} case low`, description: 'Only once here.' });
    const before = (await find(`scanner ${m}`)).nodes;
    const pos = before.findIndex((h) => h.id === low.id) + 1;
    expect(pos).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < 3; i++) {
      const s = await find(`Scanner  ${m.toUpperCase()}`);
      ok(await t.gql(OPEN, { input: { searchId: s.searchId, kind: 'INCIDENT', id: low.id, position: pos } }));
    }
    await searchRecorder(t.app.orm.getMetadata())!.flush();
    const SUGGEST = `query($range: SearchAnalyticsRange!) { searchAnalytics(range: $range) {
      boostSuggestions { query kind itemId opens meanPosition suggestedWeight } } }`;
    type S = { searchAnalytics: { boostSuggestions: { query: string; itemId: string; opens: number; meanPosition: number }[] } };
    const suggested = ok(await t.gql<S>(SUGGEST, { range: RANGE() })).searchAnalytics.boostSuggestions;
    expect(suggested.find((x) => x.itemId === low.id)).toMatchObject({ query: `scanner ${m}`, opens: 3, meanPosition: pos });
    // Suggested is not applied.
    expect((await find(`scanner ${m}`)).nodes.map((h) => h.id)).toEqual(before.map((h) => h.id));

    const APPROVE = `mutation($input: ApproveSearchBoostInput!) { approveSearchBoost(input: $input) {
      id query status weight reason decidedByName decidedAt } }`;
    const input = { query: `SCANNER ${m}`, kind: 'INCIDENT', itemId: low.id, weight: 1, reason: 'People pick it for this query.' };
    const eng = await t.tokenForRole('ENGINEER');
    const pm = await t.tokenForRole('PROBLEM_MANAGER');
    for (const token of [eng.token, pm.token])
      expect((await t.gql(APPROVE, { input }, { authorization: `Bearer ${token}` })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const bad of [{ weight: 1.5 }, { weight: 0 }, { reason: '' }, { itemId: 'nope' }, { query: 'x'.repeat(501) }])
      expect((await t.gql(APPROVE, { input: { ...input, ...bad } })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(APPROVE, { input: { ...input, itemId: randomUUID() } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql(APPROVE, { input: { ...input, kind: 'WORKAROUND' } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const boost = ok(
      await t.gql<{ approveSearchBoost: { id: string; query: string; decidedByName: string } }>(APPROVE, { input }),
    ).approveSearchBoost;
    expect(boost).toMatchObject({ query: `scanner ${m}`, decidedByName: 'Test Admin' });

    const after = (await find(`scanner ${m}`)).nodes;
    const hit = after.find((h) => h.id === low.id)!;
    expect(after.findIndex((h) => h.id === low.id) + 1).toBeLessThan(pos);
    expect(hit.queryBoost).toBe(1);
    expect(hit.explanation.join(' ')).toMatch(/admin approved a boost \(x2\.00\)/);
    expect(hit.reason).toMatch(/approved boost for this query x2\.00/);
    // Only for that query: another query with the same record is untouched.
    expect((await find(`${m} scanner offline`)).nodes.find((h) => h.id === low.id)?.queryBoost ?? null).toBeNull();
    // Decided: no longer suggested; listed with who and when.
    expect(
      ok(await t.gql<S>(SUGGEST, { range: RANGE() })).searchAnalytics.boostSuggestions.find((x) => x.itemId === low.id),
    ).toBeUndefined();
    const listed = ok(await t.gql<{ searchBoosts: { id: string; decidedByName: string }[] }>(`{ searchBoosts { id decidedByName } }`));
    expect(listed.searchBoosts.map((b) => b.id)).toContain(boost.id);

    // Dismissed instead: no effect on the order.
    const DISMISS = `mutation($input: DismissSearchBoostInput!) { dismissSearchBoost(input: $input) { status weight } }`;
    ok(await t.gql(DISMISS, { input: { query: input.query, kind: 'INCIDENT', itemId: low.id, reason: 'Not what they need.' } }));
    expect((await find(`scanner ${m}`)).nodes.map((h) => h.id)).toEqual(before.map((h) => h.id));
    const REVOKE = `mutation($id: ID!) { revokeSearchBoost(id: $id) { id } }`;
    ok(await t.gql(REVOKE, { id: boost.id }));
    expect((await t.gql(REVOKE, { id: boost.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql(REVOKE, { id: "'; drop table x" })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('figures over raw rows', () => {
  it('resolved with it: the opened workaround restored service, the opened problem is linked; not the others', async () => {
    const { problem, workaround } = await knownError(t);
    const other = await createWorkaround(t, { status: 'ACTIVE' });
    const inc = await incidentIn(t, 'INVESTIGATING');
    const s = await find('restart checkout pods', { incidentId: inc.id });
    await searchRecorder(t.app.orm.getMetadata())!.flush();
    const at = new Date();
    await writeOpens(src(), [
      { searchId: s.searchId, kind: 'WORKAROUND', itemId: workaround.id, position: 1, at },
      { searchId: s.searchId, kind: 'WORKAROUND', itemId: other.id, position: 1, at },
      { searchId: s.searchId, kind: 'KNOWN_ERROR', itemId: problem.id, position: 1, at },
    ]);
    await applyWorkaround(t, inc.id, workaround.id);
    await linkIncident(t, inc.id, problem.id);
    await transitionIncident(t, inc.id, { to: 'RESOLVED', resolutionKind: 'WORKAROUND', resolutionCode: 'R', workaroundId: workaround.id });
    const Q = `query($range: SearchAnalyticsRange!) {
      searchAnalytics(range: $range) { resolvedWithIt { opensWithIncident resolvedWithIt share } } }`;
    const r = ok(
      await t.gql<{ searchAnalytics: { resolvedWithIt: { opensWithIncident: number; resolvedWithIt: number } } }>(Q, { range: RANGE() }),
    );
    const [bf] = await t.sql<{ n: number; w: number }>(
      `select count(*)::int as n, count(*) filter (where i.resolution_workaround_id = o.item_id or i.problem_id = o.item_id)::int as w
         from search_log.opens o join search_log.searches s on s.id = o.search_id join incidents i on i.id = s.incident_id
        where i.resolved_at >= o.at or i.resolved_at is null`,
    );
    expect(r.searchAnalytics.resolvedWithIt).toMatchObject({ opensWithIncident: 3, resolvedWithIt: 2 });
    expect([bf!.n, bf!.w]).toEqual([3, 2]);
  });

  it('preceded a known error: unanswered searches of the 30 days before whose words all appear in it', async () => {
    const m = `plimsk${Math.random().toString(36).slice(2, 6)}`;
    const title = `Ledger ${m} sync stalls at month end`;
    const now = Date.now();
    const rows = [
      { query: `ledger ${m}`, hits: 0, ago: 3 }, // counts
      { query: `${m} stalls`, hits: 5, ago: 10 }, // counts: found, never opened
      { query: `${m} stalls`, hits: 5, ago: 12, open: true }, // answered: not counted
      { query: `${m} payroll`, hits: 0, ago: 2 }, // a word not in the known error
      { query: `ledger ${m}`, hits: 0, ago: 45 }, // before the 30 days
    ].map((r) => ({ ...r, id: randomUUID() }));
    await writeSearches(
      src(),
      rows.map((r) => ({
        id: r.id,
        at: new Date(now - r.ago * DAY),
        query: r.query,
        filters: {},
        hits: r.hits,
        role: 'ENGINEER',
        userId: null,
        incidentId: null,
      })),
    );
    await writeOpens(
      src(),
      rows
        .filter((r) => r.open)
        .map((r) => ({ searchId: r.id, kind: 'INCIDENT', itemId: randomUUID(), position: 1, at: new Date(now - r.ago * DAY + 1000) })),
    );
    const { problem } = await knownError(t, { title });
    const Q = `query($range: SearchAnalyticsRange!) { searchAnalytics(range: $range) {
      precededKnownErrors { problemId number title searches queries { query searches } } } }`;
    type P = {
      searchAnalytics: { precededKnownErrors: { problemId: string; searches: number; queries: { query: string; searches: number }[] }[] };
    };
    const got = ok(await t.gql<P>(Q, { range: RANGE() })).searchAnalytics.precededKnownErrors.find((p) => p.problemId === problem.id);
    const text = `${problem.title} ${problem.description} ${problem.rootCause}`;
    const expected = rows.filter((r) => !r.open && r.ago <= 30 && termsAllAppear(r.query, text));
    expect(expected).toHaveLength(2);
    expect(got?.searches).toBe(expected.length);
    expect(got?.queries.map((q) => q.query).sort()).toEqual(expected.map((r) => r.query).sort());
  });
});

describe('who may read, input, statements', () => {
  it('admins and problem managers read; engineers and viewers are refused; a bad range is BAD_USER_INPUT', async () => {
    const Q = `query($range: SearchAnalyticsRange!) { searchAnalytics(range: $range) { from topQueries { query } contentGaps { query }
      mrr(bucket: WEEK) { mrr } resolvedWithIt { share } precededKnownErrors { number } boostSuggestions { query } } }`;
    for (const role of ['ENGINEER', 'VIEWER'] as const) {
      const { token } = await t.tokenForRole(role);
      expect((await t.gql(Q, { range: RANGE() }, { authorization: `Bearer ${token}` })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const pm = await t.tokenForRole('PROBLEM_MANAGER');
    const r = await t.gql(Q, { range: RANGE() }, { authorization: `Bearer ${pm.token}` });
    ok(r);
    // One statement per figure, whatever the data.
    expect(r.extensions?.sqlStatements).toBeLessThanOrEqual(7);
    for (const range of [
      { from: RANGE().to, to: RANGE().from },
      { from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      { from: 'yesterday', to: RANGE().to },
    ]) {
      const bad = await t.gql(Q, { range });
      expect(bad.status).toBeLessThan(500);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    for (const first of [0, -1, 101])
      expect(
        (
          await t.gql(`query($r: SearchAnalyticsRange!, $f: Int!) { searchAnalytics(range: $r) { topQueries(first: $f) { query } } }`, {
            r: RANGE(),
            f: first,
          })
        ).errors?.[0]?.extensions?.code,
      ).toBe('BAD_USER_INPUT');
  });
});

describe('retention', () => {
  it('deletes raw searches and their opens past the setting, keeps newer ones and the daily totals', async () => {
    const old = {
      id: randomUUID(),
      at: new Date(today().getTime() - 200 * DAY),
      query: 'retention old',
      filters: {},
      hits: 3,
      role: null,
      userId: null,
      incidentId: null,
    };
    const kept = { ...old, id: randomUUID(), at: new Date(today().getTime() - 100 * DAY), query: 'retention kept' };
    await writeSearches(src(), [old, kept]);
    await writeOpens(
      src(),
      [old, kept].map((s) => ({ searchId: s.id, kind: 'INCIDENT', itemId: randomUUID(), position: 2, at: s.at })),
    );
    const swept = await sweepSearchLog(src(), 180);
    expect(swept.searches).toBeGreaterThanOrEqual(1);
    expect((await t.sql(`select id from search_log.searches where id in ($1, $2)`, [old.id, kept.id])).map((r) => r.id)).toEqual([kept.id]);
    expect(await t.sql(`select 1 from search_log.opens where search_id = $1`, [old.id])).toEqual([]);
    expect(await t.sql(`select searches, opened from search_log.daily where query = 'retention old'`)).toEqual([
      { searches: 1, opened: 1 },
    ]);
  });
});
