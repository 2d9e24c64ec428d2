'use client';
// One action item: its status (won't do asks why) and removal.
import { ACTION_ITEM_STATUSES } from '@ikb/domain';
import { useState } from 'react';
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { RemoveActionItemDocument, SetActionItemStatusDocument, type ActionItemRowFragment, type ActionItemStatus } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import { ActionItemTracker, type TrackerTargetOption } from './action-item-tracker';

export function ActionItemRow({
  item,
  editable,
  canRemove,
  targets = [],
  canPush = false,
}: {
  item: ActionItemRowFragment;
  editable: boolean;
  canRemove: boolean;
  targets?: TrackerTargetOption[];
  canPush?: boolean;
}) {
  const setStatus = useAction(SetActionItemStatusDocument);
  const remove = useAction(RemoveActionItemDocument);
  const errorId = `ai-${item.id}-error`;
  const [wontDo, setWontDo] = useState(false);
  return (
    <li>
      <strong>{item.title}</strong> <span className={`badge status-${item.status.toLowerCase()}`}>{humanize(item.status)}</span>{' '}
      {item.overdue ? <span className="badge priority-1">Overdue</span> : null}
      <div className="muted small">
        {humanize(item.kind)} · P{item.priority} · {item.owner.name} · due {item.dueDate}
        {item.problem ? ` · ${item.problem.number}` : ''}
        {item.workaround ? ` · workaround: ${item.workaround.title}` : ''}
        {item.recurrencesAfter != null ? ` · ${item.recurrencesAfter} recurrences since done` : ''}
        {item.wontDoReason ? ` · won't do: ${item.wontDoReason}` : ''}
      </div>
      <ActionItemTracker item={item} targets={targets} canPush={canPush} />
      {editable ? (
        <div className="actions small">
          <label className="visually-hidden" htmlFor={`ai-${item.id}`}>
            Status of {item.title}
          </label>
          <select
            id={`ai-${item.id}`}
            aria-invalid={setStatus.error && !wontDo ? true : undefined}
            aria-describedby={setStatus.error && !wontDo ? errorId : undefined}
            value={item.status}
            disabled={setStatus.busy}
            aria-busy={setStatus.busy}
            style={{ width: 'auto' }}
            onChange={(e) => {
              const status = e.target.value as ActionItemStatus;
              if (status === 'WONT_DO') setWontDo(true);
              else setStatus.run({ id: item.id, input: { status } });
            }}
          >
            {ACTION_ITEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
          {canRemove ? (
            <ConfirmButton
              label="Remove"
              accessibleLabel={`Remove action item ${item.title}`}
              question={`Remove the action item “${item.title}”? Its owner no longer sees it, and its status history goes with it.`}
              busy={remove.busy}
              onConfirm={() => remove.run({ id: item.id })}
            />
          ) : null}
        </div>
      ) : null}
      {wontDo ? (
        <form
          className="actions"
          onSubmit={async (e) => {
            e.preventDefault();
            const reason = String(new FormData(e.currentTarget).get('reason') ?? '');
            if (await setStatus.run({ id: item.id, input: { status: 'WONT_DO', reason } })) setWontDo(false);
          }}
        >
          <label className="visually-hidden" htmlFor={`wd-${item.id}`}>
            Why it won&apos;t be done
          </label>
          <input
            id={`wd-${item.id}`}
            name="reason"
            required
            placeholder="Why it won't be done"
            style={{ maxWidth: '24rem' }}
            autoFocus
            aria-invalid={setStatus.error ? true : undefined}
            aria-describedby={setStatus.error ? errorId : undefined}
          />
          <button type="submit" className="btn primary small">
            Save
          </button>
          <button type="button" className="btn plain small" onClick={() => setWontDo(false)}>
            Cancel
          </button>
        </form>
      ) : null}
      {/* A status refusal describes the control that made it: the reason box while open, else the status. */}
      {setStatus.error ? (
        <p className="form-error" id={errorId} role="alert">
          {setStatus.error}
        </p>
      ) : null}
      <FormError error={remove.error} />
    </li>
  );
}
