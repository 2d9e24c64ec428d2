import {
  Acc,
  COST_CURRENCY,
  dayToIso,
  durationSummary,
  localDay,
  meanHours,
  METRIC_DEFINITIONS,
  ratio,
  type Bucket,
  type SlaTarget,
} from '@ikb/domain';
import type { ConnectionSource } from '../../db/internals';
import { DIM } from './analytics.cells';
import { NONE, withClient } from './analytics.db';
import type { AnalyticsDimension } from './analytics.inputs';
import { factConditions, loadAnalytics, normalizeFilter, type Needs, type NormalizedFilter, type RawFilter } from './analytics.query';
import { OPEN_STATUS_SQL } from '../incidents/status-sql';
import { AnalyticsView } from './analytics.view';
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
  KeyDuration,
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

const DIM_NAME: Record<number, AnalyticsDimension> = {
  [DIM.SERVICE]: 'SERVICE',
  [DIM.TEAM]: 'TEAM',
  [DIM.CATEGORY]: 'CATEGORY',
  [DIM.SUBCATEGORY]: 'SUBCATEGORY',
};

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
    const buckets = spans.map((sp) =>
      Object.assign(new VolumeBucket(), {
        metricId: 'volume',
        start: new Date(sp.start),
        end: new Date(sp.end),
        count: count(sp.startDay),
      }),
    );
    return Object.assign(new VolumeSeries(), {
      metricId: 'volume',
      key: k,
      total: buckets.reduce((s, b) => s + b.count, 0),
      buckets,
      counts: buckets.map((b) => b.count),
    });
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
    byPriority: [...byP].map(([priority, acc]) => ({
      priority,
      count: n(acc, countM),
      meanHours: meanHours(acc.get(sumM), acc.get(countM)),
    })),
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

/**
 * Time to resolve per service or team: values with incidents in the range (null figures when none
 * was resolved). The rollup cells keep histograms per dimension only for the filtered set, and
 * the cross breakdowns carry sums alone, so these percentiles come from the facts of the range:
 * exact nearest-rank median and p90 (rank ceil(p x n) in exact numeric, like exactQuantile), in one
 * statement per dimension.
 */
export async function durationByDim(view: AnalyticsView, business: boolean, dim: number): Promise<KeyDuration[]> {
  const f = view.filter;
  const col = dim === DIM.SERVICE ? 'f.service_id' : 'f.team_id';
  const value = business ? 'f.biz_s' : 'f.ttr_s';
  const params: unknown[] = [];
  const where = factConditions(f, params, [f.from, f.to]);
  params.push(NONE);
  const rows = await withClient(
    view.source,
    async (c) =>
      (
        await c.query<{ v: string; n: number; sum_ms: number; p50: number | null; p90: number | null }>(
          `with x as (select coalesce(${col}, $${params.length}::uuid)::text as v, ${value} as t from analytics.facts f where ${where}),
                g as (select v, count(t)::int as n, coalesce(sum(floor(t * 1000 + 0.5)), 0)::float8 as sum_ms from x group by v),
                r as (select v, t, row_number() over (partition by v order by t) as rn from x where t is not null)
           select g.v, g.n, g.sum_ms,
                  (select r.t from r where r.v = g.v and r.rn = ceil(0.5 * g.n::numeric))::float8 as p50,
                  (select r.t from r where r.v = g.v and r.rn = ceil(0.9 * g.n::numeric))::float8 as p90
             from g`,
          params,
        )
      ).rows,
  );
  return rows
    .map((r) => ({ r, k: r.v }))
    .sort((a, b) => byId(a.k, b.k))
    .map(({ r }) =>
      Object.assign(new KeyDuration(), {
        key: key(view, dim, r.v),
        count: r.n,
        meanHours: meanHours(r.sum_ms, r.n),
        medianHours: r.p50 === null ? null : r.p50 / 3600,
        p90Hours: r.p90 === null ? null : r.p90 / 3600,
      }),
    );
}

