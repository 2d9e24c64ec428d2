// Search analytics (decision 0011): tells the API which hit of a search was opened, and where it
// stood. Fire and forget: navigation never waits for it, and a failure is nobody's concern.
import { RecordSearchOpenDocument, type SearchKind } from '@/gql/graphql';
import { fetchGraphQL } from './client-gql';

export function recordSearchOpen(
  searchId: string,
  hit: { kind: SearchKind; id: string },
  position: number,
  csrfToken: string | null,
): void {
  void fetchGraphQL(RecordSearchOpenDocument, { input: { searchId, kind: hit.kind, id: hit.id, position } }, { csrfToken }).catch(() => {});
}
