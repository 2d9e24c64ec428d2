'use client';
// An action item: owner, due date, kind (prevent, detect, mitigate, process), optionally aimed at the root-cause problem.
import { ACTION_ITEM_KINDS } from '@ikb/domain';
import { useEffect, useState } from 'react';
import { Field, FieldErrors, FormError, OptionSelect, Submit, int, str, type Option } from '@/components/forms';
import { AddActionItemDocument, type ActionItemKind } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';

/** The user's own day and zone: a due date may not lie before today where they are (the API checks it). */
function userToday(): { today: string; timeZone: string } {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return { today, timeZone };
}

export function AddActionItemForm({ reviewId, users, problemId }: { reviewId: string; users: Option[]; problemId?: string | null }) {
  const { run, busy, error, errors } = useAction(AddActionItemDocument);
  // Read in the browser after hydration: the server's zone and day are not the user's.
  const [{ today, timeZone }, setNow] = useState<{ today?: string; timeZone?: string }>({});
  useEffect(() => setNow(userToday()), []);
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
            timeZone,
            problemId: f.get('linkProblem') === 'on' ? (problemId ?? undefined) : undefined,
          },
        });
        if (ok) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
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
        <Field label="Due date" hint={today ? `Today (${today}) or later` : 'Today or later'}>
          <input type="date" name="dueDate" required min={today} />
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
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Add action item</Submit>
      </div>
    </form>
  );
}
