// The lifecycle of a workaround, known error or model on its page: state, owner, review date, why
// it is stale, and how well it worked (with the sample behind each figure).
import { IfAllowed } from '@/components/if-allowed';
import { Dl } from '@/components/ui';
import type { KnowledgeLifecycleFragment } from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';
import { KNOWLEDGE_STALE_LABELS } from '@ikb/domain';
import { EffectivenessLine } from './effectiveness-line';
import { MarkReviewedButton } from './mark-reviewed-button';
import { KnowledgeMoveButtons } from './move-buttons';

export function KnowledgeLifecyclePanel({ k }: { k: KnowledgeLifecycleFragment }) {
  return (
    <section className="panel" aria-labelledby="lifecycle-k-h">
      <h2 id="lifecycle-k-h">Knowledge lifecycle</h2>
      <Dl
        items={[
          ['State', humanize(k.state)],
          ['Owner', k.owner?.name ?? 'No owner'],
          ['Review by', formatDateTime(k.reviewBy)],
          ['Last reviewed', formatDateTime(k.reviewedAt)],
          ['Stale', k.stale ? `Yes: ${k.staleReasons.map((r) => KNOWLEDGE_STALE_LABELS[r] ?? r).join(', ')}` : 'No'],
        ]}
      />
      <EffectivenessLine e={k.effectiveness} />
      {k.state === 'PUBLISHED' || k.state === 'NEEDS_REVIEW' ? (
        <IfAllowed op="markKnowledgeReviewed">
          <MarkReviewedButton kind={k.kind} itemId={k.itemId} title={k.title} />
        </IfAllowed>
      ) : null}
      <IfAllowed op="transitionKnowledge">
        <KnowledgeMoveButtons kind={k.kind} itemId={k.itemId} title={k.title} moves={k.moves} />
      </IfAllowed>
    </section>
  );
}
