'use client';
// One checklist step of an applied incident model.
import { FormError } from '@/components/forms';
import { SetChecklistItemDoneDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function ChecklistItem({ itemId, done, text, readOnly }: { itemId: string; done: boolean; text: string; readOnly?: boolean }) {
  const { run, busy, error } = useAction(SetChecklistItemDoneDocument);
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={done} disabled={busy || readOnly} onChange={(e) => run({ itemId, done: e.target.checked })} />
        <span style={done ? { textDecoration: 'line-through' } : undefined}>{text}</span>
      </label>
      <FormError error={error} />
    </>
  );
}
