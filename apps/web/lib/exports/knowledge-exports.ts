// CSV exports of the knowledge lists: problems, known errors, workarounds, incident models, reviews.
import {
  KnownErrorListDocument,
  ModelListDocument,
  ProblemListDocument,
  ReviewListDocument,
  WorkaroundListDocument,
  type ModelRowFragment,
  type ProblemRowFragment,
  type ReviewRowFragment,
  type WorkaroundRowFragment,
} from '@/gql/graphql';
import type { CsvColumn, CsvPage, CsvSource } from '../csv-export';
import { isoInstant } from '../dates';
import { humanize } from '../format';
import { modelParams, problemFilter, reviewStatuses, workaroundFilter } from '../list-params';
import type { SearchParams } from '../params';
import type { Gql } from '../server';
import { pageOf } from './map-result';

type Connection<T> = { totalCount: number; pageInfo: { endCursor: string | null; hasNextPage: boolean }; nodes: T[] };
const connection = <T>(c: Connection<T>): CsvPage<T> => ({
  rows: c.nodes,
  next: c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null,
  total: c.totalCount,
});
const share = (s: number | null | undefined) => (s == null ? '' : Math.round(s * 100));

const PROBLEM_COLUMNS: CsvColumn<ProblemRowFragment>[] = [
  { header: 'Number', value: (p) => p.number },
  { header: 'Title', value: (p) => p.title },
  { header: 'Status', value: (p) => humanize(p.status) },
  { header: 'Root-cause category', value: (p) => humanize(p.rootCauseCategory) },
  { header: 'Known error', value: (p) => p.isKnownError },
  { header: 'Incidents', value: (p) => p.incidentCount },
  { header: 'Recurrences since fix', value: (p) => p.recurrencesSinceFix },
  { header: 'Service', value: (p) => p.service?.name },
  { header: 'Category', value: (p) => p.category?.name },
  { header: 'Owner', value: (p) => p.owner?.name },
  { header: 'Created (UTC)', value: (p) => isoInstant(p.createdAt) },
  { header: 'Updated (UTC)', value: (p) => isoInstant(p.updatedAt) },
];

export function problemExport(sp: SearchParams, gql: Gql): CsvSource<ProblemRowFragment> {
  const filter = problemFilter(sp);
  return {
    name: 'problems',
    columns: PROBLEM_COLUMNS,
    page: async (after) => pageOf(await gql(ProblemListDocument, { first: 100, after, filter }), (d) => connection(d.problems)),
  };
}

type KnownError = ProblemRowFragment & { rootCause: string | null; knownErrorAt: string | null; workarounds: { title: string }[] };

export function knownErrorExport(gql: Gql): CsvSource<KnownError> {
  return {
    name: 'known-errors',
    columns: [
      ...PROBLEM_COLUMNS.slice(0, 3),
      { header: 'Root cause', value: (p) => p.rootCause },
      { header: 'Known error since (UTC)', value: (p) => isoInstant(p.knownErrorAt) },
      { header: 'Workarounds', value: (p) => p.workarounds.map((w) => w.title).join('; ') },
      ...PROBLEM_COLUMNS.slice(5, 10),
    ],
    page: async (after) => pageOf(await gql(KnownErrorListDocument, { first: 100, after }), (d) => connection(d.knownErrors)),
  };
}

export function workaroundExport(sp: SearchParams, gql: Gql): CsvSource<WorkaroundRowFragment> {
  const filter = workaroundFilter(sp);
  return {
    name: 'workarounds',
    columns: [
      { header: 'Title', value: (w) => w.title },
      { header: 'Status', value: (w) => humanize(w.status) },
      { header: 'Problems', value: (w) => w.problems.map((p) => p.number).join('; ') },
      { header: 'Times applied', value: (w) => w.effectiveness.timesApplied },
      { header: 'Resolved without reopen %', value: (w) => share(w.effectiveness.resolvedWithoutReopenShare) },
      { header: 'Median minutes to resolution', value: (w) => w.effectiveness.medianMinutesToResolution },
      { header: 'Updated (UTC)', value: (w) => isoInstant(w.updatedAt) },
    ],
    page: async (after) => pageOf(await gql(WorkaroundListDocument, { first: 100, after, filter }), (d) => connection(d.workarounds)),
  };
}

export function modelExport(sp: SearchParams, gql: Gql): CsvSource<ModelRowFragment> {
  const vars = modelParams(sp);
  return {
    name: 'incident-models',
    columns: [
      { header: 'Name', value: (m) => m.name },
      { header: 'Status', value: (m) => humanize(m.status) },
      { header: 'Version', value: (m) => m.currentVersion },
      { header: 'Service hint', value: (m) => m.current.matchService?.name },
      { header: 'Category hint', value: (m) => m.current.matchCategory?.name },
      { header: 'Keywords', value: (m) => m.current.matchKeywords.join('; ') },
      { header: 'Times applied', value: (m) => m.effectiveness.timesApplied },
      { header: 'Resolved without reopen %', value: (m) => share(m.effectiveness.resolvedWithoutReopenShare) },
      { header: 'Updated (UTC)', value: (m) => isoInstant(m.updatedAt) },
    ],
    page: async (after) => pageOf(await gql(ModelListDocument, { first: 100, after, ...vars }), (d) => connection(d.incidentModels)),
  };
}

export function reviewExport(sp: SearchParams, gql: Gql): CsvSource<ReviewRowFragment> {
  const status = reviewStatuses(sp);
  return {
    name: 'reviews',
    columns: [
      { header: 'Number', value: (r) => r.number },
      { header: 'Title', value: (r) => r.title },
      { header: 'Status', value: (r) => humanize(r.status) },
      { header: 'Incidents', value: (r) => r.incidents.map((i) => i.number).join('; ') },
      { header: 'Facilitator', value: (r) => r.facilitator?.name },
      { header: 'Action items', value: (r) => r.actionItems.length },
      { header: 'Overdue action items', value: (r) => r.actionItems.filter((a) => a.overdue).length },
      { header: 'Meeting (UTC)', value: (r) => isoInstant(r.meetingAt) },
      { header: 'Created (UTC)', value: (r) => isoInstant(r.createdAt) },
      { header: 'Published (UTC)', value: (r) => isoInstant(r.publishedAt) },
    ],
    page: async (after) =>
      pageOf(await gql(ReviewListDocument, { first: 100, after, filter: status.length ? { status } : undefined }), (d) =>
        connection(d.reviews),
      ),
  };
}
