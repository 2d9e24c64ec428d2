import { expect } from 'vitest';
import type { TestApp } from './test-app';

/**
 * Brute-force readings of knowledge effectiveness (issue 27) from the raw rows: votes, applications,
 * incidents and their REOPENED events, with a Wilson interval written independently of the domain's.
 * tests/knowledge-feedback*.test.ts compare every figure the API gives against these.
 */
const MIN = 60_000;

export type Kind = 'WORKAROUND' | 'MODEL' | 'KNOWN_ERROR';

export function wilson(k: number, n: number) {
  if (n === 0) return { low: null, high: null };
  const z = 1.959963984540054;
  const p = k / n;
  const a = p + (z * z) / (2 * n);
  const b = z * Math.sqrt((p * (1 - p) + (z * z) / (4 * n)) / n);
  const c = 1 + (z * z) / n;
  return { low: Math.max(0, (a - b) / c), high: Math.min(1, (a + b) / c) };
}
export const med = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Brute force from the raw rows: which incidents the item was applied to, and when first. */
export async function appliedTo(t: TestApp, kind: Kind, id: string): Promise<Map<string, number>> {
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

export async function bruteForce(t: TestApp, kind: Kind, id: string) {
  const votes = await t.sql<{ helpful: boolean }>(`select helpful from knowledge_feedback where kind = $1 and item_id = $2`, [kind, id]);
  const k = votes.filter((v) => v.helpful).length;
  const applied = await appliedTo(t, kind, id);
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

export function expectFigures(got: Record<string, unknown>, want: Record<string, unknown>) {
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
