'use client';
// The lifecycle moves an item allows now (KnowledgeItem.moves): send to review, publish, send back,
// retire, revive. The API refuses any other; the page refreshes to show the new state.
import { FormError } from '@/components/forms';
import { TransitionKnowledgeDocument, type KnowledgeKind, type KnowledgeState } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

const LABELS: Record<KnowledgeState, string> = {
  DRAFT: 'Back to draft',
  IN_REVIEW: 'Send to review',
  PUBLISHED: 'Publish',
  NEEDS_REVIEW: 'Flag for review',
  RETIRED: 'Retire',
};

export function KnowledgeMoveButtons({
  kind,
  itemId,
  title,
  moves,
}: {
  kind: KnowledgeKind;
  itemId: string;
  title: string;
  moves: KnowledgeState[];
}) {
  const { run, busy, error } = useAction(TransitionKnowledgeDocument);
  if (!moves.length) return null;
  return (
    <div className="actions" role="group" aria-label={`Lifecycle of ${title}`}>
      {moves.map((to) => (
        <button key={to} type="button" className="btn small" disabled={busy} onClick={() => run({ input: { kind, itemId, to } })}>
          {LABELS[to]}
        </button>
      ))}
      <FormError error={error} />
    </div>
  );
}
