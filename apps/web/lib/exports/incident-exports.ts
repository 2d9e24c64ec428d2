// CSV exports of the incident lists: the register (with its URL's filters and order), the work
// queue (its team/service/mine scope) and the incidents awaiting review.
import { AwaitingReviewExportDocument, IncidentListDocument, WorkQueueExportDocument, type IncidentRowFragment } from '@/gql/graphql';
import type { CsvColumn, CsvSource } from '../csv-export';
import { isoInstant } from '../dates';
import { humanize } from '../format';
import { parseIncidentParams } from '../incident-params';
import { one, type SearchParams } from '../params';
import type { Gql } from '../server';
import { parseMine } from '@/components/mine-scope';
import { pageOf } from './map-result';

const clock = (i: IncidentRowFragment, target: string) => i.slaClocks.find((c) => c.target === target);

export const INCIDENT_COLUMNS: CsvColumn<IncidentRowFragment>[] = [
  { header: 'Number', value: (i) => i.number },
  { header: 'Title', value: (i) => i.title },
  { header: 'Status', value: (i) => humanize(i.status) },
  { header: 'Hold reason', value: (i) => (i.holdReason ? humanize(i.holdReason) : '') },
  { header: 'Priority', value: (i) => `P${i.priority}` },
  { header: 'Major', value: (i) => i.major },
  { header: 'Service', value: (i) => i.service?.name },
  { header: 'Category', value: (i) => (i.category ? [i.category.parent?.name, i.category.name].filter(Boolean).join(' › ') : '') },
  { header: 'Team', value: (i) => i.team?.name },
  { header: 'Assignee', value: (i) => i.assignee?.name },
  { header: 'Opened (UTC)', value: (i) => isoInstant(i.openedAt) },
  { header: 'Response SLA', value: (i) => humanize(clock(i, 'RESPONSE')?.verdict ?? null) },
  { header: 'Resolution SLA', value: (i) => humanize(clock(i, 'RESOLUTION')?.verdict ?? null) },
  { header: 'Resolution SLA due (UTC)', value: (i) => isoInstant(clock(i, 'RESOLUTION')?.dueAt) },
  { header: 'Resolution SLA consumed %', value: (i) => clock(i, 'RESOLUTION')?.percentConsumed },
];

export function incidentExport(sp: SearchParams, gql: Gql): CsvSource<IncidentRowFragment> {
  const v = parseIncidentParams(sp);
  return {
    name: 'incidents',
    columns: INCIDENT_COLUMNS,
    page: async (after) =>
      pageOf(await gql(IncidentListDocument, { first: 100, after, filter: v.filter, orderBy: v.orderBy }), (d) => ({
        rows: d.incidents.edges.map((e) => e.node),
        next: d.incidents.pageInfo.hasNextPage ? d.incidents.pageInfo.endCursor : null,
        total: d.incidents.totalCount,
      })),
  };
}

/** Keyset pages (size as in graphql/exports.graphql): the next starts after the last row's id; a short page is the last. */
const afterLast = <T>(rows: T[], size: number, id: (row: T) => string) => (rows.length < size ? null : id(rows[rows.length - 1]!));

export function queueExport(sp: SearchParams, gql: Gql): CsvSource<IncidentRowFragment> {
  const mine = parseMine(one(sp, 'mine'));
  const vars = { serviceId: one(sp, 'service'), teamId: one(sp, 'team'), assignedToMe: mine === 'me', myTeam: mine === 'team' };
  return {
    name: 'work-queue',
    columns: INCIDENT_COLUMNS,
    page: async (after) =>
      pageOf(await gql(WorkQueueExportDocument, { after, ...vars }), (d) => ({
        rows: d.workQueue,
        next: afterLast(d.workQueue, 50, (i) => i.id),
      })),
  };
}

type Awaiting = { daysSinceResolution: number; incident: { number: string; title: string; priority: number; major: boolean } } & {
  incident: { resolvedAt: string | null; service: { name: string } | null; team: { name: string } | null };
};

export function awaitingExport(gql: Gql): CsvSource<Awaiting> {
  return {
    name: 'awaiting-review',
    columns: [
      { header: 'Number', value: (a) => a.incident.number },
      { header: 'Title', value: (a) => a.incident.title },
      { header: 'Priority', value: (a) => `P${a.incident.priority}` },
      { header: 'Major', value: (a) => a.incident.major },
      { header: 'Service', value: (a) => a.incident.service?.name },
      { header: 'Team', value: (a) => a.incident.team?.name },
      { header: 'Resolved (UTC)', value: (a) => isoInstant(a.incident.resolvedAt) },
      { header: 'Days since resolution', value: (a) => a.daysSinceResolution },
    ],
    page: async (after) =>
      pageOf(await gql(AwaitingReviewExportDocument, { after }), (d) => ({
        rows: d.incidentsAwaitingReview,
        next: afterLast(d.incidentsAwaitingReview, 200, (a) => a.incident.id),
        total: d.incidentsAwaitingReviewCount,
      })),
  };
}
