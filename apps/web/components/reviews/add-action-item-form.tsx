'use client';
// An action item: owner, due date, kind (prevent, detect, mitigate, process), optionally aimed at the root-cause problem.
import { ACTION_ITEM_KINDS } from '@ikb/domain';
import { Field, FormError, OptionSelect, Submit, int, str, type Option } from '@/components/forms';
import { AddActionItemDocument, type ActionItemKind } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function AddActionItemForm({ reviewId, users, problemId }: { reviewId: string; users: Option[]; problemId?: string | null }) {
  const { run, busy, error } = useAction(AddActionItemDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({
          reviewId,
          input: {
            title: str(f, 'title') ?? '',
            kind: (str(f, 'kind') ?? 'PREVENT') as ActionItemKind,
            ownerId: str(f, 'ownerId') ?? '',
            dueDate: str(f, 'dueDate') ?? '',
            priority: int(f, 'priority') ?? 3,
            problemId: f.get('linkProblem') === 'on' ? (problemId ?? undefined) : undefined,
          },
        });
        if (ok) form.reset();
      }}
    >
      <Field label="Title" wide>
        <input type="text" name="title" required />
      </Field>
      <Field label="Kind">
        <select name="kind" defaultValue="PREVENT">
          {ACTION_ITEM_KINDS.map((k) => (
            <option key={k} value={k}>
              {humanize(k)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Owner">
        <OptionSelect name="ownerId" options={users} empty="Choose" required />
      </Field>
      <Field label="Due date">
        <input type="date" name="dueDate" required />
      </Field>
      <Field label="Priority" hint="1 highest .. 5 lowest">
        <input type="number" name="priority" min={1} max={5} defaultValue={3} />
      </Field>
      {problemId ? (
        <label className="check">
          <input type="checkbox" name="linkProblem" defaultChecked /> Targets the root-cause problem
        </label>
      ) : null}
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Add action item</Submit>
      </div>
    </form>
  );
}
