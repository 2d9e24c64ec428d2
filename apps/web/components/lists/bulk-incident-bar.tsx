'use client';
// Bulk changes to the incidents selected on this page of a list (bulkUpdateIncidents): assign (to
// me, or to a person or team), acknowledge, change status, add to a review. All or nothing: when the
// API refuses some incidents, nothing changed, and each refusal is listed in plain words so the user
// can deselect those and retry. Status moves ask first; after a change the list refreshes, the
// selection clears and the live region says what changed.
import { HOLD_REASONS, INCIDENT_STATUSES, RESOLUTION_KINDS } from '@ikb/domain';
import { useState } from 'react';
import { FormError } from '@/components/forms';
import { BulkUpdateIncidentsDocument, type BulkIncidentInput, type IncidentStatus } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import { BulkActionSelect, BulkApply, BulkCount, BulkOutcome, plural, useBulkOutcome } from './bulk-outcome';
import { BulkSelect, type Option } from './bulk-select';
import { useSelectedCount } from './select-all-box';

type Action = 'mine' | 'assign' | 'acknowledge' | 'transition' | 'review';

export function BulkIncidentBar(props: {
  form: string;
  users: Option[];
  teams: Option[];
  reviews: Option[] | null;
  /** The signed-in user: offers "Assign to me" (the work queue). */
  me?: Option | null;
  /** Offers "Acknowledge" (the work queue: the first response to many new incidents). */
  acknowledge?: boolean;
}) {
  const { form, users, teams, reviews, me, acknowledge } = props;
  const { run, busy, error } = useAction(BulkUpdateIncidentsDocument);
  const selected = useSelectedCount(form);
  const [action, setAction] = useState<Action>(me ? 'mine' : 'assign');
  const [to, setTo] = useState<IncidentStatus>('INVESTIGATING');
  const outcome = useBulkOutcome(form);
  const name = (list: Option[], id: string) => list.find((o) => o.id === id)?.name ?? 'the one chosen';

  const input = (f: FormData, incidentIds: string[]): BulkIncidentInput => {
    const text = (k: string) => (String(f.get(k) ?? '') || null) as never;
    // Assign: "" keeps what each incident has, "none" clears it, an id sets it.
    const keepOr = (k: string) => {
      const v = String(f.get(k) ?? '');
      return v === '' ? {} : { [k]: v === 'none' ? null : v };
    };
    if (action === 'mine') return { incidentIds, assign: { assigneeId: me!.id } };
    if (action === 'assign') return { incidentIds, assign: { ...keepOr('assigneeId'), ...keepOr('teamId') } };
    if (action === 'acknowledge') return { incidentIds, acknowledge: true };
    if (action === 'review') return { incidentIds, addToReviewId: text('reviewId') };
    return {
      incidentIds,
      transition: {
        to,
        holdReason: to === 'ON_HOLD' ? text('holdReason') : undefined,
        resolutionKind: to === 'RESOLVED' ? text('resolutionKind') : undefined,
        resolutionNotes: to === 'RESOLVED' ? text('resolutionNotes') : undefined,
        userConfirmed: to === 'CLOSED' ? f.get('userConfirmed') === 'on' : undefined,
      },
    };
  };

  /** What changed, as the live region says it: "3 incidents assigned to Team Payments". */
  const said = (n: number, f: FormData): string => {
    const what = plural(n, 'incident');
    if (action === 'mine') return `${what} assigned to you`;
    if (action === 'acknowledge') return `${what} acknowledged`;
    if (action === 'transition') return `${what} moved to ${humanize(to)}`;
    if (action === 'review') return `${what} added to ${name(reviews ?? [], String(f.get('reviewId')))}`;
    const whom = (k: string, list: Option[], none: string) => {
      const v = String(f.get(k) ?? '');
      return v === '' ? null : v === 'none' ? none : name(list, v);
    };
    const parts = [whom('assigneeId', users, 'nobody'), whom('teamId', teams, 'no team')].filter(Boolean);
    return parts.length ? `${what} assigned to ${parts.join(' and ')}` : `${what} left as they were`;
  };

  const moves = action === 'transition' || action === 'acknowledge';
  const ask = moves
    ? `${action === 'acknowledge' ? 'Acknowledge' : `Move to ${humanize(to)}`} ${plural(selected, 'incident')}? There is no undo.`
    : null;

  return (
    <form
      id={form}
      className="bulk-bar"
      aria-label="Change the selected incidents"
      onSubmit={async (e) => {
        e.preventDefault();
        const ids = outcome.begin();
        if (!ids.length) return;
        const f = new FormData(e.currentTarget);
        const r = await run({ input: input(f, ids) });
        if (!r) return;
        const out = r.bulkUpdateIncidents;
        if (out.errors.length) outcome.refused(out.errors.map((x) => ({ id: x.incidentId, message: x.message })));
        else outcome.succeeded(`${said(out.applied, f)}.`);
      }}
    >
      <BulkCount selected={selected} none="Select incidents below to change several at once." />
      <BulkActionSelect<Action>
        value={action}
        onChange={setAction}
        options={[
          me ? ['mine', 'Assign to me'] : null,
          ['assign', 'Assign'],
          acknowledge ? ['acknowledge', 'Acknowledge'] : null,
          ['transition', 'Change status'],
          reviews ? ['review', 'Add to a review'] : null,
        ]}
      />
      {action === 'assign' ? (
        <>
          <BulkSelect
            name="assigneeId"
            label="Assignee"
            empty="Keep as is"
            options={[{ id: 'none', name: 'Nobody (unassign)' }, ...users]}
          />
          <BulkSelect name="teamId" label="Team" empty="Keep as is" options={[{ id: 'none', name: 'No team' }, ...teams]} />
        </>
      ) : action === 'review' ? (
        <BulkSelect name="reviewId" label="Review" options={reviews ?? []} required />
      ) : action === 'transition' ? (
        <TransitionFields to={to} setTo={setTo} />
      ) : null}
      <BulkApply form={form} selected={selected} busy={busy} ask={ask} />
      <FormError error={error} />
      <BulkOutcome done={outcome.done} refusals={outcome.refusals} asked={outcome.asked} noun="incident" />
    </form>
  );
}

function TransitionFields({ to, setTo }: { to: IncidentStatus; setTo: (s: IncidentStatus) => void }) {
  return (
    <>
      <label className="field inline">
        <span className="field-label">New status</span>
        <select value={to} onChange={(e) => setTo(e.currentTarget.value as IncidentStatus)}>
          {INCIDENT_STATUSES.filter((s) => s !== 'NEW').map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </select>
      </label>
      {to === 'ON_HOLD' ? (
        <BulkSelect name="holdReason" label="Hold reason" options={HOLD_REASONS.map((h) => ({ id: h, name: humanize(h) }))} required />
      ) : null}
      {to === 'RESOLVED' ? (
        <>
          <BulkSelect
            name="resolutionKind"
            label="Resolution"
            options={RESOLUTION_KINDS.map((k) => ({ id: k, name: humanize(k) }))}
            required
          />
          <label className="field inline">
            <span className="field-label">Notes</span>
            <input type="text" name="resolutionNotes" maxLength={2000} />
          </label>
        </>
      ) : null}
      {to === 'CLOSED' ? (
        <label className="inline small">
          <input type="checkbox" name="userConfirmed" /> The users confirmed the resolution
        </label>
      ) : null}
    </>
  );
}
