// Saved views: a list's filters and order under a name. The filters are the list's own URL
// parameters (what the page reads), so a view opens as a plain link; these rules say which
// parameters each list has and how large a view may be, for the API (validation) and the web app.

export const SAVED_VIEW_LISTS = ['INCIDENTS', 'QUEUE', 'PROBLEMS', 'WORKAROUNDS', 'MODELS', 'REVIEWS'] as const;
export type SavedViewList = (typeof SAVED_VIEW_LISTS)[number];

/** The URL parameters each list reads (paging parameters are never part of a view). */
export const SAVED_VIEW_KEYS: Record<SavedViewList, readonly string[]> = {
  INCIDENTS: ['status', 'priority', 'service', 'category', 'team', 'q', 'major', 'from', 'to', 'problem', 'mine', 'sort', 'dir', 'size'],
  QUEUE: ['team', 'service', 'mine'],
  PROBLEMS: ['status', 'q', 'service', 'category', 'known'],
  WORKAROUNDS: ['status', 'q'],
  MODELS: ['status', 'q'],
  REVIEWS: ['status'],
};

/** Where each list lives in the web app. */
export const SAVED_VIEW_PATHS: Record<SavedViewList, string> = {
  INCIDENTS: '/incidents',
  QUEUE: '/incidents/queue',
  PROBLEMS: '/problems',
  WORKAROUNDS: '/workarounds',
  MODELS: '/models',
  REVIEWS: '/reviews',
};

export const SAVED_VIEW_LIMITS = { name: 80, value: 500, values: 20, bytes: 4096, perList: 50 } as const;

export type SavedViewFilters = Record<string, string | string[]>;

/**
 * Why these filters cannot be saved for this list (field path and reason), or null when they can.
 * A value is a string or a list of strings; unknown parameters are refused rather than dropped, so
 * what is saved is exactly what was asked for.
 */
export function savedViewFiltersProblem(list: SavedViewList, filters: unknown): { field: string; message: string } | null {
  if (!filters || typeof filters !== 'object' || Array.isArray(filters)) return { field: 'filters', message: 'must be an object' };
  if (JSON.stringify(filters).length > SAVED_VIEW_LIMITS.bytes)
    return { field: 'filters', message: `must be at most ${SAVED_VIEW_LIMITS.bytes} characters as JSON` };
  const allowed = SAVED_VIEW_KEYS[list];
  for (const [key, value] of Object.entries(filters)) {
    const field = `filters.${key.slice(0, 40)}`;
    if (!allowed.includes(key)) return { field, message: `is not a filter of this list (its filters: ${allowed.join(', ')})` };
    const values = Array.isArray(value) ? value : [value];
    if (values.length > SAVED_VIEW_LIMITS.values) return { field, message: `must have at most ${SAVED_VIEW_LIMITS.values} values` };
    for (const v of values) {
      if (typeof v !== 'string') return { field, message: 'must be text or a list of texts' };
      if (v.length > SAVED_VIEW_LIMITS.value) return { field, message: `must be at most ${SAVED_VIEW_LIMITS.value} characters` };
    }
  }
  return null;
}

/** The query string that opens a view ("?status=NEW&priority=1"), parameters in a stable order. */
export function savedViewQuery(filters: SavedViewFilters): string {
  const p = new URLSearchParams();
  for (const key of Object.keys(filters).sort()) {
    const value = filters[key]!;
    for (const v of Array.isArray(value) ? value : [value]) if (v) p.append(key, v);
  }
  const qs = p.toString();
  return qs ? `?${qs}` : '';
}
