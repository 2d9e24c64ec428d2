import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * A new install with the demo seed shows the learning loop (issue 27) through GraphQL: knowledge
 * health by owner with every stale reason, effectiveness with enough votes to judge, workload
 * outside working hours, and search analytics with content gaps, MRR and a search that preceded a
 * new known error.
 */

let t: TestApp;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp({ seedDemo: true });
}, 300_000); // the demo seed replays a year of incidents: slow on a busy machine
afterAll(async () => {
  await t?.close();
});

interface Share {
  n: number;
  k: number;
  low: number | null;
  high: number | null;
  enoughData: boolean;
}
interface Item {
  kind: string;
  title: string;
  state: string;
  attention: string[];
  staleReasons: string[];
  owner: { name: string } | null;
  effectiveness: { helpful: Share; resolvedWithoutReopen: Share };
}
const ITEM = `kind title state attention staleReasons owner { name }
  effectiveness { helpful { n k low high enoughData } resolvedWithoutReopen { n k low high enoughData } }`;

const data = async <T>(query: string, variables?: Record<string, unknown>) => ok(await t.gql<T>(query, variables));

describe('the demo seed shows the learning loop', () => {
  it('knowledge health lists items by owner, stale for each reason, due soon and waiting in review', async () => {
    const { knowledgeHealth: h } = await data<{ knowledgeHealth: { totalCount: number; items: Item[] } }>(
      `query { knowledgeHealth(first: 200) { totalCount items { ${ITEM} } } }`,
    );
    expect(h.totalCount).toBe(h.items.length);
    const owners = new Set(h.items.map((i) => i.owner?.name ?? null));
    expect(owners.size, [...owners].join(', ')).toBeGreaterThanOrEqual(4);
    expect(owners.has(null)).toBe(false);
    const reasons = new Set(h.items.flatMap((i) => i.staleReasons));
    expect([...reasons].sort()).toEqual(['APPLIED_INCIDENT_REOPENED', 'CATEGORY_CHANGED', 'REVIEW_DATE_PASSED', 'SERVICE_CHANGED']);
    const attention = new Set(h.items.flatMap((i) => i.attention));
    expect(attention).toContain('REVIEW_DUE');
    expect(attention).toContain('IN_REVIEW_TOO_LONG');
    expect(new Set(h.items.map((i) => i.kind))).toEqual(new Set(['WORKAROUND', 'KNOWN_ERROR', 'MODEL']));
    // Ordered by owner name: each owner's items together.
    const names = h.items.map((i) => i.owner!.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('workarounds and models carry votes, with a sample of at least 5 and an interval', async () => {
    const d = await data<{ workarounds: { nodes: { knowledge: Item | null }[] }; incidentModels: { nodes: { knowledge: Item | null }[] } }>(
      `query { workarounds(first: 50) { nodes { knowledge { ${ITEM} } } } incidentModels(first: 50) { nodes { knowledge { ${ITEM} } } } }`,
    );
    const items = [...d.workarounds.nodes, ...d.incidentModels.nodes].flatMap((n) => (n.knowledge ? [n.knowledge] : []));
    const voted = items.filter((i) => i.effectiveness.helpful.n > 0);
    expect(voted.filter((i) => i.kind === 'WORKAROUND').length).toBeGreaterThanOrEqual(3);
    expect(voted.filter((i) => i.kind === 'MODEL').length).toBeGreaterThanOrEqual(2);
    const judged = voted.filter((i) => i.effectiveness.helpful.enoughData);
    expect(judged.length).toBeGreaterThan(0);
    for (const i of judged) {
      const h = i.effectiveness.helpful;
      expect(h.n).toBeGreaterThanOrEqual(5);
      expect(h.low!).toBeLessThanOrEqual(h.k / h.n);
      expect(h.high!).toBeGreaterThanOrEqual(h.k / h.n);
    }
    // Not every vote is a yes: some say why not.
    const [{ no, reasons }] = await t.sql(
      `select count(*) filter (where not helpful)::int as no, count(*) filter (where not helpful and reason is not null)::int as reasons
         from knowledge_feedback`,
    );
    expect(no).toBeGreaterThan(0);
    expect(reasons).toBe(no);
  });

  it('workload has a share outside working hours, from team and personal calendars', async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 90 * DAY);
    const { workload } = await data<{
      workload: { totals: { personHours: number; outsideShare: number | null }; people: { calendarSource: string }[] };
    }>(`query($f: AnalyticsFilter!) { workload(filter: $f) { totals { personHours outsideShare } people { calendarSource } } }`, {
      f: { from: from.toISOString(), to: to.toISOString() },
    });
    expect(workload.totals.personHours).toBeGreaterThan(0);
    expect(workload.totals.outsideShare).toBeGreaterThan(0);
    expect(workload.totals.outsideShare).toBeLessThan(1);
    const sources = new Set(workload.people.map((p) => p.calendarSource));
    expect(sources).toContain('TEAM');
    expect(sources).toContain('PERSON');
  });

  it('search analytics has top queries, content gaps of both kinds, MRR over time and a known error preceded by searches', async () => {
    const end = Math.floor(Date.now() / DAY) * DAY + DAY;
    const range = { from: new Date(end - 30 * DAY).toISOString(), to: new Date(end).toISOString() };
    const { searchAnalytics: a } = await data<{
      searchAnalytics: {
        topQueries: { query: string; searches: number; searchesWithOpen: number }[];
        contentGaps: { query: string; kind: string }[];
        mrr: { searches: number; mrr: number | null }[];
        precededKnownErrors: { title: string; searches: number; queries: { query: string }[] }[];
        resolvedWithIt: { opensWithIncident: number; resolvedWithIt: number };
      };
    }>(
      `query($range: SearchAnalyticsRange!) { searchAnalytics(range: $range) {
        topQueries(first: 20) { query searches searchesWithOpen } contentGaps(first: 50) { query kind }
        mrr(bucket: WEEK) { searches mrr } precededKnownErrors { title searches queries { query } }
        resolvedWithIt { opensWithIncident resolvedWithIt } } }`,
      { range },
    );
    expect(a.topQueries.length).toBeGreaterThanOrEqual(10);
    expect(a.topQueries.some((q) => q.searchesWithOpen > 0)).toBe(true);
    const gapKinds = new Set(a.contentGaps.map((g) => g.kind));
    expect(gapKinds).toEqual(new Set(['ZERO_RESULTS', 'NO_CLICK']));
    const weeks = a.mrr.filter((b) => b.searches > 0);
    expect(weeks.length).toBeGreaterThanOrEqual(4);
    // Every week with searches has a rank in [0, 1]; a week just begun (a Monday) may have none opened yet.
    expect(weeks.every((b) => b.mrr !== null && b.mrr >= 0 && b.mrr <= 1)).toBe(true);
    expect(weeks.filter((b) => b.mrr! > 0).length).toBeGreaterThanOrEqual(3);
    expect(a.precededKnownErrors.length).toBeGreaterThan(0);
    expect(a.precededKnownErrors[0]!.searches).toBeGreaterThan(0);
    expect(a.resolvedWithIt.resolvedWithIt).toBeGreaterThan(0);
    // Nobody is named: role and team only.
    const [row] = await t.sql(`select count(*)::int as n, count(team_id)::int as teams from search_log.searches`);
    expect(row.n).toBeGreaterThan(200);
    expect(row.teams).toBe(row.n);
  });
});
