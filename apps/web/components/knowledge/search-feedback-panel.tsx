// Knowledge opened from a search made while working an incident (?fromIncident=<id>): asks, in one
// click, whether it helped with that incident (feedback context SEARCH_RESULT).
import { IfAllowed } from '@/components/if-allowed';
import type { KnowledgeKind } from '@/gql/graphql';
import { HelpedButtons } from './helped-buttons';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function SearchFeedbackPanel({
  kind,
  itemId,
  title,
  fromIncident,
}: {
  kind: KnowledgeKind;
  itemId: string;
  title: string;
  fromIncident: string | undefined;
}) {
  if (!fromIncident || !UUID_RE.test(fromIncident)) return null;
  return (
    <IfAllowed op="giveKnowledgeFeedback">
      <section className="panel" aria-labelledby="search-feedback-h">
        <h2 id="search-feedback-h">Found it while working an incident?</h2>
        <HelpedButtons kind={kind} itemId={itemId} incidentId={fromIncident} context="SEARCH_RESULT" title={title} />
      </section>
    </IfAllowed>
  );
}
