// The knowledge-health page's filters from its query string: shared by the page and its CSV export.
import type { KnowledgeHealthFilter, KnowledgeKind } from '@/gql/graphql';
import { one, type SearchParams } from './params';

export const KNOWLEDGE_KINDS: readonly KnowledgeKind[] = ['WORKAROUND', 'KNOWN_ERROR', 'MODEL'];
export const KIND_LABELS: Record<KnowledgeKind, string> = { WORKAROUND: 'Workaround', KNOWN_ERROR: 'Known error', MODEL: 'Incident model' };

export const ATTENTION_LABELS: Record<string, string> = {
  STALE: 'Stale',
  REVIEW_DUE: 'Review due within 30 days',
  IN_REVIEW_TOO_LONG: 'In review for over 14 days',
  LOW_EFFECTIVENESS: 'Works poorly (enough data)',
};

export const STALE_LABELS: Record<string, string> = {
  REVIEW_DATE_PASSED: 'review date passed',
  SERVICE_CHANGED: 'service changed',
  CATEGORY_CHANGED: 'category changed',
  APPLIED_INCIDENT_REOPENED: 'an incident it was applied to reopened',
};

/** Unknown kinds are dropped (the page shows all); ids go to the API, which refuses malformed ones. */
export function knowledgeHealthFilter(sp: SearchParams): KnowledgeHealthFilter {
  const kind = one(sp, 'kind');
  return {
    kind: KNOWLEDGE_KINDS.includes(kind as KnowledgeKind) ? (kind as KnowledgeKind) : null,
    ownerId: one(sp, 'owner') || null,
    teamId: one(sp, 'team') || null,
    serviceId: one(sp, 'service') || null,
  };
}
