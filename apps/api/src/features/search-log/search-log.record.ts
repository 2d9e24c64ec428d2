// What the search resolver records of a search, and how its cursors carry the search's id.
import { normalizeSearchQuery } from '@ikb/domain';
import type { Context } from '../../graphql/context';
import { cursorSearchId, encodeOffset } from '../search/search.service';
import type { SearchConnection, SearchInput } from '../search/search.types';
import { searchRecorder } from './search-log.recorder';

/**
 * The search's id: a new one recorded for a first page; for a later page the id its cursor
 * carries (a page is not a new search). Null when recording is off.
 */
export function recordSearch(ctx: Context, input: SearchInput, hits: number, after?: string | null): string | null {
  if (after) return cursorSearchId(after);
  const recorder = searchRecorder(ctx.metadata);
  if (!recorder?.enabled) return null;
  const { query, incidentId, ...rest } = input;
  // Only the filters set, in a fixed order: the same search is the same JSON.
  const filters = Object.fromEntries(
    Object.entries(rest)
      .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return recorder.recordSearch({
    query: normalizeSearchQuery(query),
    filters,
    hits,
    role: ctx.auth.actor.role ?? null,
    userId: ctx.auth.actor.id,
    incidentId: incidentId ?? null,
  });
}

/** The connection with the search's id, on it and in every cursor (so that the next page keeps it). */
export function withSearchId<T extends SearchConnection>(connection: T, searchId: string | null): T {
  if (!searchId) return connection;
  connection.searchId = searchId;
  const offsetOf = (cursor: string) => Number(/^o:(\d+)/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[1] ?? 0);
  for (const edge of connection.edges) edge.cursor = encodeOffset(offsetOf(edge.cursor), searchId);
  connection.pageInfo.endCursor = connection.edges.at(-1)?.cursor ?? null;
  return connection;
}
