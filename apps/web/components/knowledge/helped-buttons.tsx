'use client';
// One click after applying an item, or opening it from search while working an incident: did it
// help? A reason is optional. Voting again replaces the vote (one per person, item and incident).
import { useState } from 'react';
import { FormError } from '@/components/forms';
import { GiveKnowledgeFeedbackDocument, type FeedbackContext, type KnowledgeKind } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function HelpedButtons({
  kind,
  itemId,
  incidentId,
  context,
  title,
  current,
}: {
  kind: KnowledgeKind;
  itemId: string;
  incidentId?: string | null;
  context: FeedbackContext;
  title: string;
  /** The signed-in user's vote so far. */
  current?: { helpful: boolean; reason?: string | null } | null;
}) {
  const { run, busy, error } = useAction(GiveKnowledgeFeedbackDocument);
  const [vote, setVote] = useState<boolean | null>(current?.helpful ?? null);
  const [reason, setReason] = useState(current?.reason ?? '');
  const send = async (helpful: boolean) => {
    const r = await run(
      { input: { kind, itemId, incidentId: incidentId ?? null, helpful, reason: reason.trim() || null, context } },
      { refresh: false },
    );
    if (r) setVote(helpful);
  };
  return (
    <div className="helped small" role="group" aria-label={`Did “${title}” help?`}>
      <span>Helped?</span>{' '}
      <button
        type="button"
        className={`btn small ${vote === true ? 'primary' : 'plain'}`}
        aria-pressed={vote === true}
        disabled={busy}
        onClick={() => send(true)}
      >
        Yes
      </button>{' '}
      <button
        type="button"
        className={`btn small ${vote === false ? 'primary' : 'plain'}`}
        aria-pressed={vote === false}
        disabled={busy}
        onClick={() => send(false)}
      >
        No
      </button>{' '}
      <input
        type="text"
        maxLength={500}
        placeholder="Why (optional)"
        aria-label={`Why it helped or not: ${title}`}
        value={reason}
        onChange={(ev) => setReason(ev.target.value)}
      />
      {vote !== null && !busy ? (
        <span className="form-ok" role="status">
          {' '}
          Thanks: recorded as {vote ? 'helped' : 'did not help'}.
        </span>
      ) : null}
      <FormError error={error} />
    </div>
  );
}
