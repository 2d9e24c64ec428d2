'use client';
import { Field, FieldErrors, FormError, OptionSelect, Saved, Submit, str, type Option } from '@/components/forms';
import { AssignIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function AssignForm({
  id,
  teamId,
  assigneeId,
  teams,
  users,
}: {
  id: string;
  teamId?: string | null;
  assigneeId?: string | null;
  teams: Option[];
  users: Option[];
}) {
  const { run, busy, error, errors, done } = useAction(AssignIncidentDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ id, input: { teamId: str(f, 'teamId') ?? null, assigneeId: str(f, 'assigneeId') ?? null } });
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Team">
          <OptionSelect name="teamId" options={teams} defaultValue={teamId} empty="No team" />
        </Field>
        <Field label="Assignee">
          <OptionSelect name="assigneeId" options={users} defaultValue={assigneeId} empty="Unassigned" />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Assign</Submit>
          <Saved done={done} error={error} />
        </div>
      </FieldErrors>
    </form>
  );
}
