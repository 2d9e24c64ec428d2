import { Acc, dayToIso, splitRange, type Bucket, type BucketSpan } from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { DIM } from './analytics.cells';
import { ms, withClient } from './analytics.db';
import { loadAnalytics, type AnalyticsData, type NormalizedFilter, type Needs, type Slice } from './analytics.query';

/**
 * One request's figures, all from one snapshot (AnalyticsData). Methods are async only for the
 * rare case a field needs data the query document did not show up front (then it is loaded).
 */
export class AnalyticsView {
  constructor(
    public data: AnalyticsData,
    readonly source: ConnectionSource,
  ) {}

  get filter(): NormalizedFilter {
    return this.data.filter;
  }

  private async slice(kind: Bucket, dims: number[] = []): Promise<Slice> {
    const have = this.data.slices.get(kind);
    const avail = this.data.available.get(kind);
    if (have && avail && dims.every((d) => avail.has(d))) return have;
    const needs: Needs = { kinds: new Map([[kind, new Set([...(avail ?? []), ...dims])]]) };
    if (!needs.kinds.has('MONTH')) needs.kinds.set('MONTH', new Set());
    const more = await loadAnalytics(this.source, this.filter, needs);
    this.data.slices.set(kind, more.slices.get(kind)!);
    this.data.available.set(kind, more.available.get(kind)!);
    return more.slices.get(kind)!;
  }

  private exact(): boolean {
    return this.data.source === 'SCAN';
  }

  /** Sums are shared by many fields: each is computed once per request (callers never mutate them). */
  private readonly memo = new Map<string, Promise<unknown>>();
  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) this.memo.set(key, (p = fn()));
    return p;
  }

  /** Range totals per priority (every priority of the filter, empty ones included). */
  byPriority(): Promise<Map<number, Acc>> {
    return this.once('byPriority', () => this.computeByPriority());
  }

  private async computeByPriority(): Promise<Map<number, Acc>> {
    const s = await this.slice('MONTH');
    const out = new Map(this.data.priorities.map((p) => [p, new Acc(this.exact())]));
    for (const [k, acc] of s.base) {
      const p = Number(k.split('|')[0]);
      out.get(p)?.add(acc);
    }
    return out;
  }

  total(): Promise<Acc> {
    return this.once('total', async () => {
      const t = new Acc(this.exact());
      for (const acc of (await this.byPriority()).values()) t.add(acc);
      return t;
    });
  }

  /** Per bucket (every bucket of the range), summed over priorities or for one priority. */
  series(kind: Bucket, priority?: number): Promise<{ span: BucketSpan; acc: Acc }[]> {
    return this.once(`series|${kind}|${priority ?? ''}`, () => this.computeSeries(kind, priority));
  }

  private async computeSeries(kind: Bucket, priority?: number): Promise<{ span: BucketSpan; acc: Acc }[]> {
    const s = await this.slice(kind);
    const byBucket = new Map<number, Acc>(s.spans.map((sp) => [sp.startDay, new Acc(this.exact())]));
    for (const [k, acc] of s.base) {
      const [p, b] = k.split('|').map(Number);
      if (priority !== undefined && p !== priority) continue;
      byBucket.get(b!)?.add(acc);
    }
    return s.spans.map((span) => ({ span, acc: byBucket.get(span.startDay)! }));
  }

  /** Range totals of a breakdown dimension: `${value}|${value2}` -> Acc. */
  dimTotals(dim: number): Promise<Map<string, Acc>> {
    return this.once(`dimTotals|${dim}`, () => this.computeDimTotals(dim));
  }

  private async computeDimTotals(dim: number): Promise<Map<string, Acc>> {
    const s = await this.slice('MONTH', [dim]);
    const out = new Map<string, Acc>();
    for (const [k, acc] of s.dims.get(dim) ?? []) {
      const [value, value2] = k.split('|');
      const id = `${value}|${value2}`;
      let t = out.get(id);
      if (!t) out.set(id, (t = new Acc(this.exact())));
      t.add(acc);
    }
    for (const [k, acc] of out) if (acc.get('n') <= 0) out.delete(k);
    return out;
  }

  /** A breakdown dimension per bucket: value -> bucket day -> Acc. */
  dimSeries(kind: Bucket, dim: number): Promise<Map<string, Map<number, Acc>>> {
    return this.once(`dimSeries|${kind}|${dim}`, () => this.computeDimSeries(kind, dim));
  }

  private async computeDimSeries(kind: Bucket, dim: number): Promise<Map<string, Map<number, Acc>>> {
    const s = await this.slice(kind, [dim]);
    const out = new Map<string, Map<number, Acc>>();
    for (const [k, acc] of s.dims.get(dim) ?? []) {
      const [value, , b] = k.split('|');
      let m = out.get(value!);
      if (!m) out.set(value!, (m = new Map()));
      const bucket = Number(b);
      let t = m.get(bucket);
      if (!t) m.set(bucket, (t = new Acc()));
      t.add(acc);
    }
    return out;
  }

  async spans(kind: Bucket): Promise<BucketSpan[]> {
    return (await this.slice(kind)).spans;
  }

  /** Names of services, teams and categories: one small query per request. */
  names(): Promise<Map<string, string>> {
    return this.once('names', () =>
      withClient(this.source, async (c) => {
        const { rows } = await c.query<{ id: string; name: string }>(
          `select id, name from services union all select id, name from teams union all select id, name from categories`,
        );
        return new Map(rows.map((r) => [r.id, r.name]));
      }),
    );
  }

  private since: Promise<Map<string, ProblemSince>> | null = null;
  /** Recurrences since fix / actions done of the problems `ids` (computed once per request). */
  problemSince(ids: string[]): Promise<Map<string, ProblemSince>> {
    this.since ??= problemSince(this.source, this.data, ids);
    return this.since;
  }
}