export async function durationOverTime(view: AnalyticsView, business: boolean, bucket: Bucket): Promise<DurationBucket[]> {
  return (await view.series(bucket)).map(({ span, acc }) =>
    Object.assign(new DurationBucket(), { start: new Date(span.start), end: new Date(span.end), ...durationSummary(acc, business) }),
  );
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
  return [...totals.keys()]
    .sort(byId)
    .map((k) => Object.assign(new KeySla(), { key: key(view, dim, k.split('|')[0]!), ...sla(totals.get(k)!, target) }));
}

export async function slaOverTime(view: AnalyticsView, target: SlaTarget, bucket: Bucket): Promise<SlaBucket[]> {
  return (await view.series(bucket)).map(({ span, acc }) =>
    Object.assign(new SlaBucket(), { start: new Date(span.start), end: new Date(span.end), ...sla(acc, target) }),
  );
}

export async function mtbf(view: AnalyticsView): Promise<ServiceMtbf[]> {
  const totals = await view.dimTotals(DIM.SERVICE);
  return [...totals.keys()]
    .filter((k) => !k.startsWith(NONE))
    .sort(byId)
    .map((k) => {
      const acc = totals.get(k)!;
      return Object.assign(new ServiceMtbf(), {
        metricId: 'mtbf',
        key: key(view, DIM.SERVICE, k.split('|')[0]!),
        gaps: n(acc, 'gapN'),
        meanHours: meanHours(acc.get('gapMs'), acc.get('gapN')),
      });
    });
}

export async function recurrence(view: AnalyticsView): Promise<Recurrence> {
  const t = await view.total();
  return Object.assign(new Recurrence(), {
    metricId: 'recurrence-rate',
    incidents: n(t, 'n'),
    recurring: n(t, 'recurring'),
    rate: ratio(t.get('recurring'), t.get('n')),
  });
}

export async function topRecurringProblems(view: AnalyticsView, first: number): Promise<RecurringProblem[]> {
  const totals = await view.dimTotals(DIM.PROBLEM);
  return [...totals]
    .map(([k, acc]) => ({ id: k.split('|')[0]!, count: n(acc, 'n'), recurring: n(acc, 'recurring') }))
    .filter((p) => p.count >= 2)
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1))
    .slice(0, first)
    .map((p, _i, all) =>
      Object.assign(new RecurringProblem(), {
        view,
        ranked: all.map((x) => x.id),
        metricId: 'recurring-problems',
        problemId: p.id,
        incidentCount: p.count,
        recurringCount: p.recurring,
      }),
    );
}

export async function reopenRate(view: AnalyticsView): Promise<ReopenRate> {
  const t = await view.total();
  return Object.assign(new ReopenRate(), {
    metricId: 'reopen-rate',
    reopened: n(t, 'reopened'),
    resolved: n(t, 'resolved'),
    rate: ratio(t.get('reopened'), t.get('resolved')),
  });
}

function reuseOf(acc: Acc) {
  const resolved = acc.get('resolved');
  const reused = acc.get('reused');
  return {
    resolved: Math.round(resolved),
    reused: Math.round(reused),
    rate: ratio(reused, resolved),
    withReuse: { count: Math.round(reused), meanHours: meanHours(acc.get('reusedTtrMs'), reused) },
    withoutReuse: {
      count: Math.round(resolved - reused),
      meanHours: meanHours(acc.get('ttrMs') - acc.get('reusedTtrMs'), resolved - reused),
    },
  };
}

export async function knowledgeReuse(view: AnalyticsView): Promise<KnowledgeReuse> {
  const t = await view.total();
  return Object.assign(new KnowledgeReuse(), { view, metricId: 'knowledge-reuse', ...reuseOf(t) });
}

