// Solution catalog search: URL parameters <-> SearchInput, record links, and snippet parsing.
// Shared by the server page (first render) and the client component (search as you type).
import type { SearchHitFieldsFragment, SearchInput, SearchKind, SearchPeriod } from '@/gql/graphql';

export const SEARCH_PAGE_SIZE = 20;

export interface SearchState {
  q: string;
  /**
   * The incident being worked when the search was opened from its page (URL: incident=<id>): knowledge opened
   * from here asks whether it helped, and search analytics tell whether a hit resolved it.
   */
  incident?: string | null;
  kinds: SearchKind[];
  serviceIds: string[];
  categoryIds: string[];
  priorities: number[];
  statuses: string[];
  period: SearchPeriod | null;
  /** "Search instead for ...": the words as typed, no spelling correction (URL: literal=1). */
  literal: boolean;
}

export const FACETS = [
  { key: 'kinds', param: 'kind', title: 'Kind' },
  { key: 'serviceIds', param: 'service', title: 'Service' },
  { key: 'categoryIds', param: 'category', title: 'Category' },
  { key: 'priorities', param: 'priority', title: 'Priority' },
  { key: 'statuses', param: 'status', title: 'Status' },
  { key: 'period', param: 'period', title: 'Period' },
] as const;

export type FacetKey = (typeof FACETS)[number]['key'];

/** Which facets of the API's answer feed which filter. */
export const FACET_SOURCE: Record<FacetKey, 'kinds' | 'services' | 'categories' | 'priorities' | 'statuses' | 'periods'> = {
  kinds: 'kinds',
  serviceIds: 'services',
  categoryIds: 'categories',
  priorities: 'priorities',
  statuses: 'statuses',
  period: 'periods',
};

const KINDS: SearchKind[] = ['INCIDENT', 'KNOWN_ERROR', 'MODEL', 'PROBLEM', 'REVIEW', 'WORKAROUND'];
const PERIODS: SearchPeriod[] = ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS', 'LAST_365_DAYS', 'OLDER'];

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function all(sp: Params, key: string): string[] {
  const raw = sp instanceof URLSearchParams ? sp.getAll(key) : ((v) => (Array.isArray(v) ? v : v ? [v] : []))(sp[key]);
  return raw
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

export function parseSearchState(sp: Params): SearchState {
  const q = (sp instanceof URLSearchParams ? sp.get('q') : ((v) => (Array.isArray(v) ? v[0] : v))(sp.q)) ?? '';
  const period = all(sp, 'period')[0];
  return {
    q: q.slice(0, 500),
    kinds: all(sp, 'kind').filter((k): k is SearchKind => KINDS.includes(k as SearchKind)),
    serviceIds: all(sp, 'service'),
    categoryIds: all(sp, 'category'),
    priorities: all(sp, 'priority')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n >= 1 && n <= 5),
    statuses: all(sp, 'status'),
    period: PERIODS.includes(period as SearchPeriod) ? (period as SearchPeriod) : null,
    literal: (sp instanceof URLSearchParams ? sp.get('literal') : ((v) => (Array.isArray(v) ? v[0] : v))(sp.literal)) === '1',
    incident: all(sp, 'incident').find((x) => UUID_RE.test(x)) ?? null,
  };
}

export function searchStateToQuery(s: SearchState): string {
  const sp = new URLSearchParams();
  if (s.q) sp.set('q', s.q);
  if (s.kinds.length) sp.set('kind', s.kinds.join(','));
  if (s.serviceIds.length) sp.set('service', s.serviceIds.join(','));
  if (s.categoryIds.length) sp.set('category', s.categoryIds.join(','));
  if (s.priorities.length) sp.set('priority', s.priorities.join(','));
  if (s.statuses.length) sp.set('status', s.statuses.join(','));
  if (s.period) sp.set('period', s.period);
  if (s.incident) sp.set('incident', s.incident);
  if (s.literal) sp.set('literal', '1');
  const str = sp.toString();
  return str ? `?${str}` : '';
}

export function searchInput(s: SearchState): SearchInput {
  return {
    query: s.q.trim(),
    ...(s.kinds.length ? { kinds: s.kinds } : {}),
    ...(s.serviceIds.length ? { serviceIds: s.serviceIds } : {}),
    ...(s.categoryIds.length ? { categoryIds: s.categoryIds } : {}),
    ...(s.priorities.length ? { priorities: s.priorities } : {}),
    ...(s.statuses.length ? { statuses: s.statuses } : {}),
    ...(s.period ? { period: s.period } : {}),
    ...(s.literal ? { literal: true } : {}),
    ...(s.incident ? { incidentId: s.incident } : {}),
  };
}

/** What a search's answer is for: the query and filters as sent (results for another key are stale). */
export function searchKey(s: SearchState): string {
  return JSON.stringify(searchInput(s));
}

/** A query that is one identifier (INC-000123, PRB-00012, PIR-0003, INC0010001): Enter goes to its record. */
export function isIdentifierQuery(q: string): boolean {
  return /^[A-Za-z]{2,10}[-_]?\d{1,12}$/.test(q.trim());
}

/** The page of the record a hit stands for. */
/** Knowledge opened from a search made while working an incident carries it, so its page can ask "Helped?". */
export function withIncidentContext(href: string, kind: string, incident: string | null | undefined): string {
  if (!incident || !UUID_RE.test(incident) || !['WORKAROUND', 'MODEL', 'KNOWN_ERROR', 'PROBLEM'].includes(kind)) return href;
  return `${href}${href.includes('?') ? '&' : '?'}fromIncident=${incident}`;
}

export function hitHref(h: Pick<SearchHitFieldsFragment, 'kind' | 'id' | 'incident' | 'problem'>): string {
  switch (h.kind) {
    case 'INCIDENT':
      return h.incident ? `/incidents/${encodeURIComponent(h.incident.number)}` : '/incidents';
    case 'PROBLEM':
    case 'KNOWN_ERROR':
      return h.problem ? `/problems/${encodeURIComponent(h.problem.number)}` : '/problems';
    case 'WORKAROUND':
      return `/workarounds/${h.id}`;
    case 'MODEL':
      return `/models/${h.id}`;
    case 'REVIEW':
      return `/reviews/${h.id}`;
    default:
      return '/search';
  }
}

export const KIND_LABELS: Record<string, string> = {
  INCIDENT: 'Resolved incident',
  KNOWN_ERROR: 'Known error',
  PROBLEM: 'Problem',
  WORKAROUND: 'Workaround',
  MODEL: 'Incident model',
  REVIEW: 'Review',
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'" };

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (_, name: string) => ENTITIES[name] ?? _);
}

/**
 * The API's snippet is HTML-escaped text in which matched words sit in <mark>...</mark>. It is never
 * handed to the browser as HTML: split on the two tags, and every piece becomes plain text (marked or
 * not). Anything else that looks like a tag stays visible text.
 */
export function snippetParts(snippet: string): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  let mark = false;
  for (const piece of snippet.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') mark = true;
    else if (piece === '</mark>') mark = false;
    else if (piece) parts.push({ text: unescape(piece), mark });
  }
  return parts;
}
