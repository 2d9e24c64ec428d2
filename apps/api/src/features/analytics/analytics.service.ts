import {
  Acc,
  dayToIso,
  durationSummary,
  localDay,
  meanHours,
  METRIC_DEFINITIONS,
  ratio,
  splitRange,
  type Bucket,
  type BucketSpan,
  type SlaTarget,
} from '@ikb/domain';
import { DIM } from './analytics.cells';
import { ms, NONE, withClient, type ConnectionSource } from './analytics.db';
import type { AnalyticsDimension } from './analytics.inputs';
import { loadAnalytics, normalizeFilter, type AnalyticsData, type NormalizedFilter, type Needs, type RawFilter, type Slice } from './analytics.query';
import {
  ActionItemStats,
  Analytics,
  AnalyticsFieldMetric,
  AnalyticsKey,
  Backlog,
  CategoryReuse,
  Cost,
  CostRow,
  DurationBucket,
  DurationStats,
  KeySla,
  KnowledgeItemReuse,
  KnowledgeReuse,
  MeanDuration,
  MetricDefinitionView,
  PriorityDuration,
  PrioritySla,
  RecurringProblem,
  Recurrence,
  ReopenRate,
  ReviewCoverage,
  ServiceMtbf,
  SlaBucket,
  SlaCompliance,
  VolumeBucket,
  VolumeSeries,
} from './analytics.types';

/** Which metric definition each field of Analytics reports. */
export const FIELD_METRICS: Record<string, string> = {
  incidentCount: 'volume',
  volume: 'volume',
  volumeBy: 'volume',
  backlog: 'backlog',
  mtta: 'mtta',
  mttd: 'mttd',
  timeToResolve: 'time-to-resolve',
  businessTimeToResolve: 'time-to-resolve-business',
  mtbf: 'mtbf',
  responseSla: 'sla-compliance',
  resolutionSla: 'sla-compliance',
  recurrence: 'recurrence-rate',
  topRecurringProblems: 'recurring-problems',
  reopenRate: 'reopen-rate',
  knowledgeReuse: 'knowledge-reuse',
  reviewCoverage: 'review-coverage',
  actionItems: 'action-items',
  cost: 'cost',
};

const DIM_NAME: Record<number, AnalyticsDimension> = { [DIM.SERVICE]: 'SERVICE', [DIM.TEAM]: 'TEAM', [DIM.CATEGORY]: 'CATEGORY', [DIM.SUBCATEGORY]: 'SUBCATEGORY' };

function key(view: AnalyticsView, dim: number, value: string): AnalyticsKey {
  return Object.assign(new AnalyticsKey(), { view, dimension: DIM_NAME[dim]!, id: value === NONE ? null : value, priority: null });
}

/** Keys (`value` or `value|value2`) in a stable order: by id, "none" last. */
const byId = (x: string, y: string) => {
  const a = x.split('|')[0]!;
  const b = y.split('|')[0]!;
  if (a === b) return x < y ? -1 : x > y ? 1 : 0;
  return a === NONE ? 1 : b === NONE ? -1 : a < b ? -1 : 1;
};

const n = (acc: Acc, m: Parameters<Acc['get']>[0]) => Math.round(acc.get(m));

/**
 * One request's figures, all from one snapshot (AnalyticsData). Methods are async only for the
 * rare case a field needs data the query document did not show up front (then it is loaded).
 */
