'use client';
// Functional or hierarchical escalation, or declaring a major incident.
import { Field, FieldErrors, FormError, OptionSelect, Submit, str, type Option } from '@/components/forms';
import { RecordEscalationDocument, type EscalationKind } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function EscalationForm({ id, teams, users }: { id: string; teams: Option[]; users: Option[] }) {
  const { run, busy, error, errors } = useAction(RecordEscalationDocument);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const ok = await run({
          id,
          input: {
            kind: str(f, 'kind') as EscalationKind,
            reason: str(f, 'reason') ?? '',
            toTeamId: str(f, 'toTeamId'),
            toUserId: str(f, 'toUserId'),
          },
        });
        if (ok) form.reset();
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Kind">
          <select name="kind" defaultValue="FUNCTIONAL">
            <option value="FUNCTIONAL">Functional (to another team)</option>
            <option value="HIERARCHICAL">Hierarchical (to management)</option>
            <option value="MAJOR_INCIDENT">Declare a major incident</option>
          </select>
        </Field>
        <Field label="To team">
          <OptionSelect name="toTeamId" options={teams} empty="—" />
        </Field>
        <Field label="To person">
          <OptionSelect name="toUserId" options={users} empty="—" />
        </Field>
        <Field label="Reason" wide>
          <input type="text" name="reason" required />
        </Field>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Escalate</Submit>
        </div>
      </FieldErrors>
    </form>
  );
}
