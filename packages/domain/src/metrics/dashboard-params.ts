// The dashboard's view as URL parameters: range (a preset or from/to local dates), time zone,
// bucket, what the volume chart stacks by, and the filters. One grammar for the web page (which
// ignores what it cannot read, so an old link still opens) and the API's CSV exports (which say
// which parameter was wrong, since a script would otherwise export the wrong range quietly).
import { BUCKETS, type Bucket } from './time-buckets';

export const DASHBOARD_RANGES = {
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  '12m': 'Last 12 months',
  ytd: 'This year',
  custom: 'Custom dates',
} as const;
export type DashboardRangeKey = keyof typeof DASHBOARD_RANGES;
export const DASHBOARD_STACKS = { priority: 'Priority', category: 'Category' } as const;
export type DashboardStackKey = keyof typeof DASHBOARD_STACKS;

/** The parameters the dashboard's URL may hold. */
export const DASHBOARD_PARAMS = ['range', 'from', 'to', 'tz', 'bucket', 'stack', 'service', 'category', 'team', 'priority'] as const;

export interface DashboardView {
  range: DashboardRangeKey;
  /** Local dates in the time zone, YYYY-MM-DD; `to` is the last day included. */
  from: string;
  to: string;
  timeZone: string;
  bucket: Bucket;
  bucketChosen: boolean;
  stack: DashboardStackKey;
  serviceIds: string[];
  categoryIds: string[];
  teamIds: string[];
  priorities: number[];
}

export interface ParamProblem {
  param: string;
  message: string;
}

/** Reads one parameter's values (repeats and commas both allowed); `one` reads the first. */
export interface ParamSource {
  all(key: string): string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest range a view may cover: the analytics keep cells by day, and ten years is already far more than a chart shows. */
export const DASHBOARD_MAX_DAYS = 3660;

export function validTimeZone(tz: string | undefined): string | null {
  if (!tz || tz.length > 64) return null;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD that names a real day (not 2026-02-30, not year 0). */
export function isRealDate(s: string | undefined): boolean {
  if (!s || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= '1970-01-01';
}

/**
 * The view a URL asks for, and what in it could not be read. Lenient callers use the view (each
 * unreadable part falls back to its default); strict ones refuse when `problems` is not empty.
 */
export function parseDashboardView(src: ParamSource, now = new Date()): { view: DashboardView; problems: ParamProblem[] } {
  const problems: ParamProblem[] = [];
  const first = (k: string) => src.all(k)[0]?.trim() || undefined;
  const list = (k: string) =>
    src
      .all(k)
      .flatMap((x) => x.split(','))
      .map((x) => x.trim())
      .filter(Boolean);
  const tzParam = first('tz');
  const timeZone = validTimeZone(tzParam) ?? 'UTC';
  if (tzParam && timeZone !== tzParam) problems.push({ param: 'tz', message: `"${tzParam.slice(0, 64)}" is not an IANA time zone` });
  const today = todayIn(timeZone, now);
  const rangeParam = first('range');
  if (rangeParam && !(rangeParam in DASHBOARD_RANGES))
    problems.push({ param: 'range', message: `"${rangeParam.slice(0, 40)}" is not one of ${Object.keys(DASHBOARD_RANGES).join(', ')}` });
  let range: DashboardRangeKey = rangeParam && rangeParam in DASHBOARD_RANGES ? (rangeParam as DashboardRangeKey) : '12m';
  const f = first('from');
  const t = first('to');
  for (const [param, v] of [
    ['from', f],
    ['to', t],
  ] as const)
    if (v !== undefined && !isRealDate(v)) problems.push({ param, message: `"${v.slice(0, 40)}" is not a date (YYYY-MM-DD)` });
  let from: string;
  let to = today;
  if (range === 'custom' || (!rangeParam && isRealDate(f))) {
    range = 'custom';
    from = f !== undefined && isRealDate(f) ? f : addMonths(today, -12);
    to = t !== undefined && isRealDate(t) ? t : today;
    if (to < from) [from, to] = [to, from];
  } else if (range === '30d') from = addDays(today, -29);
  else if (range === '90d') from = addDays(today, -89);
  else if (range === 'ytd') from = `${today.slice(0, 4)}-01-01`;
  else from = addDays(addMonths(today, -12), 1);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > DASHBOARD_MAX_DAYS) problems.push({ param: 'from', message: `the range covers ${days} days; at most ${DASHBOARD_MAX_DAYS}` });
  const bucketParam = first('bucket')?.toUpperCase();
  const bucketChosen = (BUCKETS as readonly string[]).includes(bucketParam ?? '');
  if (bucketParam && !bucketChosen)
    problems.push({ param: 'bucket', message: `"${bucketParam.slice(0, 20)}" is not one of DAY, WEEK, MONTH` });
  // Not too many bars: days up to 6 weeks, weeks up to about 7 months, months beyond.
  let bucket: Bucket = bucketChosen ? (bucketParam as Bucket) : days <= 42 ? 'DAY' : days <= 210 ? 'WEEK' : 'MONTH';
  if (bucket === 'DAY' && days > 400) bucket = 'WEEK';
  const stackParam = first('stack');
  if (stackParam && !(stackParam in DASHBOARD_STACKS))
    problems.push({ param: 'stack', message: `"${stackParam.slice(0, 20)}" is not priority or category` });
  const ids = (param: string) => {
    const all = list(param);
    const bad = all.find((id) => !UUID.test(id));
    if (bad !== undefined) problems.push({ param, message: `"${bad.slice(0, 40)}" is not an id` });
    if (all.length > 200) problems.push({ param, message: `${all.length} values; at most 200` });
    // Kept as given: a lenient reader shows what the link asked for (no match) rather than everything.
    return all;
  };
  const priorities = list('priority');
  const badPriority = priorities.find((p) => !/^[1-5]$/.test(p));
  if (badPriority !== undefined)
    problems.push({ param: 'priority', message: `"${badPriority.slice(0, 20)}" is not a priority from 1 to 5` });
  return {
    view: {
      range,
      from,
      to,
      timeZone,
      bucket,
      bucketChosen,
      stack: stackParam === 'category' ? 'category' : 'priority',
      serviceIds: ids('service'),
      categoryIds: ids('category'),
      teamIds: ids('team'),
      priorities: [...new Set(priorities.filter((p) => /^[1-5]$/.test(p)).map(Number))],
    },
    problems,
  };
}

/** The dashboard's query string for a view (only what differs from the defaults). */
export function dashboardQuery(n: DashboardView): string {
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
  return p.toString();
}
