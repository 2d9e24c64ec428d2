// The leadership dashboard's state, all of it in the URL: range (a preset or from/to local dates),
// time zone, bucket size, what the volume chart stacks by, and the filters (service, category, team,
// priority). Shared by the server page and the links a chart point opens.
import type { AnalyticsBucket, AnalyticsFilter } from '@/gql/graphql';
import type { SearchParams } from './params';
import { many, one } from './params';

export const RANGES = {
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  '12m': 'Last 12 months',
  ytd: 'This year',
  custom: 'Custom dates',
} as const;
export type RangeKey = keyof typeof RANGES;

export const BUCKETS: Record<AnalyticsBucket, string> = { DAY: 'Day', WEEK: 'Week (from Monday)', MONTH: 'Month' };
export const STACKS = { priority: 'Priority', category: 'Category' } as const;
export type StackKey = keyof typeof STACKS;

export const TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
];

export interface DashboardState {
  range: RangeKey;
  /** Local dates in the time zone, YYYY-MM-DD; `to` is the last day included. */
  from: string;
  to: string;
  timeZone: string;
  bucket: AnalyticsBucket;
  bucketChosen: boolean;
  stack: StackKey;
  serviceIds: string[];
  categoryIds: string[];
  teamIds: string[];
  priorities: number[];
}

function validZone(tz: string | undefined): string | null {
  if (!tz) return null;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** Milliseconds the zone is ahead of UTC at this instant. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

/** The instant local midnight starts a date in a time zone. */
export function localMidnight(date: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`);
  let t = guess - offsetMs(guess, timeZone);
  t = guess - offsetMs(t, timeZone);
  return new Date(t);
}

export function parseDashboardState(sp: SearchParams, now = new Date()): DashboardState {
  const timeZone = validZone(one(sp, 'tz')) ?? 'UTC';
  const today = todayIn(timeZone, now);
  const rangeParam = one(sp, 'range');
  let range: RangeKey = rangeParam && rangeParam in RANGES ? (rangeParam as RangeKey) : '12m';
  let from: string;
  let to = today;
  const f = one(sp, 'from');
  const t = one(sp, 'to');
  if (range === 'custom' || (!rangeParam && f && DATE.test(f))) {
    range = 'custom';
    from = f && DATE.test(f) ? f : addMonths(today, -12);
    to = t && DATE.test(t) ? t : today;
    if (to < from) [from, to] = [to, from];
  } else if (range === '30d') from = addDays(today, -29);
  else if (range === '90d') from = addDays(today, -89);
  else if (range === 'ytd') from = `${today.slice(0, 4)}-01-01`;
  else from = addDays(addMonths(today, -12), 1);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  const bucketParam = one(sp, 'bucket');
  const bucketChosen = bucketParam === 'DAY' || bucketParam === 'WEEK' || bucketParam === 'MONTH';
  // Not too many bars: days up to 6 weeks, weeks up to about 7 months, months beyond.
  let bucket: AnalyticsBucket = bucketChosen ? (bucketParam as AnalyticsBucket) : days <= 42 ? 'DAY' : days <= 210 ? 'WEEK' : 'MONTH';
  if (bucket === 'DAY' && days > 400) bucket = 'WEEK';
  const stackParam = one(sp, 'stack');
  return {
    range,
    from,
    to,
    timeZone,
    bucket,
    bucketChosen,
    stack: stackParam === 'category' ? 'category' : 'priority',
    serviceIds: many(sp, 'service'),
    categoryIds: many(sp, 'category'),
    teamIds: many(sp, 'team'),
    priorities: many(sp, 'priority')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n >= 1 && n <= 5),
  };
}

export function analyticsFilter(s: DashboardState): AnalyticsFilter {
  return {
    from: localMidnight(s.from, s.timeZone).toISOString(),
    to: localMidnight(addDays(s.to, 1), s.timeZone).toISOString(),
    timeZone: s.timeZone,
    ...(s.serviceIds.length ? { serviceIds: s.serviceIds } : {}),
    ...(s.categoryIds.length ? { categoryIds: s.categoryIds } : {}),
    ...(s.teamIds.length ? { teamIds: s.teamIds } : {}),
    ...(s.priorities.length ? { priorities: s.priorities } : {}),
  };
}

/** The dashboard URL for a state (used by the controls' links). */
export function dashboardHref(s: DashboardState, patch: Partial<DashboardState> = {}): string {
  const n = { ...s, ...patch };
  const p = new URLSearchParams();
  if (n.range === 'custom') {
    p.set('range', 'custom');
    p.set('from', n.from);
    p.set('to', n.to);
  } else if (n.range !== '12m') p.set('range', n.range);
  if (n.timeZone !== 'UTC') p.set('tz', n.timeZone);
  if (n.bucketChosen) p.set('bucket', n.bucket);
  if (n.stack !== 'priority') p.set('stack', n.stack);
  if (n.serviceIds.length) p.set('service', n.serviceIds.join(','));
  if (n.categoryIds.length) p.set('category', n.categoryIds.join(','));
  if (n.teamIds.length) p.set('team', n.teamIds.join(','));
  if (n.priorities.length) p.set('priority', n.priorities.join(','));
  const qs = p.toString();
  return qs ? `/dashboard?${qs}` : '/dashboard';
}

/**
 * The incident register filtered to what a chart point stands for: the dashboard's filters, the
 * point's opened range, and its own dimension (a priority, a category, a service, a problem).
 */
export function incidentsHref(
  s: DashboardState,
  point: {
    from?: string;
    to?: string;
    priority?: number | null;
    serviceId?: string | null;
    categoryId?: string | null;
    problemId?: string | null;
    status?: readonly string[];
  } = {},
): string {
  const p = new URLSearchParams();
  p.set('from', point.from ?? localMidnight(s.from, s.timeZone).toISOString());
  p.set('to', point.to ?? localMidnight(addDays(s.to, 1), s.timeZone).toISOString());
  const priorities = point.priority != null ? [point.priority] : s.priorities;
  if (priorities.length) p.set('priority', priorities.join(','));
  const services = point.serviceId ? [point.serviceId] : s.serviceIds;
  if (services.length) p.set('service', services.join(','));
  const categories = point.categoryId ? [point.categoryId] : s.categoryIds;
  if (categories.length) p.set('category', categories.join(','));
  if (s.teamIds.length) p.set('team', s.teamIds.join(','));
  if (point.problemId) p.set('problem', point.problemId);
  if (point.status?.length) p.set('status', point.status.join(','));
  return `/incidents?${p.toString()}`;
}

/** A bucket's label in the dashboard's time zone: "27 Nov", "w/c 24 Nov", "Nov 2026". */
export function bucketLabel(startIso: string, bucket: AnalyticsBucket, timeZone: string): string {
  const d = new Date(startIso);
  if (bucket === 'MONTH') return new Intl.DateTimeFormat('en-GB', { timeZone, month: 'short', year: 'numeric' }).format(d);
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }).format(d);
  return bucket === 'WEEK' ? `w/c ${day}` : day;
}

export function formatDayRange(from: string, to: string): string {
  const f = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
  return `${f.format(new Date(`${from}T00:00:00Z`))} – ${f.format(new Date(`${to}T00:00:00Z`))}`;
}
