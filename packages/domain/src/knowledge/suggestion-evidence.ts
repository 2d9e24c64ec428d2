/**
 * Whether a known error or an incident model is worth offering on an incident, how strongly, and
 * why, in words a person can check. A shared service alone is never enough: a crash-looping pod on
 * the Kubernetes platform has nothing to do with a replica whose disk fills with WAL archives,
 * although both run there. Evidence:
 *
 *   symptom keyword in the title                 35 each
 *   symptom keyword only in the description      30 each
 *   symptom keyword only in an alert             30 each   (title, labels, annotations; keywords together at most 60)
 *   same category                                25
 *   incident in a subcategory of it              15
 *   same service                                 15
 *
 * Offered when some evidence is beyond the service (a keyword or the category) and the score is
 * at least 30; strong from 60. The score is capped at 100.
 */
export const EVIDENCE_POINTS = {
  keywordInTitle: 35,
  keywordInDescription: 30,
  keywordInAlert: 30,
  keywordsMax: 60,
  category: 25,
  parentCategory: 15,
  service: 15,
} as const;

export const OFFER_MIN_SCORE = 30;
export const STRONG_MIN_SCORE = 60;

export type SuggestionStrength = 'STRONG' | 'POSSIBLE';

export interface EvidenceSubject {
  serviceId: string | null;
  serviceName?: string | null;
  categoryId: string | null;
  categoryName?: string | null;
  /** The parent of the incident's category, when it is a subcategory. */
  categoryParentId?: string | null;
  title: string;
  description: string;
  /** Labels and annotations of the alerts that opened or joined the incident, as text. */
  alertText?: string;
}

export interface EvidenceHints {
  serviceId: string | null;
  categoryId: string | null;
  categoryName?: string | null;
  keywords: readonly string[];
}

export interface SuggestionEvidence {
  score: number;
  /** null: not to be offered. */
  strength: SuggestionStrength | null;
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

const quoted = (words: string[]) => words.map((w) => `"${w}"`).join(words.length > 2 ? ', ' : ' and ');

export function scoreSuggestion(incident: EvidenceSubject, hints: EvidenceHints): SuggestionEvidence {
  const found = { title: [] as string[], description: [] as string[], alert: [] as string[] };
  const seen = new Set<string>();
  for (const raw of hints.keywords) {
    const keyword = raw.trim().toLowerCase();
    if (!keyword || seen.has(keyword)) continue;
    seen.add(keyword);
    if (containsKeyword(incident.title, keyword)) found.title.push(keyword);
    else if (containsKeyword(incident.description, keyword)) found.description.push(keyword);
    else if (incident.alertText && containsKeyword(incident.alertText, keyword)) found.alert.push(keyword);
  }
  const keywordPoints = Math.min(
    found.title.length * EVIDENCE_POINTS.keywordInTitle +
      found.description.length * EVIDENCE_POINTS.keywordInDescription +
      found.alert.length * EVIDENCE_POINTS.keywordInAlert,
    EVIDENCE_POINTS.keywordsMax,
  );
  const reasons: string[] = [];
  if (found.title.length) reasons.push(`title mentions ${quoted(found.title)}`);
  if (found.description.length) reasons.push(`description mentions ${quoted(found.description)}`);
  if (found.alert.length) reasons.push(`alert mentions ${quoted(found.alert)}`);

  let categoryPoints = 0;
  if (hints.categoryId && incident.categoryId) {
    if (hints.categoryId === incident.categoryId) {
      categoryPoints = EVIDENCE_POINTS.category;
      reasons.push(`same category: ${incident.categoryName ?? incident.categoryId}`);
    } else if (hints.categoryId === incident.categoryParentId) {
      categoryPoints = EVIDENCE_POINTS.parentCategory;
      reasons.push(`category ${incident.categoryName ?? incident.categoryId} is under ${hints.categoryName ?? hints.categoryId}`);
    }
  }
  const sameService = !!hints.serviceId && hints.serviceId === incident.serviceId;
  if (sameService) reasons.push(`same service: ${incident.serviceName ?? incident.serviceId}`);

  const score = Math.min(keywordPoints + categoryPoints + (sameService ? EVIDENCE_POINTS.service : 0), 100);
  const beyondService = keywordPoints > 0 || categoryPoints > 0;
  const strength = !beyondService || score < OFFER_MIN_SCORE ? null : score >= STRONG_MIN_SCORE ? 'STRONG' : 'POSSIBLE';
  return { score, strength, reasons };
}

/** The rule in one sentence, for API descriptions and the web page. */
export const SUGGESTION_SCORE_DEFINITION =
  '0..100: a symptom keyword 35 in the title, 30 in the description or an alert (60 at most together), same category 25 ' +
  '(parent category 15), same service 15. Offered only with evidence beyond the service and a score of at least 30; strong from 60.';
