// The knowledge-health page's filters from its query string: shared by the page and its CSV export.
import type { KnowledgeHealthFilter, KnowledgeKind } from '@/gql/graphql';
import { one, type SearchParams } from './params';

export const KNOWLEDGE_KINDS: readonly KnowledgeKind[] = ['WORKAROUND', 'KNOWN_ERROR', 'MODEL'];

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
