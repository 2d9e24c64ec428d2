'use client';
// The admins' review of ranking boosts (decision 0011): suggestions to approve (weight, reason) or
// dismiss (reason), and the decisions made, each with who and when, revocable.
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { FormError } from '@/components/forms';
import { useSession } from '@/components/session';
import {
  ApproveSearchBoostDocument,
  DismissSearchBoostDocument,
  RevokeSearchBoostDocument,
  type SearchAnalyticsPageQuery,
} from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';
import { can } from '@/lib/permissions';
import { hitHref } from '@/lib/search';
import { useAction } from '@/lib/use-action';

type Suggestion = SearchAnalyticsPageQuery['searchAnalytics']['boostSuggestions'][number];
type Boost = SearchAnalyticsPageQuery['searchBoosts'][number];

/** Workarounds, models and reviews have pages by id; incidents and problems by number, which a boost does not carry. */
function Record({ kind, id, title }: { kind: Suggestion['kind']; id: string; title: string | null }) {
  const text = title ?? 'a record no longer in the catalog';
  const linked = kind === 'WORKAROUND' || kind === 'MODEL' || kind === 'REVIEW';
  return (
    <>
      {humanize(kind)}: {linked ? <Link href={hitHref({ kind, id, incident: null, problem: null })}>{text}</Link> : text}
    </>
  );
}

function SuggestionRow({ s }: { s: Suggestion }) {
  const approve = useAction(ApproveSearchBoostDocument);
  const dismiss = useAction(DismissSearchBoostDocument);
  const [reason, setReason] = useState('');
  const [weight, setWeight] = useState(String(s.suggestedWeight));
  const base = { query: s.query, kind: s.kind, itemId: s.itemId, reason: reason.trim() };
  const onApprove = (e: FormEvent) => {
    e.preventDefault();
    void approve.run({ input: { ...base, weight: Number(weight) } });
  };
  const busy = approve.busy || dismiss.busy;
  const label = `${s.query} → ${s.title ?? s.itemId}`;
  return (
    <tr data-boost-suggestion={s.query}>
      <td>{s.query}</td>
      <td>
        <Record kind={s.kind} id={s.itemId} title={s.title} />
      </td>
      <td className="num">{s.opens}</td>
      <td className="num">{s.meanPosition.toFixed(1)}</td>
      <td>
        <form onSubmit={onApprove} className="inline-form" aria-label={`Decide on ${label}`}>
          <label>
            Weight{' '}
            <input type="number" min="0.05" max="1" step="0.05" value={weight} onChange={(e) => setWeight(e.target.value)} required />
          </label>
          <label>
            Reason <input type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <button type="submit" className="btn small" disabled={busy || !reason.trim()}>
            Approve
          </button>
          <button
            type="button"
            className="btn plain small"
            disabled={busy || !reason.trim()}
            onClick={() => void dismiss.run({ input: base })}
          >
            Dismiss
          </button>
          <FormError error={approve.error ?? dismiss.error} />
        </form>
      </td>
    </tr>
  );
}

export function BoostSuggestions({ suggestions }: { suggestions: Suggestion[] }) {
  if (!suggestions.length) return <p className="small muted">No boost to suggest in this range.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-table="boost-suggestions">
        <caption className="small muted">Suggested boosts, to approve or dismiss</caption>
        <thead>
          <tr>
            <th scope="col">Query</th>
            <th scope="col">Record</th>
            <th scope="col" className="num">
              Opened
            </th>
            <th scope="col" className="num">
              Mean position
            </th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {suggestions.map((s) => (
            <SuggestionRow key={`${s.query}:${s.itemId}`} s={s} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Revoke({ b }: { b: Boost }) {
  const revoke = useAction(RevokeSearchBoostDocument);
  return (
    <>
      <button type="button" className="btn plain small" disabled={revoke.busy} onClick={() => void revoke.run({ id: b.id })}>
        Revoke
      </button>
      <FormError error={revoke.error} />
    </>
  );
}

export function BoostDecisions({ boosts }: { boosts: Boost[] }) {
  const session = useSession();
  const admin = can(session?.role ?? null, 'revokeSearchBoost');
  if (!boosts.length) return <p className="small muted">No boost decided yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-table="boosts">
        <caption className="small muted">Boost decisions: approved ones rank, dismissed ones are not suggested again</caption>
        <thead>
          <tr>
            <th scope="col">Query</th>
            <th scope="col">Record</th>
            <th scope="col">Decision</th>
            <th scope="col">Reason</th>
            <th scope="col">By, when</th>
            {admin ? <th scope="col">Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {boosts.map((b) => (
            <tr key={b.id} data-boost={b.query}>
              <td>{b.query}</td>
              <td>
                <Record kind={b.kind} id={b.itemId} title={b.title} />
              </td>
              <td>{b.status === 'APPROVED' ? `Approved, x${(1 + b.weight).toFixed(2)}` : 'Dismissed'}</td>
              <td>{b.reason}</td>
              <td>
                {b.decidedByName}, {formatDateTime(b.decidedAt)}
              </td>
              {admin ? (
                <td>
                  <Revoke b={b} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
