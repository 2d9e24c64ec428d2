// Rules of search analytics (decision 0011), shared by the API, its tests' brute-force checks and the web app.

/** The longest query kept (the search refuses longer ones). */
export const SEARCH_LOG_QUERY_MAX = 500;
/** The highest position an open may name: the search ranks at most this many hits. */
export const SEARCH_LOG_POSITION_MAX = 500;
/** Days before a known error whose unanswered searches are listed as having preceded it. */
export const KNOWN_ERROR_LOOKBACK_DAYS = 30;
/** The largest extra weight an approved boost may give: score x (1 + weight). */
export const BOOST_WEIGHT_MAX = 1;

/**
 * The form a query is counted under: Unicode-normalised (NFKC), lower case, runs of white space as
 * one space, trimmed. "VPN  Drops" and "vpn drops" are one query in every figure.
 */
export function normalizeSearchQuery(query: string): string {
  const n = query.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
  // By code point: cutting a surrogate pair in two would leave text PostgreSQL's jsonb refuses.
  return n.length <= SEARCH_LOG_QUERY_MAX ? n : Array.from(n).slice(0, SEARCH_LOG_QUERY_MAX).join('').trim();
}

/** A text's words for "every term appears": runs of letters and digits, lower case. */
export function searchWords(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** True when every word of the query is a word of the text (and the query has a word). */
export function termsAllAppear(query: string, text: string): boolean {
  const q = searchWords(query);
  if (q.length === 0) return false;
  const words = new Set(searchWords(text));
  return q.every((w) => words.has(w));
}

/**
 * Reciprocal rank of one search: 1 / position of the first hit opened from it (first in time; a
 * tie in time goes to the higher hit), 0 when none was opened. MRR is the mean over searches.
 */
export function reciprocalRank(opens: readonly { position: number; at: number }[]): number {
  if (opens.length === 0) return 0;
  const first = [...opens].sort((a, b) => a.at - b.at || a.position - b.position)[0]!;
  return 1 / first.position;
}

/** When an item opened for a query is suggested as a boost (an admin then approves or dismisses it). */
export const BOOST_SUGGESTION = {
  /** Opened from at least this many searches of the query in the range. */
  minOpens: 3,
  /** Its mean position when opened is at least this (it was found, but low). */
  minMeanPosition: 4,
  /** The weight suggested: the admin may change it within 0..BOOST_WEIGHT_MAX. */
  weight: 0.5,
} as const;

export function suggestsBoost(opens: number, meanPosition: number): boolean {
  return opens >= BOOST_SUGGESTION.minOpens && meanPosition >= BOOST_SUGGESTION.minMeanPosition;
}
