import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reciprocalRank } from '@ikb/domain';
import { searchRecorder, writeOpens, writeSearches, type SearchRecord } from '@ikb/api/src/features/search-log/search-log.recorder';
import { createTeam } from './support/factories';
import { resolvedIncident } from './support/search-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Decision 0011, search analytics: what a search records (and what it must not: who searched),
 * recordSearchOpen under hostile input, and every rollup figure against a brute-force computation
 * over the raw rows.
 */
let t: TestApp;
const recorder = () => searchRecorder(t.app.orm.getMetadata())!;
const flush = () => recorder().flush();

beforeAll(async () => {
  t = await startTestApp({ searchLog: { flushMs: 0 } });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const SEARCH = `query($input: SearchInput!, $first: Int, $after: String) {
  search(input: $input, first: $first, after: $after) { searchId totalCount pageInfo { endCursor } nodes { id kind } } }`;
type Found = {
  search: { searchId: string | null; totalCount: number; pageInfo: { endCursor: string | null }; nodes: { id: string; kind: string }[] };
};
const OPEN = `mutation($input: RecordSearchOpenInput!) { recordSearchOpen(input: $input) }`;

describe('recording a search', () => {
  it('keeps the normalised query, filters, hit count, role and team, never the user', async () => {
    const marker = `zorblax${Math.random().toString(36).slice(2, 7)}`;
    for (let i = 0; i < 3; i++) await resolvedIncident(t, { title: `Printer ${marker} jams ${i}` });
    const team = await createTeam(t);
    const eng = await t.tokenForRole('ENGINEER');
    await t.sql(`update users set team_id = $1 where id = $2`, [team.id, eng.userId]);
    const headers = { authorization: `Bearer ${eng.token}` };
    const r = ok(
      await t.gql<Found>(SEARCH, { input: { query: `  Printer   ${marker.toUpperCase()} `, kinds: ['INCIDENT'] }, first: 2 }, headers),
    );
    expect(r.search.searchId).toMatch(/^[0-9a-f-]{36}$/);
    // The next page is the same search: same id, nothing new recorded.
    const next = ok(
      await t.gql<Found>(SEARCH, { input: { query: `printer ${marker}` }, first: 2, after: r.search.pageInfo.endCursor }, headers),
    );
    expect(next.search.searchId).toBe(r.search.searchId);
    await flush();
    const rows = await t.sql(`select * from search_log.searches where query like $1`, [`%${marker}%`]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ query: `printer ${marker}`, hits: r.search.totalCount, role: 'ENGINEER', team_id: team.id });
    expect(rows[0]!.filters).toEqual({ kinds: ['INCIDENT'] });
    expect(r.search.totalCount).toBe(3);
    // Privacy: no column of the log names a person who searched, and no value is their id.
    const cols = await t.sql<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = 'search_log' and table_name <> 'boosts'`,
    );
    expect(cols.filter((c) => /user|actor|email|name|session|token|address|agent/i.test(c.column_name))).toEqual([]);
    for (const table of ['searches', 'opens', 'daily']) {
      const dump = JSON.stringify(await t.sql(`select * from search_log.${table}`));
      expect(dump).not.toContain(eng.userId);
      expect(dump).not.toContain(eng.email);
    }
  });

  it('an open is recorded once per search and hit, with its position; the rollup counts the first', async () => {
    const marker = `quillet${Math.random().toString(36).slice(2, 7)}`;
    for (let i = 0; i < 4; i++) await resolvedIncident(t, { title: `Badge ${marker} reader ${i}` });
    const s = ok(await t.gql<Found>(SEARCH, { input: { query: `badge ${marker}` }, first: 10 })).search;
    const [a, b] = [s.nodes[2]!, s.nodes[0]!];
    const viewer = await t.tokenForRole('VIEWER');
    const open = (hit: { id: string; kind: string }, position: number) =>
      t.gql<{ recordSearchOpen: boolean }>(
        OPEN,
        { input: { searchId: s.searchId, kind: hit.kind, id: hit.id, position } },
        {
          authorization: `Bearer ${viewer.token}`,
        },
      );
    expect(ok(await open(a, 3)).recordSearchOpen).toBe(true);
    expect(ok(await open(a, 3)).recordSearchOpen).toBe(true);
    await flush();
    expect(ok(await open(b, 1)).recordSearchOpen).toBe(true);
    await flush();
    const opens = await t.sql<{ position: number }>(`select position from search_log.opens where search_id = $1 order by at`, [s.searchId]);
    expect(opens.map((o) => o.position)).toEqual([3, 1]);
    const [day] = await t.sql<{ searches: number; opened: number; rr_sum: number }>(
      `select searches, opened, rr_sum from search_log.daily where query = $1`,
      [`badge ${marker}`],
    );
    expect(day).toEqual({ searches: 1, opened: 1, rr_sum: 1 / 3 });
  });

  it('refuses malformed opens at the edge and drops forged or impossible ones when writing', async () => {
    const s = ok(await t.gql<Found>(SEARCH, { input: { query: 'printer' }, first: 1 })).search;
    const good = { searchId: s.searchId, kind: 'INCIDENT', id: randomUUID(), position: 1 };
    for (const bad of [
      { ...good, position: 0 },
      { ...good, position: -4 },
      { ...good, position: 501 },
      { ...good, position: 2 ** 40 },
      { ...good, position: 1.5 },
      { ...good, searchId: 'not-a-uuid' },
      { ...good, searchId: `${s.searchId}\u0000` },
      { ...good, id: "1' or '1'='1" },
      { ...good, kind: 'USER' },
      { ...good, searchId: 'x'.repeat(100_000) },
    ]) {
      const r = await t.gql(OPEN, { input: bad });
      expect(r.status, JSON.stringify(bad).slice(0, 80)).toBeLessThan(500);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(bad).slice(0, 80)).toBe('BAD_USER_INPUT');
    }
    expect((await t.gql(OPEN, { input: good }, { authorization: '' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Well-formed but forged: an unknown search, a position beyond the search's hits. Accepted, never written.
    const forged = randomUUID();
    ok(await t.gql(OPEN, { input: { ...good, searchId: forged } }));
    ok(await t.gql(OPEN, { input: { ...good, position: s.totalCount + 1 } }));
    for (let i = 0; i < 6; i++) await flush();
    expect(await t.sql(`select * from search_log.opens where search_id in ($1, $2)`, [forged, s.searchId])).toEqual([]);
  });
});

/** A small seeded generator: the same rows every run. */
function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('figures against a brute-force computation over the raw rows', () => {
  const DAY = 86_400_000;
  const base = Date.parse('2026-03-02T00:00:00Z'); // a Monday
  const prefix = `bf${Math.random().toString(36).slice(2, 6)}`;
  type Raw = { id: string; at: number; query: string; hits: number; opens: { position: number; at: number }[] };
  const raw: Raw[] = [];

  beforeAll(async () => {
    const r = rng(42);
    const queries = Array.from({ length: 12 }, (_, i) => `${prefix} q${i}`);
    for (let i = 0; i < 400; i++) {
      const q = queries[Math.floor(r() ** 2 * queries.length)]!;
      // The two rarest queries are gaps: one never finds anything, the other is never opened.
      const hits = r() < 0.25 || q.endsWith(' q11') ? 0 : 1 + Math.floor(r() * 40);
      raw.push({ id: randomUUID(), at: base + Math.floor(r() * 40 * DAY), query: q, hits, opens: [] });
    }
    for (const s of raw) {
      if (!s.hits || r() < 0.4 || s.query.endsWith(' q10')) continue;
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) s.opens.push({ position: 1 + Math.floor(r() * s.hits), at: s.at + (k + 1) * 60_000 });
    }
    const records: SearchRecord[] = raw.map((s) => ({
      id: s.id,
      at: new Date(s.at),
      query: s.query,
      filters: {},
      hits: s.hits,
      role: 'ENGINEER',
      userId: null,
      incidentId: null,
    }));
    const src = t.app.orm.em;
    // In batches, some written twice (a retried batch must not count twice).
    for (let i = 0; i < records.length; i += 90) await writeSearches(src, records.slice(i, i + 120));
    // Opens in the order they were made, in batches that split a search's opens; a duplicate open (double click) too.
    const opens = raw
      .flatMap((s) =>
        s.opens.map((o) => ({ searchId: s.id, kind: 'INCIDENT', itemId: randomUUID(), position: o.position, at: new Date(o.at) })),
      )
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    for (let i = 0; i < opens.length; i += 37) await writeOpens(src, [...opens.slice(i, i + 37), ...opens.slice(i, i + 1)]);
    // The raw rows as stored (the brute force reads them, not what the test meant to write).
    const stored = await t.sql<{ id: string; position: number; at: Date; item_id: string }>(
      `select o.search_id as id, o.position, o.at, o.item_id from search_log.opens o join search_log.searches s on s.id = o.search_id
        where s.query like $1`,
      [`${prefix} %`],
    );
    const byId = new Map(raw.map((s) => [s.id, s]));
    for (const s of raw) s.opens = [];
    for (const o of stored) byId.get(o.id)!.opens.push({ position: o.position, at: new Date(o.at).getTime() });
  });

  const range = { from: new Date(base + 5 * DAY + 3_600_000).toISOString(), to: new Date(base + 33 * DAY).toISOString() };
  const inRange = (s: Raw) => s.at >= base + 5 * DAY && s.at < base + 33 * DAY;
  function perQuery(within: (s: Raw) => boolean = inRange) {
    const m = new Map<string, { searches: number; zero: number; opened: number; rr: number; last: number }>();
    for (const s of raw.filter(within)) {
      const x = m.get(s.query) ?? { searches: 0, zero: 0, opened: 0, rr: 0, last: 0 };
      x.searches++;
      if (s.hits === 0) x.zero++;
      if (s.opens.length) x.opened++;
      x.rr += reciprocalRank(s.opens);
      x.last = Math.max(x.last, Math.floor(s.at / DAY) * DAY);
      m.set(s.query, x);
    }
    return [...m.entries()].sort((a, b) => b[1].searches - a[1].searches || (a[0] < b[0] ? -1 : 1));
  }
  const FIG = `query($range: SearchAnalyticsRange!, $bucket: AnalyticsBucket) { searchAnalytics(range: $range) { from to
    topQueries(first: 100) { query searches zeroHitSearches zeroHitShare searchesWithOpen clickThrough mrr }
    contentGaps(first: 100) { query kind searches zeroHitSearches lastDay }
    mrr(bucket: $bucket) { start end searches searchesWithOpen mrr } } }`;
  type Fig = {
    searchAnalytics: {
      from: string;
      to: string;
      topQueries: {
        query: string;
        searches: number;
        zeroHitSearches: number;
        zeroHitShare: number;
        searchesWithOpen: number;
        clickThrough: number;
        mrr: number;
      }[];
      contentGaps: { query: string; kind: string; searches: number; zeroHitSearches: number; lastDay: string }[];
      mrr: { start: string; end: string; searches: number; searchesWithOpen: number; mrr: number | null }[];
    };
  };
  const mine = <T extends { query: string }>(xs: T[]) => xs.filter((x) => x.query.startsWith(`${prefix} `));

  it('top queries, content gaps: exactly the brute force; three statements', async () => {
    const r = await t.gql<Fig>(FIG, { range, bucket: 'WEEK' });
    const a = ok(r).searchAnalytics;
    expect(a.from).toBe(new Date(base + 5 * DAY).toISOString());
    expect(a.to).toBe(new Date(base + 33 * DAY).toISOString());
    const expected = perQuery();
    expect(mine(a.topQueries).map((q) => [q.query, q.searches, q.zeroHitSearches, q.searchesWithOpen])).toEqual(
      expected.map(([q, x]) => [q, x.searches, x.zero, x.opened]),
    );
    for (const q of mine(a.topQueries)) {
      const x = expected.find(([k]) => k === q.query)![1];
      expect(q.mrr).toBeCloseTo(x.rr / x.searches, 12);
      expect(q.clickThrough).toBeCloseTo(x.opened / x.searches, 12);
      expect(q.zeroHitShare).toBeCloseTo(x.zero / x.searches, 12);
    }
    const gaps = expected
      .filter(([, x]) => x.zero === x.searches || x.opened === 0)
      .map(([q, x]) => [q, x.zero === x.searches ? 'ZERO_RESULTS' : 'NO_CLICK', x.searches, x.zero, new Date(x.last).toISOString()]);
    expect(gaps.length).toBeGreaterThan(0);
    expect(mine(a.contentGaps).map((g) => [g.query, g.kind, g.searches, g.zeroHitSearches, g.lastDay])).toEqual(gaps);
    expect(r.extensions?.sqlStatements).toBeLessThanOrEqual(4);
  });

  it('whole months from the monthly rollup, the edge days from the daily one: the brute force still', async () => {
    for (const [from, to] of [
      ['2026-02-20T00:00:00Z', '2026-04-06T00:00:00Z'],
      ['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'],
      ['2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z'],
      ['2026-03-09T12:00:00Z', '2026-03-20T00:00:00Z'],
    ]) {
      const lo = Math.floor(Date.parse(from) / DAY) * DAY;
      const hi = Date.parse(to);
      const a = ok(await t.gql<Fig>(FIG, { range: { from, to }, bucket: 'MONTH' })).searchAnalytics;
      const expected = perQuery((s) => s.at >= lo && s.at < hi);
      expect(
        mine(a.topQueries).map((q) => [q.query, q.searches, q.zeroHitSearches, q.searchesWithOpen]),
        from,
      ).toEqual(expected.map(([q, x]) => [q, x.searches, x.zero, x.opened]));
      for (const q of mine(a.topQueries)) expect(q.mrr).toBeCloseTo(expected.find(([k]) => k === q.query)![1].rr / q.searches, 12);
      const gaps = expected
        .filter(([, x]) => x.zero === x.searches || x.opened === 0)
        .map(([q, x]) => [q, x.searches, new Date(x.last).toISOString()]);
      expect(
        mine(a.contentGaps).map((g) => [g.query, g.searches, g.lastDay]),
        from,
      ).toEqual(gaps);
    }
  });

  it('MRR per day, week and month: every bucket, each the mean of the reciprocal ranks', async () => {
    // Only this test's queries in the range: the other tests search today, not in March.
    for (const bucket of ['DAY', 'WEEK', 'MONTH'] as const) {
      const a = ok(await t.gql<Fig>(FIG, { range, bucket })).searchAnalytics;
      const starts = a.mrr.map((b) => b.start);
      expect(new Set(starts).size).toBe(starts.length);
      let total = 0;
      for (const b of a.mrr) {
        const lo = Math.max(Date.parse(b.start), base + 5 * DAY);
        const hi = Math.min(Date.parse(b.end), base + 33 * DAY);
        const xs = raw.filter((s) => s.at >= lo && s.at < hi);
        total += xs.length;
        expect([b.searches, b.searchesWithOpen], `${bucket} ${b.start}`).toEqual([xs.length, xs.filter((s) => s.opens.length).length]);
        if (xs.length === 0) expect(b.mrr).toBeNull();
        else expect(b.mrr!).toBeCloseTo(xs.reduce((sum, s) => sum + reciprocalRank(s.opens), 0) / xs.length, 12);
      }
      expect(total).toBe(raw.filter(inRange).length);
      if (bucket === 'DAY') expect(a.mrr).toHaveLength(28);
      if (bucket === 'WEEK') expect(a.mrr.every((b) => new Date(b.start).getUTCDay() === 1)).toBe(true);
    }
  });
});
