import { expect } from 'vitest';
import { businessMinutesBetween, compileCalendar, type BusinessCalendar } from '../../packages/domain/src/sla';
import type { TestApp } from './test-app';
import { ok } from './test-app';

/**
 * Analytics by brute force: every figure of the `analytics` query recomputed in
 * TypeScript from raw rows of the source tables (incidents, clocks, time entries, reviews, action
 * items, problems), with local dates read straight from Intl. Used to check the API's answers.
 */

// ---- the query --------------------------------------------------------------------------------

const PRIORITY_DURATION = `priority count meanHours medianHours p90Hours`;
const SLA = `metricId met breached total ratio byPriority { priority met breached total ratio }
  byService { key { id } met breached total ratio } byTeam { key { id } met breached total ratio } byCategory { key { id } met breached
    total ratio }
  overTime(bucket: WEEK) { start end met breached total ratio }`;
const REUSE = `resolved reused rate withReuse { count meanHours } withoutReuse { count meanHours }`;

/** Every field of Analytics, buckets of each kind, every breakdown. */
export const DASHBOARD = `query($f: AnalyticsFilter!) { analytics(filter: $f) {
  asOf evaluatedAt pendingChanges source sourceReason percentileRelativeError incidentCount timeZone
  metrics { field metricId }
  volume(bucket: MONTH) { metricId start end count }
  weeks: volume(bucket: WEEK) { start end count }
  days: volume(bucket: DAY) { start end count }
  byPriority: volumeBy(dimension: PRIORITY, bucket: MONTH) { metricId key { dimension id priority name } total buckets { start count } }
  byService: volumeBy(dimension: SERVICE, bucket: WEEK) { key { dimension id name } total buckets { start count } }
  byTeam: volumeBy(dimension: TEAM) { key { id } total buckets { start count } counts }
  byCategory: volumeBy(dimension: CATEGORY) { key { id } total buckets { start count } }
  bySubcategory: volumeBy(dimension: SUBCATEGORY, bucket: DAY) { key { id } total buckets { start count } }
  backlog { metricId open byAge { label count byPriority { priority count } } }
  mtta { metricId count meanHours byPriority { priority count meanHours } }
  mttd { metricId count meanHours byPriority { priority count meanHours } }
  timeToResolve { metricId business count meanHours medianHours p90Hours relativeError byPriority { ${PRIORITY_DURATION} }
    overTime(bucket: MONTH) { start end count meanHours medianHours p90Hours }
    byService { key { id } count meanHours medianHours p90Hours } byTeam { key { id } count meanHours medianHours p90Hours } }
  businessTimeToResolve { metricId business count meanHours medianHours p90Hours relativeError byPriority { ${PRIORITY_DURATION} } }
  mtbf { metricId key { id name } gaps meanHours }
  responseSla { target ${SLA} }
  resolutionSla { target ${SLA} }
  recurrence { metricId incidents recurring rate }
  topRecurringProblems(first: 3) { metricId incidentCount recurringCount recurrencesSinceFix recurrencesSinceActionsDone problem { id
    title } }
  reopenRate { metricId reopened resolved rate }
  knowledgeReuse { metricId ${REUSE}
    byCategory { key { id } ${REUSE} } bySubcategory { key { id } ${REUSE} }
    byWorkaround { id incidents meanHours sameCategoryWithoutMeanHours workaround { id } }
    byModel { id incidents meanHours sameCategoryWithoutMeanHours model { id } } }
  reviewCoverage { metricId eligible reviewed ratio }
  actionItems { metricId total done doneOnTime doneLate open overdue wontDo onTimeRatio }
  cost { metricId currency cents minutes byService { key { id } cents minutes } byCategory { key { id } cents minutes }
    bySubcategory { key { id } cents minutes }
    byMonth { start end cents minutes } }
} }`;

export interface Filter {
  from: string;
  to: string;
  timeZone?: string;
  serviceIds?: string[];
  categoryIds?: string[];
  teamIds?: string[];
  priorities?: number[];
}

/** What tests read of an `analytics` answer by name; `expectMatches` walks the rest. */
export interface Analytics {
  asOf: string;
  evaluatedAt: string;
  pendingChanges: number;
  source: string;
  sourceReason: string | null;
  percentileRelativeError: number;
  incidentCount: number;
  metrics: { field: string; metricId: string }[];
  volume: { metricId: string; start: string; end: string; count: number }[];
  [field: string]: unknown;
}

