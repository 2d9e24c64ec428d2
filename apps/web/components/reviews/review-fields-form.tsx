'use client';
// The review's own text: summary, impact, participants, what went well and badly, lessons.
import { Field, FormError, OptionSelect, Submit, int, str, type Option } from '@/components/forms';
import { UpdateReviewDocument } from '@/gql/graphql';
import { localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';

function isoToLocalInput(iso?: string | null): string {
  return iso ? iso.slice(0, 16) : '';
}

export interface ReviewFields {
  id: string;
  title: string;
  summary: string;
  customerImpact: string;
  usersAffected?: number | null;
  wentWell: string;
  wentBadly: string;
  lessons: string;
  meetingAt?: string | null;
  facilitatorId?: string | null;
  templateId?: string | null;
  participantIds: string[];
  externalParticipants: string[];
}

export function ReviewFieldsForm({ r, users, templates }: { r: ReviewFields; users: Option[]; templates: Option[] }) {
  const { run, busy, error, done } = useAction(UpdateReviewDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const text = (k: string) => (f.get(k) as string | null) ?? '';
        const participants = [
          ...f.getAll('participantIds').map((u) => ({ userId: String(u) })),
          ...text('external')
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean)
            .map((name) => ({ name })),
        ];
        run({
          id: r.id,
          input: {
            title: str(f, 'title'),
            summary: text('summary'),
            customerImpact: text('customerImpact'),
            usersAffected: int(f, 'usersAffected'),
            wentWell: text('wentWell'),
            wentBadly: text('wentBadly'),
            lessons: text('lessons'),
            meetingAt: localInputToIso(f.get('meetingAt')),
            facilitatorId: str(f, 'facilitatorId'),
            templateId: str(f, 'templateId'),
            participants,
          },
        });
      }}
    >
      <Field label="Title" wide>
        <input type="text" name="title" defaultValue={r.title} required />
      </Field>
      <Field label="Summary" wide>
        <textarea name="summary" defaultValue={r.summary} rows={4} />
      </Field>
      <Field label="Customer impact" wide>
        <textarea name="customerImpact" defaultValue={r.customerImpact} rows={3} />
      </Field>
      <Field label="Users affected">
        <input type="number" name="usersAffected" min={0} defaultValue={r.usersAffected ?? ''} />
      </Field>
      <Field label="Meeting (UTC)">
        <input type="datetime-local" name="meetingAt" defaultValue={isoToLocalInput(r.meetingAt)} />
      </Field>
      <Field label="Facilitator">
        <OptionSelect name="facilitatorId" options={users} defaultValue={r.facilitatorId} empty="—" />
      </Field>
      <Field label="Template" hint="Decides the required sections">
        <OptionSelect name="templateId" options={templates} defaultValue={r.templateId} empty="Chosen automatically" />
      </Field>
      <Field label="Participants" hint="Ctrl/⌘-click to pick several">
        <select name="participantIds" multiple size={5} defaultValue={r.participantIds}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Other participants" hint="Names outside the directory, comma-separated">
        <input type="text" name="external" defaultValue={r.externalParticipants.join(', ')} />
      </Field>
      <Field label="What went well" wide>
        <textarea name="wentWell" defaultValue={r.wentWell} rows={3} />
      </Field>
      <Field label="What went badly" wide>
        <textarea name="wentBadly" defaultValue={r.wentBadly} rows={3} />
      </Field>
      <Field label="Lessons" wide>
        <textarea name="lessons" defaultValue={r.lessons} rows={3} />
      </Field>
      <FormError error={error} />
      <div className="actions">
        <Submit busy={busy}>Save review</Submit>
        {done && !error ? (
          <span className="form-ok" role="status">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
