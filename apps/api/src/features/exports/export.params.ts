// The URL parameters of the CSV exports, read strictly: a script that misspells a parameter or
// sends a date that is not one gets a 400 naming it, rather than a file of the wrong range. The
// dashboard's own grammar (packages/domain dashboard-params.ts), so a dashboard URL's query string
// exports exactly what the page shows.
import {
  DASHBOARD_PARAMS,
  addDays,
  isoToDay,
  parseDashboardView,
  startOfLocalDay,
  type DashboardView,
  type ParamProblem,
} from '@ikb/domain';
import { isUuid } from '../../ids';

export type ParamKind = 'dashboard' | 'knowledge' | 'search';

/** Parameters every export reads: the about lines, and the byte order mark Excel needs. */
const COMMON = ['about', 'bom'] as const;
const KNOWLEDGE = ['kind', 'owner', 'team', 'service'] as const;
const SEARCH = ['days', 'bucket'] as const;
export const SEARCH_DAYS = [7, 30, 90, 365] as const;
export const KNOWLEDGE_KINDS = ['WORKAROUND', 'KNOWN_ERROR', 'MODEL'] as const;

export interface ExportParams {
  about: boolean;
  bom: boolean;
  view: DashboardView;
  /** The view as the analytics filter: [from, to) instants of its local dates. */
  filter: {
    from: string;
    to: string;
    timeZone: string;
    serviceIds?: string[];
    categoryIds?: string[];
    teamIds?: string[];
    priorities?: number[];
  };
  knowledge: { kind: string | null; ownerId: string | null; teamId: string | null; serviceId: string | null };
  search: { days: number; bucket: 'DAY' | 'WEEK' | 'MONTH'; from: string; to: string };
}

const allowed: Record<ParamKind, readonly string[]> = {
  dashboard: [...DASHBOARD_PARAMS, ...COMMON],
  knowledge: [...KNOWLEDGE, ...COMMON],
  search: [...SEARCH, ...COMMON],
};

function flag(url: URLSearchParams, key: string, problems: ParamProblem[]): boolean {
  const v = url.get(key);
  if (v === null) return false;
  if (['1', 'true', 'yes', ''].includes(v.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(v.toLowerCase())) return false;
  problems.push({ param: key, message: `"${v.slice(0, 20)}" is not 1 or 0` });
  return false;
}

const localMidnight = (date: string, tz: string) => new Date(startOfLocalDay(isoToDay(date), tz)).toISOString();

/** The export's parameters, or what was wrong with them (each naming its parameter). */
export function parseExportParams(kind: ParamKind, url: URLSearchParams, now = new Date()): ExportParams | { problems: ParamProblem[] } {
  const problems: ParamProblem[] = [];
  for (const key of new Set(url.keys()))
    if (!allowed[kind].includes(key))
      problems.push({ param: key.slice(0, 40), message: `is not a parameter of this export; it takes ${allowed[kind].join(', ')}` });
  const all = (k: string) => url.getAll(k);
  const dash = parseDashboardView({ all }, now);
  const view = dash.view;
  if (kind === 'dashboard') problems.push(...dash.problems);
  const one = (k: string) => url.get(k)?.trim() || null;
  const id = (k: string) => {
    const v = one(k);
    if (v !== null && !isUuid(v)) problems.push({ param: k, message: `"${v.slice(0, 40)}" is not an id` });
    return v;
  };
  let knowledge: ExportParams['knowledge'] = { kind: null, ownerId: null, teamId: null, serviceId: null };
  if (kind === 'knowledge') {
    const k = one('kind')?.toUpperCase() ?? null;
    if (k !== null && !(KNOWLEDGE_KINDS as readonly string[]).includes(k))
      problems.push({ param: 'kind', message: `"${k.slice(0, 20)}" is not one of ${KNOWLEDGE_KINDS.join(', ')}` });
    knowledge = { kind: k, ownerId: id('owner'), teamId: id('team'), serviceId: id('service') };
  }
  let days = 30;
  let bucket: ExportParams['search']['bucket'] = 'DAY';
  if (kind === 'search') {
    const d = one('days');
    if (d !== null && !(SEARCH_DAYS as readonly number[]).includes(Number(d)))
      problems.push({ param: 'days', message: `"${d.slice(0, 20)}" is not one of ${SEARCH_DAYS.join(', ')}` });
    else if (d !== null) days = Number(d);
    const b = one('bucket')?.toUpperCase();
    if (b && !['DAY', 'WEEK', 'MONTH'].includes(b))
      problems.push({ param: 'bucket', message: `"${b.slice(0, 20)}" is not one of DAY, WEEK, MONTH` });
    bucket = b && ['DAY', 'WEEK', 'MONTH'].includes(b) ? (b as typeof bucket) : days <= 30 ? 'DAY' : days <= 90 ? 'WEEK' : 'MONTH';
  }
  const about = flag(url, 'about', problems);
  const bom = flag(url, 'bom', problems);
  if (problems.length) return { problems };
  // The last `days` whole UTC days, today included (as the Search analytics page).
  const end = Math.floor(now.getTime() / 86_400_000) * 86_400_000 + 86_400_000;
  return {
    about,
    bom,
    view,
    filter: {
      from: localMidnight(view.from, view.timeZone),
      to: localMidnight(addDays(view.to, 1), view.timeZone),
      timeZone: view.timeZone,
      ...(view.serviceIds.length ? { serviceIds: view.serviceIds } : {}),
      ...(view.categoryIds.length ? { categoryIds: view.categoryIds } : {}),
      ...(view.teamIds.length ? { teamIds: view.teamIds } : {}),
      ...(view.priorities.length ? { priorities: view.priorities } : {}),
    },
    knowledge,
    search: { days, bucket, from: new Date(end - days * 86_400_000).toISOString(), to: new Date(end).toISOString() },
  };
}
