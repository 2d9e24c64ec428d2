// The leadership dashboard's state, all of it in the URL: range (a preset or from/to local dates),
// time zone, bucket size, what the volume chart stacks by, and the filters (service, category, team,
// priority). Shared by the server page and the links a chart point opens.
import type { AnalyticsBucket, AnalyticsFilter } from '@/gql/graphql';
import type { SearchParams } from './params';
import type { Result } from './server';
import { many } from './params';
import {
  DASHBOARD_RANGES,
  DASHBOARD_STACKS,
  addDays,
  dashboardQuery,
  parseDashboardView,
  todayIn,
  type DashboardRangeKey,
  type DashboardStackKey,
  type DashboardView,
} from '@ikb/domain';

export { addDays, todayIn };

export const RANGES = DASHBOARD_RANGES;
export type RangeKey = DashboardRangeKey;

export const BUCKETS: Record<AnalyticsBucket, string> = { DAY: 'Day', WEEK: 'Week (from Monday)', MONTH: 'Month' };
export const STACKS = DASHBOARD_STACKS;
export type StackKey = DashboardStackKey;

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

export type DashboardState = DashboardView;

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

/** The dashboard's view from its URL; what cannot be read falls back to the default (an old link still opens). */
export function parseDashboardState(sp: SearchParams, now = new Date()): DashboardState {
  return parseDashboardView({ all: (k) => many(sp, k) }, now).view;
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

/** The page's filter, or a 400 naming the dates when they are not real ones. */
export function filterFrom(sp: SearchParams): Result<{ filter: AnalyticsFilter; bucket: AnalyticsBucket }> {
  const s = parseDashboardState(sp);
  try {
    return { data: { filter: analyticsFilter(s), bucket: s.bucket } };
  } catch {
    return { error: `"${s.from}" to "${s.to}" is not a range of real dates`, status: 400, codes: ['BAD_REQUEST'] };
  }
}

/** The dashboard URL for a state (used by the controls' links). */
export function dashboardHref(s: DashboardState, patch: Partial<DashboardState> = {}): string {
  const qs = dashboardQuery({ ...s, ...patch });
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