export async function analytics(t: TestApp, f: Filter, query = DASHBOARD): Promise<Analytics> {
  return ok(await t.gql<{ analytics: Analytics }>(query, { f })).analytics;
}

// ---- raw rows ---------------------------------------------------------------------------------

const ep = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`;

export interface RawIncident {
  id: string;
  opened: number;
  detected: number | null;
  acked: number | null;
  resolved: number | null;
  priority: number;
  service_id: string | null;
  team_id: string | null;
  category_id: string | null;
  category_parent: string | null;
  major: boolean;
  reopen_count: number;
  problem_id: string | null;
  resolution_workaround_id: string | null;
  model_id: string | null;
  sla_policy_version_id: string | null;
  recorded: 'MET' | 'BREACHED' | null;
  status: string;
}

export interface Raw {
  incidents: RawIncident[];
  clocks: { incident_id: string; target: string; verdict: string; state: string; due: number | null }[];
  time: { incident_id: string; minutes: number; rate_cents: number }[];
  coverage: { review_id: string; incident_id: string; status: string }[];
  actionItems: { review_id: string; problem_id: string | null; status: string; due_date: string; done: number | null }[];
  problems: { id: string; title: string; resolved: number | null }[];
  versions: { id: string; calendar: BusinessCalendar | string }[];
  categories: { id: string; parent_id: string | null }[];
}

export async function loadRaw(t: TestApp): Promise<Raw> {
  return {
    incidents:
      await t.sql(`select i.id, ${ep('i.opened_at')} as opened, ${ep('i.detected_at')} as detected, ${ep('i.acknowledged_at')} as acked,
        ${ep('i.resolved_at')} as resolved, i.priority, i.service_id, i.team_id, i.category_id, c.parent_id as category_parent, i.major,
          i.reopen_count,
        i.problem_id, i.resolution_workaround_id, mv.model_id, i.sla_policy_version_id, i.recorded_resolution_sla_verdict as recorded,
          i.status
      from incidents i left join categories c on c.id = i.category_id left join incident_model_versions mv on mv.id = i.model_version_id`),
    clocks: await t.sql(`select incident_id, target, verdict, state, ${ep('due_at')} as due from sla_clocks`),
    time: await t.sql(`select incident_id, minutes, rate_cents from time_entries`),
    coverage: await t.sql(`select ri.review_id, ri.incident_id, r.status from review_incidents ri join reviews r on r.id = ri.review_id`),
    actionItems: await t.sql(
      `select review_id, problem_id, status, due_date::text as due_date, ${ep('done_at')} as done from action_items`,
    ),
    problems: await t.sql(`select id, title, ${ep('resolved_at')} as resolved from problems`),
    versions: await t.sql(`select id, calendar from sla_policy_versions`),
    categories: await t.sql(`select id, parent_id from categories`),
  };
}

// ---- local dates by Intl ------------------------------------------------------------------------

const formats = new Map<string, Intl.DateTimeFormat>();
/** 'YYYY-MM-DD' of the local date of an instant (milliseconds, fraction dropped). */
export function localDate(ms: number, zone: string): string {
  let f = formats.get(zone);
  if (!f) formats.set(zone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(new Date(Math.floor(ms)));
}

const DAY = 86_400_000;
const dateMs = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function bucketOf(date: string, bucket: 'DAY' | 'WEEK' | 'MONTH'): string {
  if (bucket === 'DAY') return date;
  if (bucket === 'MONTH') return `${date.slice(0, 7)}-01`;
  const d = dateMs(date);
  return isoOf(d - ((new Date(d).getUTCDay() + 6) % 7) * DAY);
}

/** Bucket keys of the range, in order. */
export function bucketKeys(from: number, to: number, zone: string, bucket: 'DAY' | 'WEEK' | 'MONTH'): string[] {
  const out: string[] = [];
  const last = localDate(to - 1, zone);
  for (let d = localDate(from, zone); d <= last; d = isoOf(dateMs(d) + DAY)) {
    const k = bucketOf(d, bucket);
    if (out[out.length - 1] !== k) out.push(k);
  }
  return out;
}

// ---- brute force --------------------------------------------------------------------------------

const OPEN = new Set(['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD']);
const H = 3_600_000;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const ratio = (a: number, b: number) => (b ? a / b : null);
/** Nearest rank: the value of rank ceil(p n). */
function quantile(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil(Math.round(p * s.length * 1e9) / 1e9))) - 1]!;
}
function durations(xs: number[]) {
  return {
    count: xs.length,
    meanHours: mean(xs) === null ? null : mean(xs)! / H,
    medianHours: quantile(xs, 0.5) === null ? null : quantile(xs, 0.5)! / H,
    p90Hours: quantile(xs, 0.9) === null ? null : quantile(xs, 0.9)! / H,
  };
}
/** Sorts ids as the API does: by id, "none" (null) last. */
const byKey = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

interface Derived extends RawIncident {
  ttr: number | null; // ms
  biz: number | null; // ms
  resp: 'MET' | 'BREACHED' | null;
  res: 'MET' | 'BREACHED' | null;
  recurring: boolean;
  reused: boolean;
  reviewed: boolean;
  costMc: number;
  minutes: number;
  gap: number | null; // ms
  top: string | null;
}

/** Per-incident derived values, as of `at` (clocks past due count as breached). */
export function derive(raw: Raw, at: number): Map<string, Derived> {
  const cal = new Map<string, BusinessCalendar | null>();
  for (const v of raw.versions) {
    try {
      cal.set(v.id, compileCalendar(typeof v.calendar === 'string' ? JSON.parse(v.calendar) : v.calendar));
    } catch {
      cal.set(v.id, null);
    }
  }
  const clocks = new Map<string, Raw['clocks'][number]>();
  for (const c of raw.clocks) clocks.set(`${c.incident_id}:${c.target}`, c);
  const verdictOf = (id: string, target: string): 'MET' | 'BREACHED' | null => {
    const c = clocks.get(`${id}:${target}`);
    if (!c) return null;
    if (c.verdict === 'MET' || c.verdict === 'BREACHED') return c.verdict;
    return c.state === 'RUNNING' && c.due !== null && c.due <= at ? 'BREACHED' : null;
  };
  const published = new Set(raw.coverage.filter((r) => r.status === 'PUBLISHED').map((r) => r.incident_id));
  const cost = new Map<string, { mc: number; minutes: number }>();
  for (const e of raw.time) {
    const c = cost.get(e.incident_id) ?? { mc: 0, minutes: 0 };
    c.mc += e.minutes * e.rate_cents;
    c.minutes += e.minutes;
    cost.set(e.incident_id, c);
  }
  const firstOfProblem = new Map<string, RawIncident>();
  for (const i of raw.incidents) {
    if (!i.problem_id) continue;
    const f = firstOfProblem.get(i.problem_id);
    if (!f || i.opened < f.opened || (i.opened === f.opened && i.id < f.id)) firstOfProblem.set(i.problem_id, i);
  }
  // MTBF gaps: previous incident on the service in detection order.
  const gap = new Map<string, number | null>();
  const byService = new Map<string, RawIncident[]>();
  for (const i of raw.incidents) if (i.service_id) byService.set(i.service_id, [...(byService.get(i.service_id) ?? []), i]);
  for (const list of byService.values()) {
    const det = (i: RawIncident) => i.detected ?? i.opened;
    list.sort((a, b) => det(a) - det(b) || a.opened - b.opened || (a.id < b.id ? -1 : 1));
    list.forEach((i, k) => {
      const prev = list[k - 1];
      gap.set(i.id, prev && prev.resolved !== null ? Math.max(0, det(i) - prev.resolved) : null);
    });
  }
  const out = new Map<string, Derived>();
  for (const i of raw.incidents) {
    const c = i.sla_policy_version_id ? cal.get(i.sla_policy_version_id) : null;
    const ttr = i.resolved === null ? null : i.resolved - i.opened;
    out.set(i.id, {
      ...i,
      ttr,
      biz: i.resolved !== null && c ? businessMinutesBetween(c, new Date(i.opened), new Date(i.resolved)) * 60_000 : null,
      resp: verdictOf(i.id, 'RESPONSE'),
      res: i.recorded ?? verdictOf(i.id, 'RESOLUTION'),
      recurring: !!i.problem_id && firstOfProblem.get(i.problem_id)!.id !== i.id,
      reused: i.resolved !== null && (!!i.resolution_workaround_id || !!i.model_id),
      reviewed: published.has(i.id),
      costMc: cost.get(i.id)?.mc ?? 0,
      minutes: cost.get(i.id)?.minutes ?? 0,
      gap: gap.get(i.id) ?? null,
      top: i.category_parent ?? i.category_id,
    });
  }
  return out;
}

/** What `DASHBOARD` must answer for the filter, computed from raw rows. */
export function expected(raw: Raw, f: Filter, at: number) {
  const zone = f.timeZone ?? 'UTC';
  const from = Date.parse(f.from);
  const to = Date.parse(f.to);
  const all = derive(raw, at);
  const tops = new Set<string>();
  const subs = new Set<string>();
  if (f.categoryIds) {
    const parent = new Map(raw.categories.map((c) => [c.id, c.parent_id]));
    for (const id of f.categoryIds) (parent.get(id) === null ? tops : subs).add(id);
  }
  const inc = [...all.values()].filter(
    (i) =>
      i.opened >= from &&
      i.opened < to &&
      (!f.serviceIds || (i.service_id !== null && f.serviceIds.includes(i.service_id))) &&
      (!f.teamIds || (i.team_id !== null && f.teamIds.includes(i.team_id))) &&
      (!f.categoryIds || (i.top !== null && tops.has(i.top)) || (i.category_id !== null && subs.has(i.category_id))) &&
      (!f.priorities || f.priorities.includes(i.priority)),
  );
  const priorities = f.priorities ? [...new Set(f.priorities)].sort() : [1, 2, 3, 4, 5];
  const date = (i: Derived) => localDate(i.opened, zone);
  const groupBy = <K>(xs: Derived[], k: (i: Derived) => K) => {
    const m = new Map<K, Derived[]>();
    for (const x of xs) m.set(k(x), [...(m.get(k(x)) ?? []), x]);
    return m;
  };
  const series = (xs: Derived[], bucket: 'DAY' | 'WEEK' | 'MONTH') => {
    const keys = bucketKeys(from, to, zone, bucket);
    const g = groupBy(xs, (i) => bucketOf(date(i), bucket));
    return keys.map((k) => ({ key: k, items: g.get(k) ?? [] }));
  };
  const sla = (xs: Derived[], target: 'resp' | 'res') => {
    const met = xs.filter((i) => i[target] === 'MET').length;
    const breached = xs.filter((i) => i[target] === 'BREACHED').length;
    return { met, breached, total: met + breached, ratio: ratio(met, met + breached) };
  };
  const keyed = <T>(xs: Derived[], k: (i: Derived) => string | null, fn: (items: Derived[]) => T) =>
    [...groupBy(xs, k)].sort(([a], [b]) => byKey(a, b)).map(([id, items]) => ({ key: { id }, ...fn(items) }));
  const dims = {
    service: (i: Derived) => i.service_id,
    team: (i: Derived) => i.team_id,
    category: (i: Derived) => i.top,
    subcategory: (i: Derived) => i.category_id,
  };
  const ttr = (xs: Derived[]) => xs.filter((i) => i.ttr !== null).map((i) => i.ttr!);
  const biz = (xs: Derived[]) => xs.filter((i) => i.biz !== null).map((i) => i.biz!);
  const meanOf = (xs: Derived[], v: (i: Derived) => number | null) => {
    const vals = xs.map(v).filter((x): x is number => x !== null);
    return { count: vals.length, meanHours: mean(vals) === null ? null : mean(vals)! / H };
  };
  const slaBlock = (target: 'resp' | 'res') => ({
    target: target === 'resp' ? 'RESPONSE' : 'RESOLUTION',
    metricId: 'sla-compliance',
    ...sla(inc, target),
    byPriority: priorities.map((p) => ({
      priority: p,
      ...sla(
        inc.filter((i) => i.priority === p),
        target,
      ),
    })),
    byService: keyed(inc, dims.service, (xs) => sla(xs, target)),
    byTeam: keyed(inc, dims.team, (xs) => sla(xs, target)),
    byCategory: keyed(inc, dims.category, (xs) => sla(xs, target)),
    overTime: series(inc, 'WEEK').map((b) => ({ bucket: b.key, ...sla(b.items, target) })),
  });
  const reuse = (xs: Derived[]) => {
    const resolved = xs.filter((i) => i.ttr !== null);
    const reused = resolved.filter((i) => i.reused);
    const not = resolved.filter((i) => !i.reused);
    return {
      resolved: resolved.length,
      reused: reused.length,
      rate: ratio(reused.length, resolved.length),
      withReuse: { count: reused.length, meanHours: mean(ttr(reused)) === null ? null : mean(ttr(reused))! / H },
      withoutReuse: { count: not.length, meanHours: mean(ttr(not)) === null ? null : mean(ttr(not))! / H },
    };
  };
  const baseline = new Map<string | null, number | null>();
  for (const [cat, xs] of groupBy(inc, dims.subcategory)) baseline.set(cat, mean(ttr(xs.filter((i) => !i.reused))));
  const items = (k: (i: Derived) => string | null) =>
    [
      ...groupBy(
        inc.filter((i) => i.ttr !== null && k(i) !== null),
        (i) => k(i)!,
      ),
    ]
      .sort(([a], [b]) => byKey(a, b))
      .map(([id, xs]) => {
        const weighted = xs.filter((i) => baseline.get(i.category_id) !== null && baseline.get(i.category_id) !== undefined);
        return {
          id,
          incidents: xs.length,
          meanHours: mean(ttr(xs))! / H,
          sameCategoryWithoutMeanHours: weighted.length
            ? weighted.reduce((s, i) => s + baseline.get(i.category_id)!, 0) / weighted.length / H
            : null,
        };
      });
  const incIds = new Set(inc.map((i) => i.id));
  const reviews = new Set(raw.coverage.filter((r) => incIds.has(r.incident_id)).map((r) => r.review_id));
  const actions = raw.actionItems.filter((a) => reviews.has(a.review_id));
  const today = localDate(at, zone);
  const done = actions.filter((a) => a.status === 'DONE');
  const onTime = done.filter((a) => a.done !== null && localDate(a.done, zone) <= a.due_date).length;
  const openItems = actions.filter((a) => a.status === 'OPEN' || a.status === 'IN_PROGRESS');
  const bands = [
    ['under 1 day', 0, 1],
    ['1-3 days', 1, 3],
    ['3-7 days', 3, 7],
    ['7-30 days', 7, 30],
    ['30 days and more', 30, Infinity],
  ] as const;
  const backlogItems = inc.filter((i) => OPEN.has(i.status));
  const problemCounts = [
    ...groupBy(
      inc.filter((i) => i.problem_id),
      (i) => i.problem_id!,
    ),
  ]
    .filter(([, xs]) => xs.length >= 2)
    .sort(([a, xa], [b, xb]) => xb.length - xa.length || (a < b ? -1 : 1))
    .slice(0, 3);
  const costOf = (xs: Derived[]) => ({ cents: xs.reduce((s, i) => s + i.costMc, 0) / 60, minutes: xs.reduce((s, i) => s + i.minutes, 0) });
  return {
    incidentCount: inc.length,
    volume: series(inc, 'MONTH').map((b) => ({ bucket: b.key, count: b.items.length })),
    weeks: series(inc, 'WEEK').map((b) => ({ bucket: b.key, count: b.items.length })),
    days: series(inc, 'DAY').map((b) => ({ bucket: b.key, count: b.items.length })),
    byPriority: priorities.map((p) => {
      const s = series(
        inc.filter((i) => i.priority === p),
        'MONTH',
      );
      return {
        key: { dimension: 'PRIORITY', id: null, priority: p, name: `P${p}` },
        total: s.reduce((n, b) => n + b.items.length, 0),
        buckets: s.map((b) => ({ bucket: b.key, count: b.items.length })),
      };
    }),
    byService: volumeBy(inc, dims.service, 'WEEK'),
    byTeam: volumeBy(inc, dims.team, 'MONTH').map((x) => ({ ...x, counts: x.buckets.map((b) => b.count) })),
    byCategory: volumeBy(inc, dims.category, 'MONTH'),
    bySubcategory: volumeBy(inc, dims.subcategory, 'DAY'),
    backlog: {
      metricId: 'backlog',
      open: backlogItems.length,
      byAge: bands.map(([label, lo, hi]) => {
        const xs = backlogItems.filter((i) => (at - i.opened) / DAY >= lo && (at - i.opened) / DAY < hi);
        return {
          label,
          count: xs.length,
          byPriority: priorities.map((p) => ({ priority: p, count: xs.filter((i) => i.priority === p).length })),
        };
      }),
    },
    mtta: {
      metricId: 'mtta',
      ...meanOf(inc, (i) => (i.acked === null ? null : i.acked - i.opened)),
      byPriority: priorities.map((p) => ({
        priority: p,
        ...meanOf(
          inc.filter((i) => i.priority === p),
          (i) => (i.acked === null ? null : i.acked - i.opened),
        ),
      })),
    },
    mttd: {
      metricId: 'mttd',
      ...meanOf(inc, (i) => (i.detected === null ? null : i.opened - i.detected)),
      byPriority: priorities.map((p) => ({
        priority: p,
        ...meanOf(
          inc.filter((i) => i.priority === p),
          (i) => (i.detected === null ? null : i.opened - i.detected),
        ),
      })),
    },
    timeToResolve: {
      metricId: 'time-to-resolve',
      business: false,
      ...durations(ttr(inc)),
      byPriority: priorities.map((p) => ({ priority: p, ...durations(ttr(inc.filter((i) => i.priority === p))) })),
      overTime: series(inc, 'MONTH').map((b) => ({ bucket: b.key, ...durations(ttr(b.items)) })),
      byService: keyed(inc, dims.service, (xs) => durations(ttr(xs))),
      byTeam: keyed(inc, dims.team, (xs) => durations(ttr(xs))),
    },
    businessTimeToResolve: {
      metricId: 'time-to-resolve-business',
      business: true,
      ...durations(biz(inc)),
      byPriority: priorities.map((p) => ({ priority: p, ...durations(biz(inc.filter((i) => i.priority === p))) })),
    },
    mtbf: keyed(
      inc.filter((i) => i.service_id),
      dims.service,
      (xs) => {
        const gaps = xs.filter((i) => i.gap !== null).map((i) => i.gap!);
        return { gaps: gaps.length, meanHours: mean(gaps) === null ? null : mean(gaps)! / H };
      },
    ),
    responseSla: slaBlock('resp'),
    resolutionSla: slaBlock('res'),
    recurrence: {
      metricId: 'recurrence-rate',
      incidents: inc.length,
      recurring: inc.filter((i) => i.recurring).length,
      rate: ratio(inc.filter((i) => i.recurring).length, inc.length),
    },
    topRecurringProblems: problemCounts.map(([id, xs]) => {
      const p = raw.problems.find((x) => x.id === id)!;
      const mine = raw.incidents.filter((i) => i.problem_id === id);
      const doneAt = raw.actionItems
        .filter((a) => a.problem_id === id && a.status === 'DONE' && a.done !== null)
        .reduce<number | null>((m, a) => (m === null || a.done! > m ? a.done! : m), null);
      return {
        metricId: 'recurring-problems',
        incidentCount: xs.length,
        recurringCount: xs.filter((i) => i.recurring).length,
        recurrencesSinceFix: p.resolved === null ? null : mine.filter((i) => i.opened > p.resolved!).length,
        recurrencesSinceActionsDone: doneAt === null ? null : mine.filter((i) => i.opened > doneAt).length,
        problem: { id, title: p.title },
      };
    }),
    reopenRate: {
      metricId: 'reopen-rate',
      reopened: inc.filter((i) => i.reopen_count > 0).length,
      resolved: inc.filter((i) => i.resolved !== null).length,
      rate: ratio(inc.filter((i) => i.reopen_count > 0).length, inc.filter((i) => i.resolved !== null).length),
    },
    knowledgeReuse: {
      metricId: 'knowledge-reuse',
      ...reuse(inc),
      byCategory: keyed(inc, dims.category, reuse),
      bySubcategory: keyed(inc, dims.subcategory, reuse),
      byWorkaround: items((i) => i.resolution_workaround_id).map((x) => ({ ...x, workaround: { id: x.id } })),
      byModel: items((i) => i.model_id).map((x) => ({ ...x, model: { id: x.id } })),
    },
    reviewCoverage: {
      metricId: 'review-coverage',
      eligible: inc.filter((i) => i.major || i.priority <= 2).length,
      reviewed: inc.filter((i) => (i.major || i.priority <= 2) && i.reviewed).length,
      ratio: ratio(
        inc.filter((i) => (i.major || i.priority <= 2) && i.reviewed).length,
        inc.filter((i) => i.major || i.priority <= 2).length,
      ),
    },
    actionItems: {
      metricId: 'action-items',
      total: actions.length,
      done: done.length,
      doneOnTime: onTime,
      doneLate: done.length - onTime,
      open: openItems.length,
      overdue: openItems.filter((a) => a.due_date < today).length,
      wontDo: actions.filter((a) => a.status === 'WONT_DO').length,
      onTimeRatio: ratio(onTime, done.length),
    },
    cost: {
      metricId: 'cost',
      currency: 'EUR',
      ...costOf(inc),
      byService: keyed(inc, dims.service, costOf),
      byCategory: keyed(inc, dims.category, costOf),
      bySubcategory: keyed(inc, dims.subcategory, costOf),
      byMonth: series(inc, 'MONTH').map((b) => ({ bucket: b.key, ...costOf(b.items) })),
    },
  };

  function volumeBy(xs: Derived[], k: (i: Derived) => string | null, bucket: 'DAY' | 'WEEK' | 'MONTH') {
    return [...groupBy(xs, k)]
      .sort(([a], [b]) => byKey(a, b))
      .map(([id, items]) => ({
        key: { id },
        total: items.length,
        buckets: series(items, bucket).map((b) => ({ bucket: b.key, count: b.items.length })),
      }));
  }
}

// ---- comparison ---------------------------------------------------------------------------------

/**
 * Deep comparison of the API's answer with the brute force: counts exactly, means within 1e-6
 * (sums are of milliseconds), percentiles (medianHours, p90Hours) within `percentileError`
 * relative. Expected objects may name a bucket by its local date (`bucket`): the answer's
 * `start` must be the first instant of that date in the zone and `end` the first after the bucket.
 */
export function expectMatches(actual: unknown, exp: unknown, opts: { zone: string; percentileError: number }, path = 'analytics'): void {
  if (exp === null || exp === undefined) {
    expect(actual ?? null, path).toBe(null);
    return;
  }
  if (Array.isArray(exp)) {
    expect(Array.isArray(actual), `${path} is a list`).toBe(true);
    const list = actual as unknown[];
    expect(list.length, `${path}.length`).toBe(exp.length);
    exp.forEach((e, i) => expectMatches(list[i], e, opts, `${path}[${i}]`));
    return;
  }
  if (typeof exp === 'object') {
    const fields = (actual ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(exp)) {
      if (k === 'bucket') {
        const start = Date.parse(fields.start as string);
        expect(localDate(start, opts.zone), `${path}.start is on ${v}`).toBe(v);
        expect(localDate(start - 1, opts.zone) < (v as string), `${path}.start is the first instant of ${v}`).toBe(true);
        if (fields.end !== undefined)
          expect(localDate(Date.parse(fields.end as string) - 1, opts.zone) >= (v as string), `${path}.end`).toBe(true);
        continue;
      }
      expectMatches(fields[k], v, opts, `${path}.${k}`);
    }
    return;
  }
  if (typeof exp === 'number') {
    expect(typeof actual, `${path} (expected ${exp})`).toBe('number');
    const got = actual as number;
    const name = path.split('.').pop()!;
    const rel = /medianHours|p90Hours/.test(name)
      ? opts.percentileError + 1e-6
      : Number.isInteger(exp) && !/Hours|cents|rate|ratio/.test(name)
        ? 0
        : 1e-6;
    if (rel === 0) expect(got, path).toBe(exp);
    // Durations are summed in whole milliseconds: allow 1 ms (in hours) besides the relative error.
    else
      expect(Math.abs(got - exp), `${path}: ${got} vs ${exp}`).toBeLessThanOrEqual(
        rel * Math.abs(exp) + (name.endsWith('Hours') ? 1 / 3_600_000 : 1e-9),
      );
    return;
  }
  expect(actual, path).toEqual(exp);
}

/** Queries the dashboard for `f` and checks every figure against the brute force. */
export async function checkDashboard(t: TestApp, f: Filter, raw?: Raw) {
  const a = await analytics(t, f);
  const r = raw ?? (await loadRaw(t));
  const exp = expected(r, f, Date.parse(a.evaluatedAt));
  expect(a.pendingChanges, 'the rollups are current').toBe(0);
  expectMatches(a, exp, { zone: f.timeZone ?? 'UTC', percentileError: a.percentileRelativeError });
  return a;
}
