// CSV exports of the workload and follow-through tables: the page's filter (the dashboard's query
// parameters), one GraphQL query each, so the same permission checks as the page.
import {
  FollowThroughPageDocument,
  WorkloadPageDocument,
  type AnalyticsBucket,
  type AnalyticsFilter,
  type FollowThroughPageQuery,
  type WorkloadPageQuery,
} from '@/gql/graphql';
import type { CsvSource } from '../csv-export';
import { analyticsFilter, parseDashboardState } from '../dashboard';
import type { SearchParams } from '../params';
import type { Gql, Result } from '../server';
import { pageOf } from './map-result';

const whole = <T>(rows: T[]) => ({ rows, next: null, total: rows.length });

/** The page's filter, or a 400 naming the dates when they are not real ones (year 99999, month 00). */
export function filterFrom(sp: SearchParams): Result<{ filter: AnalyticsFilter; bucket: AnalyticsBucket }> {
  const s = parseDashboardState(sp);
  try {
    return { data: { filter: analyticsFilter(s), bucket: s.bucket } };
  } catch {
    return { error: `"${s.from}" to "${s.to}" is not a range of real dates`, status: 400, codes: ['BAD_REQUEST'] };
  }
}
const h = (v: number) => Math.round(v * 100) / 100;
const share = (v: number | null | undefined) => (v == null ? null : Math.round(v * 10000) / 10000);

type W = WorkloadPageQuery['workload'];

async function workloadPage(sp: SearchParams, gql: Gql) {
  const f = filterFrom(sp);
  return f.error !== undefined ? f : gql(WorkloadPageDocument, f.data);
}

export function workloadExport(sp: SearchParams, gql: Gql): CsvSource<W['people'][number]> {
  return {
    name: 'workload-people',
    columns: [
      { header: 'Person', value: (p) => p.name },
      { header: 'Team', value: (p) => p.teamName },
      { header: 'Incidents', value: (p) => p.incidents },
      { header: 'Logged hours', value: (p) => h(p.loggedHours) },
      { header: 'Holding hours', value: (p) => h(p.holdingHours) },
      { header: 'Person-hours', value: (p) => h(p.personHours) },
      { header: 'Outside working hours', value: (p) => h(p.outsideHours) },
      { header: 'Outside share', value: (p) => share(p.outsideShare) },
      { header: 'Calendar', value: (p) => p.calendarName ?? 'around the clock' },
      { header: 'Calendar from', value: (p) => p.calendarSource },
      { header: 'Time zone', value: (p) => p.timeZone },
    ],
    page: async () => pageOf(await workloadPage(sp, gql), (d) => whole(d.workload.people)),
  };
}

export function workloadTeamsExport(sp: SearchParams, gql: Gql): CsvSource<W['teams'][number]> {
  return {
    name: 'workload-teams',
    columns: [
      { header: 'Team', value: (t) => t.name },
      { header: 'People', value: (t) => t.people },
      { header: 'Incidents', value: (t) => t.incidents },
      { header: 'Logged hours', value: (t) => h(t.loggedHours) },
      { header: 'Holding hours', value: (t) => h(t.holdingHours) },
      { header: 'Person-hours', value: (t) => h(t.personHours) },
      { header: 'Outside working hours', value: (t) => h(t.outsideHours) },
      { header: 'Outside share', value: (t) => share(t.outsideShare) },
    ],
    page: async () => pageOf(await workloadPage(sp, gql), (d) => whole(d.workload.teams)),
  };
}

type F = FollowThroughPageQuery['followThrough'];
type Row = F['owners'][number] | F['teams'][number];

const counts = <T extends Row>(): CsvSource<T>['columns'] => [
  { header: 'Action items', value: (r) => r.total },
  { header: 'Open', value: (r) => r.open },
  { header: 'Overdue', value: (r) => r.overdue },
  { header: 'Done', value: (r) => r.done },
  { header: 'Done on time', value: (r) => r.doneOnTime },
  { header: 'Done late', value: (r) => r.doneLate },
  { header: "Won't do", value: (r) => r.wontDo },
  { header: 'On-time share', value: (r) => share(r.onTimeRatio) },
  { header: 'Recurrences after done', value: (r) => r.recurrencesAfterDone },
];

async function followPage(sp: SearchParams, gql: Gql) {
  const f = filterFrom(sp);
  return f.error !== undefined ? f : gql(FollowThroughPageDocument, { filter: f.data.filter });
}

export function followThroughExport(sp: SearchParams, gql: Gql): CsvSource<F['owners'][number]> {
  return {
    name: 'follow-through-owners',
    columns: [{ header: 'Owner', value: (o) => o.name }, { header: 'Team', value: (o) => o.teamName }, ...counts<F['owners'][number]>()],
    page: async () => pageOf(await followPage(sp, gql), (d) => whole(d.followThrough.owners)),
  };
}

export function followThroughTeamsExport(sp: SearchParams, gql: Gql): CsvSource<F['teams'][number]> {
  return {
    name: 'follow-through-teams',
    columns: [{ header: 'Team', value: (t) => t.name }, { header: 'Owners', value: (t) => t.owners }, ...counts<F['teams'][number]>()],
    page: async () => pageOf(await followPage(sp, gql), (d) => whole(d.followThrough.teams)),
  };
}
