// The knowledge lists' URLs read into the API's filters, shared by each list page and its CSV export.
import { PROBLEM_STATUSES, REVIEW_STATUSES } from '@ikb/domain';
import type { IncidentModelStatus, ProblemFilter, ProblemStatus, ReviewStatus, WorkaroundFilter, WorkaroundStatus } from '@/gql/graphql';
import { WORKAROUND_STATUSES } from './format';
import { many, one, type SearchParams } from './params';

export function problemFilter(sp: SearchParams): ProblemFilter {
  const status = many(sp, 'status').filter((s): s is ProblemStatus => (PROBLEM_STATUSES as readonly string[]).includes(s));
  const filter: ProblemFilter = {};
  if (status.length) filter.status = status;
  const text = one(sp, 'q');
  if (text) filter.text = text;
  const serviceId = one(sp, 'service');
  if (serviceId) filter.serviceId = serviceId;
  const categoryId = one(sp, 'category');
  if (categoryId) filter.categoryId = categoryId;
  if (one(sp, 'known') === 'yes') filter.knownErrorOnly = true;
  return filter;
}

export function reviewStatuses(sp: SearchParams): ReviewStatus[] {
  return many(sp, 'status').filter((s): s is ReviewStatus => (REVIEW_STATUSES as readonly string[]).includes(s));
}

export function workaroundFilter(sp: SearchParams): WorkaroundFilter {
  const status = many(sp, 'status').filter((s): s is WorkaroundStatus => (WORKAROUND_STATUSES as readonly string[]).includes(s));
  const filter: WorkaroundFilter = {};
  if (status.length) filter.status = status;
  const text = one(sp, 'q');
  if (text) filter.text = text;
  return filter;
}

export function modelParams(sp: SearchParams): { status?: IncidentModelStatus; text?: string } {
  const s = one(sp, 'status');
  return { status: s === 'ACTIVE' || s === 'RETIRED' ? (s as IncidentModelStatus) : undefined, text: one(sp, 'q') };
}
