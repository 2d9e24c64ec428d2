// The Search analytics page's state (range in days, bucket) from its URL, shared by the page and its CSV exports.
import type { AnalyticsBucket } from '@/gql/graphql';
import type { SearchParams } from './params';

export const SEARCH_RANGES = [7, 30, 90, 365] as const;
export const SEARCH_BUCKETS: AnalyticsBucket[] = ['DAY' as AnalyticsBucket, 'WEEK' as AnalyticsBucket, 'MONTH' as AnalyticsBucket];
/** Rows of each table (the API's cap). */
export const SEARCH_LIST_SIZE = 100;

export interface SearchAnalyticsState {
  days: number;
  bucket: AnalyticsBucket;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function parseSearchAnalyticsState(sp: SearchParams): SearchAnalyticsState {
  const days = Number(one(sp.days));
  const range = (SEARCH_RANGES as readonly number[]).includes(days) ? days : 30;
  const bucket =
    SEARCH_BUCKETS.find((b) => b === one(sp.bucket)) ?? ((range <= 30 ? 'DAY' : range <= 90 ? 'WEEK' : 'MONTH') as AnalyticsBucket);
  return { days: range, bucket };
}

/** The last `days` whole UTC days, today included. */
export function searchRange(s: SearchAnalyticsState, now = new Date()): { from: string; to: string } {
  const DAY = 86_400_000;
  const end = Math.floor(now.getTime() / DAY) * DAY + DAY;
  return { from: new Date(end - s.days * DAY).toISOString(), to: new Date(end).toISOString() };
}

export function searchAnalyticsQuery(s: SearchAnalyticsState): string {
  return `?days=${s.days}&bucket=${s.bucket}`;
}

export const share = (x: number | null | undefined) => (x == null ? '—' : `${(x * 100).toFixed(1)} %`);
export const mrrText = (x: number | null | undefined) => (x == null ? '—' : x.toFixed(3));