export class AnalyticsView {
  constructor(
    public data: AnalyticsData,
    private readonly source: ConnectionSource,
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
      out.set(r.id, { fixedAt: r.fixed_ms === null ? null : new Date(r.fixed_ms), sinceFix: null, actionsDoneAt: r.done_ms === null ? null : new Date(r.done_ms), sinceActions: null });
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
        [pr.id, dayToIso(days[0]), dayToIso(months[0]), dayToIso(months[1]), dayToIso(days[1]), head[0], head[1], tail[0], tail[1]].forEach((v, i) => cols[i]!.push(v));
      }
      const res = await c.query<{ n: number }>(
        `select (select coalesce(sum(r.n), 0) from analytics.rollups r where r.zone = $1 and r.dim = ${DIM.PROBLEM} and r.value = k.p
                   and ((r.grain = 'M' and r.period >= k.m0 and r.period < k.m1)
                     or (r.grain = 'D' and ((r.period >= k.d0 and r.period < k.m0) or (r.period >= k.m1 and r.period < k.d1)))))::float8
              + (select count(*) from analytics.facts f where f.problem_id = k.p
                   and ((f.opened_at > to_timestamp(k.h0 / 1000) and f.opened_at < to_timestamp(k.h1 / 1000))
                     or (f.opened_at >= to_timestamp(k.t0 / 1000) and f.opened_at < to_timestamp(k.t1 / 1000))))::float8 as n
           from unnest($2::uuid[], $3::date[], $4::date[], $5::date[], $6::date[], $7::float8[], $8::float8[], $9::float8[], $10::float8[]) with ordinality
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

// ---- figures ----

export async function analyticsFor(source: ConnectionSource, raw: RawFilter, needs: Needs): Promise<Analytics> {
  const filter = await normalizeFilter(source, raw);
  const data = await loadAnalytics(source, filter, needs);
  const view = new AnalyticsView(data, source);
  const total = await view.total();
  return Object.assign(new Analytics(), {
    view,
    asOf: data.asOf,
    evaluatedAt: data.evaluatedAt,
    pendingChanges: data.pending,
    from: new Date(filter.from),
    to: new Date(filter.to),
    timeZone: filter.zone,
    source: data.source,
    sourceReason: data.reason,
    percentileRelativeError: data.percentileRelativeError,
    incidentCount: n(total, 'n'),
  });
}

export function metricDefinitions(): MetricDefinitionView[] {
  return METRIC_DEFINITIONS.map((d) => Object.assign(new MetricDefinitionView(), d));
}

export function fieldMetrics(): AnalyticsFieldMetric[] {
  return Object.entries(FIELD_METRICS).map(([field, metricId]) => Object.assign(new AnalyticsFieldMetric(), { field, metricId }));
}

export async function volume(view: AnalyticsView, bucket: Bucket): Promise<VolumeBucket[]> {
  return (await view.series(bucket)).map(({ span, acc }) =>
    Object.assign(new VolumeBucket(), { metricId: 'volume', start: new Date(span.start), end: new Date(span.end), count: n(acc, 'n') }),
  );
}

export async function volumeBy(view: AnalyticsView, bucket: Bucket, dimension: AnalyticsDimension): Promise<VolumeSeries[]> {
  const spans = await view.spans(bucket);
  const series = (k: AnalyticsKey, count: (day: number) => number): VolumeSeries => {
    const buckets = spans.map((sp) => Object.assign(new VolumeBucket(), { metricId: 'volume', start: new Date(sp.start), end: new Date(sp.end), count: count(sp.startDay) }));
    return Object.assign(new VolumeSeries(), { metricId: 'volume', key: k, total: buckets.reduce((s, b) => s + b.count, 0), buckets, counts: buckets.map((b) => b.count) });
  };
  if (dimension === 'PRIORITY') {
    const out: VolumeSeries[] = [];
    for (const p of view.data.priorities) {
      const per = new Map((await view.series(bucket, p)).map(({ span, acc }) => [span.startDay, n(acc, 'n')]));
      out.push(series(Object.assign(new AnalyticsKey(), { view, dimension: 'PRIORITY', id: null, priority: p }), (d) => per.get(d) ?? 0));
    }
    return out;
  }
  const dim = { SERVICE: DIM.SERVICE, TEAM: DIM.TEAM, CATEGORY: DIM.CATEGORY, SUBCATEGORY: DIM.SUBCATEGORY }[dimension];
  const values = await view.dimSeries(bucket, dim);
  return [...values.keys()]
    .sort(byId)
    .map((value) => {
      const per = values.get(value)!;
      return series(key(view, dim, value), (d) => {
        const a = per.get(d);
        return a ? n(a, 'n') : 0;
      });
    })
    .filter((s) => s.total > 0);
}

export async function meanDuration(view: AnalyticsView, which: 'ack' | 'det'): Promise<MeanDuration> {
  const [countM, sumM] = which === 'ack' ? (['ackN', 'ackMs'] as const) : (['detN', 'detMs'] as const);
  const byP = await view.byPriority();
  const total = await view.total();
  return Object.assign(new MeanDuration(), {
    metricId: which === 'ack' ? 'mtta' : 'mttd',
    count: n(total, countM),
    meanHours: meanHours(total.get(sumM), total.get(countM)),
    byPriority: [...byP].map(([priority, acc]) => ({ priority, count: n(acc, countM), meanHours: meanHours(acc.get(sumM), acc.get(countM)) })),
  });
}

export async function durationStats(view: AnalyticsView, business: boolean): Promise<DurationStats> {
  const total = await view.total();
  const s = durationSummary(total, business);
  const byP = await view.byPriority();
  return Object.assign(new DurationStats(), {
    view,
    metricId: business ? 'time-to-resolve-business' : 'time-to-resolve',
    business,
    ...s,
    relativeError: view.data.percentileRelativeError,
    byPriority: [...byP].map(([priority, acc]) => Object.assign(new PriorityDuration(), { priority, ...durationSummary(acc, business) })),
  });
}

export async function durationOverTime(view: AnalyticsView, business: boolean, bucket: Bucket): Promise<DurationBucket[]> {
  return (await view.series(bucket)).map(({ span, acc }) => Object.assign(new DurationBucket(), { start: new Date(span.start), end: new Date(span.end), ...durationSummary(acc, business) }));
}

function sla(acc: Acc, target: SlaTarget) {
  const met = n(acc, target === 'RESPONSE' ? 'respMet' : 'resMet');
  const breached = n(acc, target === 'RESPONSE' ? 'respBreached' : 'resBreached');
  return { met, breached, total: met + breached, ratio: ratio(met, met + breached) };
}

export async function slaCompliance(view: AnalyticsView, target: SlaTarget): Promise<SlaCompliance> {
  const total = await view.total();
  const byP = await view.byPriority();
  return Object.assign(new SlaCompliance(), {
    view,
    metricId: 'sla-compliance',
    target,
    ...sla(total, target),
    byPriority: [...byP].map(([priority, acc]) => Object.assign(new PrioritySla(), { priority, ...sla(acc, target) })),
  });
}

export async function slaByDim(view: AnalyticsView, target: SlaTarget, dim: number): Promise<KeySla[]> {
  const totals = await view.dimTotals(dim);
  return [...totals.keys()].sort(byId).map((k) => Object.assign(new KeySla(), { key: key(view, dim, k.split('|')[0]!), ...sla(totals.get(k)!, target) }));
}

export async function slaOverTime(view: AnalyticsView, target: SlaTarget, bucket: Bucket): Promise<SlaBucket[]> {
  return (await view.series(bucket)).map(({ span, acc }) => Object.assign(new SlaBucket(), { start: new Date(span.start), end: new Date(span.end), ...sla(acc, target) }));
}

export async function mtbf(view: AnalyticsView): Promise<ServiceMtbf[]> {
  const totals = await view.dimTotals(DIM.SERVICE);
  return [...totals.keys()]
    .filter((k) => !k.startsWith(NONE))
    .sort(byId)
    .map((k) => {
      const acc = totals.get(k)!;
      return Object.assign(new ServiceMtbf(), { metricId: 'mtbf', key: key(view, DIM.SERVICE, k.split('|')[0]!), gaps: n(acc, 'gapN'), meanHours: meanHours(acc.get('gapMs'), acc.get('gapN')) });
    });
}

export async function recurrence(view: AnalyticsView): Promise<Recurrence> {
  const t = await view.total();
  return Object.assign(new Recurrence(), { metricId: 'recurrence-rate', incidents: n(t, 'n'), recurring: n(t, 'recurring'), rate: ratio(t.get('recurring'), t.get('n')) });
}

export async function topRecurringProblems(view: AnalyticsView, first: number): Promise<RecurringProblem[]> {
  const totals = await view.dimTotals(DIM.PROBLEM);
  return [...totals]
    .map(([k, acc]) => ({ id: k.split('|')[0]!, count: n(acc, 'n'), recurring: n(acc, 'recurring') }))
    .filter((p) => p.count >= 2)
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1))
    .slice(0, first)
    .map((p, _i, all) => Object.assign(new RecurringProblem(), { view, ranked: all.map((x) => x.id), metricId: 'recurring-problems', problemId: p.id, incidentCount: p.count, recurringCount: p.recurring }));
}

export async function reopenRate(view: AnalyticsView): Promise<ReopenRate> {
  const t = await view.total();
  return Object.assign(new ReopenRate(), { metricId: 'reopen-rate', reopened: n(t, 'reopened'), resolved: n(t, 'resolved'), rate: ratio(t.get('reopened'), t.get('resolved')) });
}

function reuseOf(acc: Acc) {
  const resolved = acc.get('resolved');
  const reused = acc.get('reused');
  return {
    resolved: Math.round(resolved),
    reused: Math.round(reused),
    rate: ratio(reused, resolved),
    withReuse: { count: Math.round(reused), meanHours: meanHours(acc.get('reusedTtrMs'), reused) },
    withoutReuse: { count: Math.round(resolved - reused), meanHours: meanHours(acc.get('ttrMs') - acc.get('reusedTtrMs'), resolved - reused) },
  };
}

export async function knowledgeReuse(view: AnalyticsView): Promise<KnowledgeReuse> {
  const t = await view.total();
  return Object.assign(new KnowledgeReuse(), { view, metricId: 'knowledge-reuse', ...reuseOf(t) });
}

export async function reuseByCategory(view: AnalyticsView, dim: number): Promise<CategoryReuse[]> {
  const totals = await view.dimTotals(dim);
  return [...totals.keys()].sort(byId).map((k) => Object.assign(new CategoryReuse(), { key: key(view, dim, k.split('|')[0]!), ...reuseOf(totals.get(k)!) }));
}

export async function reuseByItem(view: AnalyticsView, dim: number): Promise<KnowledgeItemReuse[]> {
  const items = await view.dimTotals(dim);
  const categories = await view.dimTotals(DIM.SUBCATEGORY);
  const baseline = new Map<string, { n: number; ms: number }>();
  for (const [k, acc] of categories) baseline.set(k.split('|')[0]!, { n: acc.get('resolved') - acc.get('reused'), ms: acc.get('ttrMs') - acc.get('reusedTtrMs') });
  const per = new Map<string, { n: number; ms: number; wN: number; wH: number }>();
  for (const [k, acc] of items) {
    const [id, cat] = k.split('|') as [string, string];
    const row = per.get(id) ?? { n: 0, ms: 0, wN: 0, wH: 0 };
    const count = acc.get('resolved');
    row.n += count;
    row.ms += acc.get('ttrMs');
    const b = baseline.get(cat);
    if (b && b.n > 0) {
      row.wN += count;
      row.wH += count * meanHours(b.ms, b.n)!;
    }
    per.set(id, row);
  }
  return [...per.keys()]
    .sort(byId)
    .map((id) => {
      const r = per.get(id)!;
      return Object.assign(new KnowledgeItemReuse(), {
        id,
        kind: dim === DIM.WORKAROUND ? 'WORKAROUND' : 'MODEL',
        incidents: Math.round(r.n),
        meanHours: meanHours(r.ms, r.n),
        sameCategoryWithoutMeanHours: r.wN ? r.wH / r.wN : null,
      });
    });
}

export async function reviewCoverage(view: AnalyticsView): Promise<ReviewCoverage> {
  const t = await view.total();
  return Object.assign(new ReviewCoverage(), { metricId: 'review-coverage', eligible: n(t, 'eligible'), reviewed: n(t, 'reviewed'), ratio: ratio(t.get('reviewed'), t.get('eligible')) });
}

const cents = (acc: Acc) => acc.get('costMc') / 60;

export async function cost(view: AnalyticsView): Promise<Cost> {
  const t = await view.total();
  return Object.assign(new Cost(), { view, metricId: 'cost', cents: cents(t), minutes: t.get('minutes') });
}

export async function costByDim(view: AnalyticsView, dim: number): Promise<CostRow[]> {
  const totals = await view.dimTotals(dim);
  return [...totals.keys()].sort(byId).map((k) => Object.assign(new CostRow(), { key: key(view, dim, k.split('|')[0]!), cents: cents(totals.get(k)!), minutes: totals.get(k)!.get('minutes') }));
}

export async function costByMonth(view: AnalyticsView) {
  return (await view.series('MONTH')).map(({ span, acc }) => ({ start: new Date(span.start), end: new Date(span.end), cents: cents(acc), minutes: acc.get('minutes') }));
}

// ---- live figures (read when the query runs, from the source tables) ----

const OPEN = `('NEW','TRIAGED','INVESTIGATING','ON_HOLD')`;

/** Conditions on incidents i (joined to categories c) for the filter; parameters appended. */
function incidentConditions(f: NormalizedFilter, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts = [`i.opened_at >= to_timestamp(${p(f.from)}::float8 / 1000)`, `i.opened_at < to_timestamp(${p(f.to)}::float8 / 1000)`];
  if (f.serviceIds) parts.push(`i.service_id = any(${p(f.serviceIds)}::uuid[])`);
  if (f.teamIds) parts.push(`i.team_id = any(${p(f.teamIds)}::uuid[])`);
  if (f.tops || f.subs) parts.push(`(coalesce(c.parent_id, i.category_id) = any(${p(f.tops ?? [])}::uuid[]) or i.category_id = any(${p(f.subs ?? [])}::uuid[]))`);
  if (f.priorities) parts.push(`i.priority = any(${p(f.priorities)}::int2[])`);
  return parts.join(' and ');
}

export const BACKLOG_BANDS: { label: string; minDays: number; maxDays: number | null }[] = [
  { label: 'under 1 day', minDays: 0, maxDays: 1 },
  { label: '1-3 days', minDays: 1, maxDays: 3 },
  { label: '3-7 days', minDays: 3, maxDays: 7 },
  { label: '7-30 days', minDays: 7, maxDays: 30 },
  { label: '30 days and more', minDays: 30, maxDays: null },
];

export async function backlog(source: ConnectionSource, view: AnalyticsView): Promise<Backlog> {
  const f = view.filter;
  const now = view.data.evaluatedAt.getTime();
  const params: unknown[] = [];
  const where = incidentConditions(f, params);
  const rows = await withClient(source, async (c) =>
    (
      await c.query<{ priority: number; age_days: number }>(
        // Open incidents are few: find them first (status index), then apply the filters.
        `with i as materialized (select * from incidents where status in ${OPEN})
         select i.priority, (${now}::float8 - extract(epoch from i.opened_at) * 1000) / 86400000 as age_days
           from i left join categories c on c.id = i.category_id where ${where}`,
        params,
      )
    ).rows,
  );
  const bands = BACKLOG_BANDS.map((b) => ({ ...b, count: 0, byPriority: new Map(view.data.priorities.map((p) => [p, 0])) }));
  for (const r of rows) {
    const band = bands.find((b) => r.age_days >= b.minDays && (b.maxDays === null || r.age_days < b.maxDays)) ?? bands[0]!;
    band.count += 1;
    band.byPriority.set(r.priority, (band.byPriority.get(r.priority) ?? 0) + 1);
  }
  return Object.assign(new Backlog(), {
    metricId: 'backlog',
    evaluatedAt: view.data.evaluatedAt,
    open: rows.length,
    byAge: bands.map((b) => ({ label: b.label, minDays: b.minDays, maxDays: b.maxDays, count: b.count, byPriority: [...b.byPriority].map(([priority, count]) => ({ priority, count })) })),
  });
}

export async function actionItems(source: ConnectionSource, view: AnalyticsView): Promise<ActionItemStats> {
  const f = view.filter;
  const params: unknown[] = [];
  const where = incidentConditions(f, params);
  const rows = await withClient(source, async (c) =>
    (
      await c.query<{ status: string; due_date: string; done_ms: number | null }>(
        `select a.status, a.due_date::text as due_date, (extract(epoch from date_trunc('milliseconds', a.done_at)) * 1000)::float8 as done_ms
           from action_items a
          where exists (select 1 from review_incidents ri join incidents i on i.id = ri.incident_id left join categories c on c.id = i.category_id
                         where ri.review_id = a.review_id and ${where})`,
        params,
      )
    ).rows,
  );
  const today = dayToIso(localDay(view.data.evaluatedAt.getTime(), f.zone));
  let done = 0;
  let onTime = 0;
  let open = 0;
  let overdue = 0;
  let wontDo = 0;
  for (const r of rows) {
    if (r.status === 'DONE') {
      done += 1;
      if (r.done_ms !== null && dayToIso(localDay(r.done_ms, f.zone)) <= r.due_date) onTime += 1;
    } else if (r.status === 'WONT_DO') wontDo += 1;
    else {
      open += 1;
      if (r.due_date < today) overdue += 1;
    }
  }
  return Object.assign(new ActionItemStats(), {
    metricId: 'action-items',
    total: rows.length,
    done,
    doneOnTime: onTime,
    doneLate: done - onTime,
    open,
    overdue,
    wontDo,
    onTimeRatio: ratio(onTime, done),
  });
}
