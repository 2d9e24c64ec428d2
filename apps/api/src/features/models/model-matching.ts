/**
 * How well an incident model version fits an incident: a score from 0 to 100 and the reasons, in
 * words a person can check. Pure: the caller supplies the names to show.
 *
 *   same service                      40
 *   same category                     30
 *   incident in a subcategory of it   15   (the model names the parent category)
 *   keyword in the title              15 each
 *   keyword only in the description    8 each   (keywords together at most 30)
 */
export const MATCH_POINTS = {
  service: 40,
  category: 30,
  parentCategory: 15,
  keywordInTitle: 15,
  keywordInDescription: 8,
  keywordsMax: 30,
} as const;

export interface MatchSubject {
  serviceId: string | null;
  serviceName?: string | null;
  categoryId: string | null;
  categoryName?: string | null;
  /** The parent of the incident's category, when it is a subcategory. */
  categoryParentId?: string | null;
  title: string;
  description: string;
}

export interface MatchHints {
  matchServiceId: string | null;
  matchCategoryId: string | null;
  matchCategoryName?: string | null;
  matchKeywords: readonly string[];
}

export interface MatchResult {
  score: number;
  reasons: string[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whole-word, case-insensitive: "502" is in "HTTP 502 errors" but not in "15023". */
export function containsKeyword(text: string, keyword: string): boolean {
  const k = keyword.trim();
  if (!k) return false;
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(k)}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

export function scoreModelMatch(incident: MatchSubject, hints: MatchHints): MatchResult {
  let score = 0;
  const reasons: string[] = [];
  if (hints.matchServiceId && hints.matchServiceId === incident.serviceId) {
    score += MATCH_POINTS.service;
    reasons.push(`same service: ${incident.serviceName ?? incident.serviceId}`);
  }
  if (hints.matchCategoryId && incident.categoryId) {
    if (hints.matchCategoryId === incident.categoryId) {
      score += MATCH_POINTS.category;
      reasons.push(`same category: ${incident.categoryName ?? incident.categoryId}`);
    } else if (hints.matchCategoryId === incident.categoryParentId) {
      score += MATCH_POINTS.parentCategory;
      reasons.push(`category ${incident.categoryName ?? incident.categoryId} is under ${hints.matchCategoryName ?? hints.matchCategoryId}`);
    }
  }
  let keywordPoints = 0;
  const seen = new Set<string>();
  for (const raw of hints.matchKeywords) {
    const keyword = raw.trim().toLowerCase();
    if (!keyword || seen.has(keyword)) continue;
    seen.add(keyword);
    if (containsKeyword(incident.title, keyword)) {
      keywordPoints += MATCH_POINTS.keywordInTitle;
      reasons.push(`keyword "${keyword}" in title`);
    } else if (containsKeyword(incident.description, keyword)) {
      keywordPoints += MATCH_POINTS.keywordInDescription;
      reasons.push(`keyword "${keyword}" in description`);
    }
  }
  score += Math.min(keywordPoints, MATCH_POINTS.keywordsMax);
  return { score: Math.min(score, 100), reasons };
}

const STOP_WORDS = new Set(
  `a an and are as at be been by can cannot could does did for from has have in into is it its not no of on or our the
   their then there this that to was were when where which while will with without after before during over under
   again all any some very too via per new old`.split(/\s+/),
);

/** Keywords proposed from an incident title for a model made from it: distinct words, no filler. */
export function keywordsFromTitle(title: string, max = 8): string[] {
  const words = title.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}._-]*/gu) ?? [];
  const out: string[] = [];
  for (const w of words) {
    const word = w.replace(/[._-]+$/, '');
    if (word.length < 3 && !/^\d+$/.test(word)) continue;
    if (STOP_WORDS.has(word) || out.includes(word) || word.length > 60) continue;
    out.push(word);
    if (out.length >= max) break;
  }
  return out;
}
