// The incident register's URL (?status=&priority=&service=&...&sort=&dir=) read into the API's filter
// and order, in one place: the register page, its CSV export and saved views read the same URL the
// same way, so an export or a view holds exactly the incidents the list shows.
import { INCIDENT_STATUSES } from '@ikb/domain';
import type { IncidentFilter, IncidentSortField, IncidentStatus, SortDirection } from '@/gql/graphql';
import { parseMine, type Mine } from '@/components/mine-scope';
import { many, one, type SearchParams } from './params';

// Column sorts run in the API (orderBy), so every page of the register follows the same order and
// the cursor stays valid; the order lives in the URL (?sort=&dir=) so links and reloads keep it.
export const INCIDENT_SORTS = {
  opened: { field: 'OPENED_AT', label: 'Opened', initial: 'DESC' },
  updated: { field: 'UPDATED_AT', label: 'Last updated', initial: 'DESC' },
  priority: { field: 'PRIORITY', label: 'Priority', initial: 'ASC' },
  status: { field: 'STATUS', label: 'Status', initial: 'ASC' },
  number: { field: 'NUMBER', label: 'Number', initial: 'DESC' },
  sla: { field: 'SLA_DUE', label: 'Resolution SLA due', initial: 'ASC' },
} as const satisfies Record<string, { field: IncidentSortField; label: string; initial: SortDirection }>;
export type IncidentSort = keyof typeof INCIDENT_SORTS;

export interface IncidentParams {
  status: IncidentStatus[];
  priority: number[];
  serviceId: string[];
  categoryId: string[];
  teamId: string[];
  text?: string;
  major?: string;
  openedFrom?: string;
  openedTo?: string;
  problemId: string[];
  mine: Mine;
  sort: IncidentSort;
  dir: SortDirection;
  /** The direction as the URL gave it (undefined: the column's natural one). */
  dirParam?: string;
  size: number;
  after?: string;
  filter: IncidentFilter;
  orderBy: { field: IncidentSortField; direction: SortDirection };
  /** The URL parameters that reproduce this view (no cursor). */
  keep: Record<string, string | undefined>;
}

export function parseIncidentParams(sp: SearchParams): IncidentParams {
  const status = many(sp, 'status').filter((s): s is IncidentStatus => (INCIDENT_STATUSES as readonly string[]).includes(s));
  const priority = many(sp, 'priority')
    .map(Number)
    .filter((n) => n >= 1 && n <= 5);
  const serviceId = many(sp, 'service');
  const categoryId = many(sp, 'category');
  const teamId = many(sp, 'team');
  const text = one(sp, 'q');
  const major = one(sp, 'major');
  const sortParam = one(sp, 'sort');
  const sort: IncidentSort = sortParam && sortParam in INCIDENT_SORTS ? (sortParam as IncidentSort) : 'opened';
  const dirParam = one(sp, 'dir')?.toUpperCase();
  const dir: SortDirection = dirParam === 'ASC' || dirParam === 'DESC' ? dirParam : INCIDENT_SORTS[sort].initial;
  const size = [25, 50, 100].includes(Number(one(sp, 'size'))) ? Number(one(sp, 'size')) : 25;
  // Opened range and problem: set by links from the dashboard (a chart point opens the incidents behind it).
  const isoParam = (key: string) => {
    const v = one(sp, key);
    return v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined;
  };
  const openedFrom = isoParam('from');
  const openedTo = isoParam('to');
  const problemId = many(sp, 'problem');
  const mine = parseMine(one(sp, 'mine'));

  const filter: IncidentFilter = {};
  if (status.length) filter.status = status;
  if (priority.length) filter.priority = priority;
  if (serviceId.length) filter.serviceId = serviceId;
  if (categoryId.length) filter.categoryId = categoryId;
  if (teamId.length) filter.teamId = teamId;
  if (text) filter.text = text;
  if (major === 'yes') filter.major = true;
  if (openedFrom) filter.openedFrom = openedFrom;
  if (openedTo) filter.openedTo = openedTo;
  if (problemId.length) filter.problemId = problemId;
  if (mine === 'me') filter.assignedToMe = true;
  if (mine === 'team') filter.myTeam = true;

  const keep: Record<string, string | undefined> = {
    status: status.join(',') || undefined,
    priority: priority.join(',') || undefined,
    service: serviceId.join(',') || undefined,
    category: categoryId.join(',') || undefined,
    team: teamId.join(',') || undefined,
    q: text,
    major,
    from: openedFrom,
    to: openedTo,
    problem: problemId.join(',') || undefined,
    mine,
    sort: sort === 'opened' ? undefined : sort,
    dir: dir === INCIDENT_SORTS[sort].initial ? undefined : dir.toLowerCase(),
    size: size === 25 ? undefined : String(size),
  };
  return {
    status,
    priority,
    serviceId,
    categoryId,
    teamId,
    text,
    major,
    openedFrom,
    openedTo,
    problemId,
    mine,
    sort,
    dir,
    dirParam,
    size,
    after: one(sp, 'after'),
    filter,
    keep,
    orderBy: { field: INCIDENT_SORTS[sort].field, direction: dir },
  };
}

/** The query string of a view's parameters (empty values dropped), with changes applied. */
export function queryString(keep: Record<string, string | undefined>, changes: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...keep, ...changes })) if (v) p.set(k, v);
  const qs = p.toString();
  return qs ? `?${qs}` : '';
}
