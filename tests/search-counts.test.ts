import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synonymListReads } from '@ikb/api/src/features/search-synonyms/search-synonym.cache';
import { createService } from './support/factories';
import { linkIncident, transitionIncident } from './support/knowledge-factories';
import { createProblem, resolvedIncident, searchRaw } from './support/search-factories';
import { ok, startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * Issue 23, search: the headline and the facets count the same thing, hits (the repeats of one
 * problem are one hit), and each facet value's count is exactly what choosing it gives. The records
 * behind the hits are counted apart (recordCount). One SQL statement per search still.
 */

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

type Facet = { value: string; label: string; count: number };
type Facets = Record<'kinds' | 'services' | 'categories' | 'priorities' | 'statuses' | 'periods', Facet[]>;
interface Answer {
  search: { totalCount: number; recordCount: number; totalIsExact: boolean; facets: Facets; nodes: { id: string }[] };
}
const FIELDS = `totalCount recordCount totalIsExact nodes { id }
  facets { kinds { value label count } services { value label count } categories { value label count }
    priorities { value label count } statuses { value label count } periods { value label count } }`;

async function find(input: Record<string, unknown>): Promise<Answer['search'] & { sql: number }> {
  const reads = synonymListReads();
  const r: GqlResult<Answer> = await searchRaw<Answer>(t, input, 50, null, FIELDS);
  return { ...ok(r).search, sql: (r.extensions?.sqlStatements ?? NaN) - (synonymListReads() - reads) };
}

/** A facet value as the filter the search page sends when it is chosen. */
function choose(facet: keyof Facets, value: string): Record<string, unknown> {
  if (facet === 'periods') return { period: value };
  if (facet === 'priorities') return { priorities: [Number(value)] };
  const key = { kinds: 'kinds', services: 'serviceIds', categories: 'categoryIds', statuses: 'statuses' }[facet];
  return { [key]: [value] };
}

describe('what the search counts', () => {
  it('counts hits in the headline and in every facet, and choosing a facet gives exactly its count', async () => {
    const a = await createService(t);
    const b = await createService(t);
    const problem = await createProblem(t, { title: 'Zentrofel lease never released', rootCause: 'The zentrofel lease leaks.' });
    const repeats = [];
    for (let i = 0; i < 3; i++)
      repeats.push(await resolvedIncident(t, { title: `Zentrofel lease stuck ${i}`, serviceId: a.id, impact: 2 }));
    repeats.push(await resolvedIncident(t, { title: 'Zentrofel lease stuck on b', serviceId: b.id, impact: 3 }));
    for (const r of repeats) await linkIncident(t, r.id, problem.id);
    await transitionIncident(t, repeats[0]!.id, { to: 'CLOSED', userConfirmed: true });
    await resolvedIncident(t, { title: 'Zentrofel lease once', serviceId: a.id });
    await resolvedIncident(t, { title: 'Zentrofel lease once more', serviceId: b.id });

    const all = await find({ query: 'zentrofel lease' });
    expect(all.totalIsExact).toBe(true);
    // 4 repeats + the problem are one hit; two single incidents: 3 hits of 7 records.
    expect(all.totalCount).toBe(3);
    expect(all.recordCount).toBe(7);
    expect(all.nodes).toHaveLength(3);
    // Incidents: the group and the two singles (the old count said 6 records here, beside a headline of 3).
    expect(all.facets.kinds.find((k) => k.value === 'INCIDENT')?.count).toBe(3);
    expect(all.facets.services.find((s) => s.value === a.id)?.count).toBe(2);

    let checked = 0;
    for (const facet of Object.keys(all.facets) as (keyof Facets)[])
      for (const v of all.facets[facet]) {
        if (v.count === 0) continue;
        const chosen = await find({ query: 'zentrofel lease', ...choose(facet, v.value) });
        expect(chosen.totalCount, `${facet} ${v.label}`).toBe(v.count);
        expect(chosen.nodes, `${facet} ${v.label}`).toHaveLength(v.count);
        checked++;
      }
    expect(checked).toBeGreaterThanOrEqual(8);

    // With one facet chosen, the others count within it, and choosing a second still gives its count.
    const inA = await find({ query: 'zentrofel lease', serviceIds: [a.id] });
    for (const s of inA.facets.statuses) {
      const both = await find({ query: 'zentrofel lease', serviceIds: [a.id], statuses: [s.value] });
      expect(both.totalCount, s.value).toBe(s.count);
    }
    // One statement per search, facets and grouping included.
    expect(all.sql).toBe(inA.sql);
    expect(all.sql).toBeLessThanOrEqual(2);
  });

  it('groups within each facet value as the filtered search does: split groups, a lone repeat, a record found by its number', async () => {
    const a = await createService(t);
    const b = await createService(t);
    // P1 (on service b): two repeats on a, one on b. P2: one incident only. A single incident on a.
    const p1 = await createProblem(t, { title: 'Quorvath spool jammed', rootCause: 'The quorvath spool jams.', serviceId: b.id });
    const p2 = await createProblem(t, { title: 'Quorvath spool drained', rootCause: 'The quorvath spool drains.' });
    const onA = [];
    for (let i = 0; i < 2; i++) onA.push(await resolvedIncident(t, { title: `Quorvath spool jammed ${i}`, serviceId: a.id, impact: 2 }));
    const onB = await resolvedIncident(t, { title: 'Quorvath spool jammed on b', serviceId: b.id, impact: 3 });
    for (const r of [...onA, onB]) await linkIncident(t, r.id, p1.id);
    const lone = await resolvedIncident(t, { title: 'Quorvath spool drained once', serviceId: b.id, impact: 3 });
    await linkIncident(t, lone.id, p2.id);
    await resolvedIncident(t, { title: 'Quorvath spool single', serviceId: a.id, impact: 2 });

    /** Every facet value (and, within the first value of each facet, every other facet's values) gives its count when chosen. */
    const agree = async (input: Record<string, unknown>) => {
      const all = await find(input);
      expect(all.totalIsExact).toBe(true);
      let checked = 0;
      for (const facet of Object.keys(all.facets) as (keyof Facets)[])
        for (const v of all.facets[facet]) {
          if (v.count === 0) continue;
          const chosen = await find({ ...input, ...choose(facet, v.value) });
          expect(chosen.totalCount, `${JSON.stringify(input)}: ${facet} ${v.label}`).toBe(v.count);
          checked++;
        }
      expect(checked).toBeGreaterThanOrEqual(6);
      return all;
    };
    const count = (fs: Facet[], value: string) => fs.find((f) => f.value === value)?.count ?? 0;

    const all = await agree({ query: 'quorvath spool' });
    // Hits: P1 with its three repeats, P2, its lone incident, the single: 4 (of 7 records).
    expect([all.totalCount, all.recordCount]).toEqual([4, 7]);
    // a: P1's two repeats there are one hit, plus the single. b: P1's one repeat there is not grouped
    // (one of P1's incidents only), P1 itself is on b, and P2's lone incident.
    expect(count(all.facets.services, a.id)).toBe(2);
    expect(count(all.facets.services, b.id)).toBe(3);
    // Incidents: P1's group, P2's lone incident, the single; problems: P1 and P2.
    expect(count(all.facets.kinds, 'INCIDENT')).toBe(3);
    expect(count(all.facets.periods, 'LAST_7_DAYS')).toBe(4);

    // One of P1's repeats on a found by its own number as well: it is a hit of its own, and the
    // other one on a is no longer a repeat there (in all, P1 still has two and stays a group).
    const byNumber = await agree({ query: `quorvath OR ${onA[0]!.number}` });
    expect(count(byNumber.facets.services, a.id)).toBe(3);
    expect(byNumber.totalCount).toBe(5);

    // With a facet chosen, the other facets count within it (the filtered branches add their records).
    const inA = await agree({ query: 'quorvath spool', serviceIds: [a.id] });
    expect(inA.totalCount).toBe(2);
    expect(count(inA.facets.priorities, String(onA[0]!.priority))).toBe(2);
    await agree({ query: 'quorvath spool', kinds: ['INCIDENT'], statuses: ['RESOLVED'] });
  });
});