export async function reuseByCategory(view: AnalyticsView, dim: number): Promise<CategoryReuse[]> {
  const totals = await view.dimTotals(dim);
  return [...totals.keys()]
    .sort(byId)
    .map((k) => Object.assign(new CategoryReuse(), { key: key(view, dim, k.split('|')[0]!), ...reuseOf(totals.get(k)!) }));
}

export async function reuseByItem(view: AnalyticsView, dim: number): Promise<KnowledgeItemReuse[]> {
  const items = await view.dimTotals(dim);
  const categories = await view.dimTotals(DIM.SUBCATEGORY);
  const baseline = new Map<string, { n: number; ms: number }>();
  for (const [k, acc] of categories)
    baseline.set(k.split('|')[0]!, { n: acc.get('resolved') - acc.get('reused'), ms: acc.get('ttrMs') - acc.get('reusedTtrMs') });
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
  return [...per.keys()].sort(byId).map((id) => {
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
  return Object.assign(new ReviewCoverage(), {
    metricId: 'review-coverage',
    eligible: n(t, 'eligible'),
    reviewed: n(t, 'reviewed'),
    ratio: ratio(t.get('reviewed'), t.get('eligible')),
  });
}

const cents = (acc: Acc) => acc.get('costMc') / 60;

export async function cost(view: AnalyticsView): Promise<Cost> {
  const t = await view.total();
  return Object.assign(new Cost(), { view, metricId: 'cost', currency: COST_CURRENCY, cents: cents(t), minutes: t.get('minutes') });
}

export async function costByDim(view: AnalyticsView, dim: number): Promise<CostRow[]> {
  const totals = await view.dimTotals(dim);
  return [...totals.keys()].sort(byId).map((k) =>
    Object.assign(new CostRow(), {
      key: key(view, dim, k.split('|')[0]!),
      cents: cents(totals.get(k)!),
      minutes: totals.get(k)!.get('minutes'),
    }),
  );
}

export async function costByMonth(view: AnalyticsView) {
  return (await view.series('MONTH')).map(({ span, acc }) => ({
    start: new Date(span.start),
    end: new Date(span.end),
    cents: cents(acc),
    minutes: acc.get('minutes'),
  }));
}

// ---- live figures (read when the query runs, from the source tables) ----

const OPEN = OPEN_STATUS_SQL;

/** Conditions on incidents i (joined to categories c) for the filter; parameters appended. */
export function incidentConditions(f: NormalizedFilter, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts = [`i.opened_at >= to_timestamp(${p(f.from)}::float8 / 1000)`, `i.opened_at < to_timestamp(${p(f.to)}::float8 / 1000)`];
  if (f.serviceIds) parts.push(`i.service_id = any(${p(f.serviceIds)}::uuid[])`);
  if (f.teamIds) parts.push(`i.team_id = any(${p(f.teamIds)}::uuid[])`);
  if (f.tops || f.subs)
    parts.push(
      `(coalesce(c.parent_id, i.category_id) = any(${p(f.tops ?? [])}::uuid[]) or i.category_id = any(${p(f.subs ?? [])}::uuid[]))`,
    );
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
  const rows = await withClient(
    source,
    async (c) =>
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
    byAge: bands.map((b) => ({
      label: b.label,
      minDays: b.minDays,
      maxDays: b.maxDays,
      count: b.count,
      byPriority: [...b.byPriority].map(([priority, count]) => ({ priority, count })),
    })),
  });
}

export async function actionItems(source: ConnectionSource, view: AnalyticsView): Promise<ActionItemStats> {
  const f = view.filter;
  const params: unknown[] = [];
  const where = incidentConditions(f, params);
  const rows = await withClient(
    source,
    async (c) =>
      (
        await c.query<{ status: string; due_date: string; done_ms: number | null }>(
          `select a.status, a.due_date::text as due_date,
                  (extract(epoch from date_trunc('milliseconds', a.done_at)) * 1000)::float8 as done_ms
           from action_items a
          where exists (select 1 from review_incidents ri join incidents i on i.id = ri.incident_id
                         left join categories c on c.id = i.category_id
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