export interface ProblemSince {
  fixedAt: Date | null;
  sinceFix: number | null;
  actionsDoneAt: Date | null;
  sinceActions: number | null;
}

/**
 * Incidents of each problem opened after its fix (resolvedAt) and after the last of its action
 * items was done, over all time: summed from the zone's PROBLEM cells (whole months and days)
 * plus the facts of the cut days, instead of counting the problem's incidents one by one.
 */
async function problemSince(source: ConnectionSource, data: AnalyticsData, ids: string[]): Promise<Map<string, ProblemSince>> {
  const out = new Map<string, ProblemSince>();
  if (!ids.length) return out;
  return withClient(source, async (c) => {
    const { rows } = await c.query<{ id: string; fixed_ms: number | null; done_ms: number | null }>(
      `select p.id, ${ms('p.resolved_at')} as fixed_ms,
         (select ${ms('max(a.done_at)')} from action_items a where a.problem_id = p.id and a.status = 'DONE') as done_ms
       from problems p where p.id = any($1::uuid[])`,
      [ids],
    );
    const zone = data.filter.zone;
    const built = data.source === 'ROLLUP' ? [1] : (await c.query(`select 1 from analytics.zones where zone = $1`, [zone])).rows;
    const until = Date.now() + 2 * 86_400_000;
    const pairs: { id: string; after: number; key: 'fix' | 'actions' }[] = [];
    for (const r of rows) {
      out.set(r.id, {
        fixedAt: r.fixed_ms === null ? null : new Date(r.fixed_ms),
        sinceFix: null,
        actionsDoneAt: r.done_ms === null ? null : new Date(r.done_ms),
        sinceActions: null,
      });
      if (r.fixed_ms !== null) pairs.push({ id: r.id, after: r.fixed_ms, key: 'fix' });
      if (r.done_ms !== null) pairs.push({ id: r.id, after: r.done_ms, key: 'actions' });
    }
    if (!pairs.length) return out;
    let counts: number[];
    if (built.length) {
      const cols: unknown[][] = [[], [], [], [], [], [], [], [], []];
      for (const pr of pairs) {
        const sp = splitRange(pr.after, Math.max(until, pr.after + 1), zone);
        const days = sp.days ?? [0, 0];
        const months = sp.months ?? [days[1], days[1]];
        const head = sp.head ?? [pr.after, pr.after];
        const tail = sp.tail ?? [pr.after, pr.after];
        [pr.id, dayToIso(days[0]), dayToIso(months[0]), dayToIso(months[1]), dayToIso(days[1]), head[0], head[1], tail[0], tail[1]].forEach(
          (v, i) => cols[i]!.push(v),
        );
      }
      const res = await c.query<{ n: number }>(
        `select (select coalesce(sum(r.n), 0) from analytics.rollups r where r.zone = $1 and r.dim = ${DIM.PROBLEM} and r.value = k.p
                   and ((r.grain = 'M' and r.period >= k.m0 and r.period < k.m1)
                     or (r.grain = 'D' and ((r.period >= k.d0 and r.period < k.m0) or (r.period >= k.m1 and r.period < k.d1)))))::float8
              + (select count(*) from analytics.facts f where f.problem_id = k.p
                   and ((f.opened_at > to_timestamp(k.h0 / 1000) and f.opened_at < to_timestamp(k.h1 / 1000))
                     or (f.opened_at >= to_timestamp(k.t0 / 1000) and f.opened_at < to_timestamp(k.t1 / 1000))))::float8 as n
           from unnest($2::uuid[], $3::date[], $4::date[], $5::date[], $6::date[],
                       $7::float8[], $8::float8[], $9::float8[], $10::float8[]) with ordinality
             as k(p, d0, m0, m1, d1, h0, h1, t0, t1, i) order by k.i`,
        [zone, ...cols],
      );
      counts = res.rows.map((r) => r.n);
    } else {
      const res = await c.query<{ n: number }>(
        `select (select count(*) from analytics.facts f where f.problem_id = k.p and f.opened_at > to_timestamp(k.a / 1000))::float8 as n
           from unnest($1::uuid[], $2::float8[]) with ordinality as k(p, a, i) order by k.i`,
        [pairs.map((x) => x.id), pairs.map((x) => x.after)],
      );
      counts = res.rows.map((r) => r.n);
    }
    pairs.forEach((pr, i) => {
      const o = out.get(pr.id)!;
      if (pr.key === 'fix') o.sinceFix = Math.round(counts[i]!);
      else o.sinceActions = Math.round(counts[i]!);
    });
    return out;
  });
}
