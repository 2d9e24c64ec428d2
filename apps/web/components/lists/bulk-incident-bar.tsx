'use client';
// Bulk changes to the incidents selected on this page of the register (bulkUpdateIncidents): assign,
// change status, add to a review. All or nothing: when the API refuses some incidents, nothing
// changed, and each refusal is listed in plain words so the user can deselect those and retry.
import { HOLD_REASONS, INCIDENT_STATUSES, RESOLUTION_KINDS } from '@ikb/domain';
import { useEffect, useState } from 'react';
import { FormError, Submit } from '@/components/forms';
import { BulkUpdateIncidentsDocument, type BulkIncidentInput, type IncidentStatus } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import { rowBoxes } from './select-all-box';

type Option = { id: string; name: string };
type Refusal = { incidentId: string; message: string };

export function BulkIncidentBar(props: { form: string; users: Option[]; teams: Option[]; reviews: Option[] | null }) {
  const { form, users, teams, reviews } = props;
  const { run, busy, error } = useAction(BulkUpdateIncidentsDocument);
  const [selected, setSelected] = useState(0);
  const [action, setAction] = useState<'assign' | 'transition' | 'review'>('assign');
  const [to, setTo] = useState<IncidentStatus>('INVESTIGATING');
  const [refusals, setRefusals] = useState<Refusal[]>([]);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    const sync = () => setSelected(rowBoxes(form).filter((b) => b.checked).length);
    sync();
    document.addEventListener('change', sync);
    document.addEventListener('ikb-selection', sync);
    return () => {
      document.removeEventListener('change', sync);
      document.removeEventListener('ikb-selection', sync);
    };
  }, [form]);

  const input = (f: FormData, incidentIds: string[]): BulkIncidentInput => {
    const text = (k: string) => (String(f.get(k) ?? '') || null) as never;
    // Assign: "" keeps what each incident has, "none" clears it, an id sets it.
    const keepOr = (k: string) => {
      const v = String(f.get(k) ?? '');
      return v === '' ? {} : { [k]: v === 'none' ? null : v };
    };
    if (action === 'assign') return { incidentIds, assign: { ...keepOr('assigneeId'), ...keepOr('teamId') } };
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

  return (
    <form
      id={form}
      className="bulk-bar"
      aria-label="Change the selected incidents"
      onSubmit={async (e) => {
        e.preventDefault();
        const ids = rowBoxes(form)
          .filter((b) => b.checked)
          .map((b) => b.value);
        setRefusals([]);
        setDone(null);
        if (!ids.length) return;
        const r = await run({ input: input(new FormData(e.currentTarget), ids) });
        if (!r) return;
        if (r.bulkUpdateIncidents.errors.length) setRefusals(r.bulkUpdateIncidents.errors);
        else setDone(`Changed ${r.bulkUpdateIncidents.applied} incident${r.bulkUpdateIncidents.applied === 1 ? '' : 's'}.`);
      }}
    >
      <p className="bulk-count" aria-live="polite">
        {selected ? `${selected} selected` : 'Select incidents below to change several at once.'}
      </p>
      <label className="field inline">
        <span className="field-label">Action</span>
        <select value={action} onChange={(e) => setAction(e.currentTarget.value as typeof action)}>
          <option value="assign">Assign</option>
          <option value="transition">Change status</option>
          {reviews ? <option value="review">Add to a review</option> : null}
        </select>
      </label>
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
      ) : (
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
      )}
      <Submit busy={busy}>{selected ? `Apply to ${selected}` : 'Apply'}</Submit>
      <FormError error={error} />
      {done ? (
        <p className="notice small" role="status">
          {done}
        </p>
      ) : null}
      {refusals.length ? (
        <div className="form-error bulk-refusals" role="alert">
          <p>
            Nothing was changed: {refusals.length} of {selected} selected incident{selected === 1 ? '' : 's'}{' '}
            {refusals.length === 1 ? 'was' : 'were'} refused.
          </p>
          <ul>
            {refusals.map((r) => (
              <li key={r.incidentId}>{r.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}

function BulkSelect({
  name,
  label,
  options,
  empty,
  required,
}: {
  name: string;
  label: string;
  options: Option[];
  empty?: string;
  required?: boolean;
}) {
  return (
    <label className="field inline">
      <span className="field-label">{label}</span>
      <select name={name} required={required} defaultValue="">
        <option value="">{empty ?? 'Choose…'}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
