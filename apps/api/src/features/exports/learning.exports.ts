// The learning loop's tables as CSV: workload, follow-through, knowledge health (page by page) and
// search analytics. Headers as the web app's pages name their columns.
import type { ExportParams } from './export.params';
import type { Data, ExportTable } from './export.types';
import { declare, r6 } from './export.types';

const h = (v: number) => Math.round(v * 100) / 100;
const share = (v: number | null | undefined) => (v == null ? null : Math.round(v * 10000) / 10000);
const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);
const filterVars = (p: ExportParams) => ({ filter: p.filter });

const WORK_FIGURES = 'incidents loggedHours holdingHours personHours outsideHours outsideShare';
const WORK_HEAD = ['Incidents', 'Logged hours', 'Holding hours', 'Person-hours', 'Outside working hours', 'Outside share'];
const workCells = (r: Data) => [
  r.incidents,
  h(r.loggedHours),
  h(r.holdingHours),
  h(r.personHours),
  h(r.outsideHours),
  share(r.outsideShare),
];
const workload = (body: string) => `query Export${declare(`$filter ${body}`, { filter: 'AnalyticsFilter!', bucket: 'AnalyticsBucket!' })} {
  workload(filter: $filter) { evaluatedAt metrics { metricId } ${body} } }`;
const workloadVars = (p: ExportParams) => ({ filter: p.filter, bucket: p.view.bucket });
const workloadMetrics = (d: Data) => [...new Set((d.workload.metrics as { metricId: string }[]).map((m) => m.metricId))];

const FOLLOW_FIGURES = 'total open overdue done doneOnTime doneLate wontDo onTimeRatio recurrencesAfterDone';
const FOLLOW_HEAD = [
  'Action items',
  'Open',
  'Overdue',
  'Done',
  'Done on time',
  'Done late',
  "Won't do",
  'On-time share',
  'Recurrences after done',
];
const followCells = (r: Data) => [
  r.total,
  r.open,
  r.overdue,
  r.done,
  r.doneOnTime,
  r.doneLate,
  r.wontDo,
  share(r.onTimeRatio),
  r.recurrencesAfterDone,
];
const follow = (body: string) =>
  `query Export($filter: AnalyticsFilter!) { followThrough(filter: $filter) { metricId evaluatedAt ${body} } }`;

export const LEARNING_TABLES: Record<string, ExportTable> = {
  'workload-people': {
    title: 'Workload by person',
    params: 'dashboard',
    query: workload(`people { name teamName calendarName calendarSource timeZone ${WORK_FIGURES} }`),
    variables: workloadVars,
    asOf: (d) => d.workload.evaluatedAt,
    metricIds: workloadMetrics,
    columns: () => ['Person', 'Team', ...WORK_HEAD, 'Calendar', 'Calendar from', 'Time zone'],
    rows: (d) =>
      (d.workload.people as Data[]).map((p) => [
        p.name,
        p.teamName,
        ...workCells(p),
        p.calendarName ?? 'around the clock',
        p.calendarSource,
        p.timeZone,
      ]),
  },
  'workload-teams': {
    title: 'Workload by team',
    params: 'dashboard',
    query: workload(`teams { name people ${WORK_FIGURES} }`),
    variables: workloadVars,
    asOf: (d) => d.workload.evaluatedAt,
    metricIds: workloadMetrics,
    columns: () => ['Team', 'People', ...WORK_HEAD],
    rows: (d) => (d.workload.teams as Data[]).map((t) => [t.name, t.people, ...workCells(t)]),
  },
  'workload-on-duty': {
    title: 'Incidents per on-duty person',
    params: 'dashboard',
    query: workload('onDutyOverTime(bucket: $bucket) { start end incidents onDuty incidentsPerOnDuty }'),
    variables: workloadVars,
    asOf: (d) => d.workload.evaluatedAt,
    metricIds: workloadMetrics,
    columns: () => ['Bucket start (UTC)', 'Bucket end (UTC)', 'Incidents', 'People on duty', 'Incidents per on-duty person'],
    rows: (d) =>
      (d.workload.onDutyOverTime as Data[]).map((b) => [iso(b.start), iso(b.end), b.incidents, b.onDuty, r6(b.incidentsPerOnDuty)]),
  },
  'follow-through-owners': {
    title: 'Follow-through by owner',
    params: 'dashboard',
    query: follow(`owners { name teamName ${FOLLOW_FIGURES} }`),
    variables: filterVars,
    asOf: (d) => d.followThrough.evaluatedAt,
    metricIds: (d) => [d.followThrough.metricId],
    columns: () => ['Owner', 'Team', ...FOLLOW_HEAD],
    rows: (d) => (d.followThrough.owners as Data[]).map((o) => [o.name, o.teamName, ...followCells(o)]),
  },
  'follow-through-teams': {
    title: 'Follow-through by team',
    params: 'dashboard',
    query: follow(`teams { name owners ${FOLLOW_FIGURES} }`),
    variables: filterVars,
    asOf: (d) => d.followThrough.evaluatedAt,
    metricIds: (d) => [d.followThrough.metricId],
    columns: () => ['Team', 'Owners', ...FOLLOW_HEAD],
    rows: (d) => (d.followThrough.teams as Data[]).map((t) => [t.name, t.owners, ...followCells(t)]),
  },
  'follow-through-overdue': {
    title: 'Overdue action items',
    params: 'dashboard',
    query: follow('overdueItems { title dueDate daysOverdue ownerName reviewNumber reviewTitle }'),
    variables: filterVars,
    asOf: (d) => d.followThrough.evaluatedAt,
    metricIds: (d) => [d.followThrough.metricId],
    columns: () => ['Action item', 'Due', 'Days overdue', 'Owner', 'Review', 'Review title'],
    rows: (d) =>
      (d.followThrough.overdueItems as Data[]).map((i) => [i.title, i.dueDate, i.daysOverdue, i.ownerName, i.reviewNumber, i.reviewTitle]),
  },
};
