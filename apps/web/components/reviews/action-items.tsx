'use client';
// A review's action items: the list (owners may move their own items on) and the form to add one.
import type { Option } from '@/components/forms';
import { Disclosure } from '@/components/ui';
import type { ActionItemRowFragment } from '@/gql/graphql';
import { ActionItemRow } from './action-item-row';
import { AddActionItemForm } from './add-action-item-form';
import type { TrackerTargetOption } from './action-item-tracker';

export function ActionItems({
  reviewId,
  items,
  users,
  problemId,
  editable,
  onlyOwnedBy,
  canAdd,
  canRemove = canAdd,
  targets = [],
  canPush = false,
}: {
  reviewId: string;
  items: ActionItemRowFragment[];
  users: Option[];
  problemId?: string | null;
  /** Status changes (owners, often engineers, may move their items on). */
  editable: boolean;
  /** Set for engineers: only the items of this owner may be moved (null: none). */
  onlyOwnedBy?: string | null;
  canAdd: boolean;
  canRemove?: boolean;
  /** Trackers action items can be pushed to, and whether this user may push. */
  targets?: TrackerTargetOption[];
  canPush?: boolean;
}) {
  return (
    <div>
      {items.length ? (
        <ul className="card-list">
          {items.map((a) => (
            <ActionItemRow
              key={a.id}
              item={a}
              editable={editable && (onlyOwnedBy === undefined || a.owner.id === onlyOwnedBy)}
              canRemove={canRemove}
              targets={targets}
              canPush={canPush}
            />
          ))}
        </ul>
      ) : (
        <p className="empty">No action items yet.</p>
      )}
      {canAdd ? (
        <Disclosure summary="Add an action item" style={{ marginTop: '0.5rem' }}>
          <AddActionItemForm reviewId={reviewId} users={users} problemId={problemId} />
        </Disclosure>
      ) : null}
    </div>
  );
}
