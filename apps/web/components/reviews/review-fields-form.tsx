'use client';
// The review's own text: summary, impact, participants, what went well and badly, lessons.
import { useState } from 'react';
import { atList, Field, FieldErrors, FormError, OptionSelect, Submit, type Option } from '@/components/forms';
import { useUnsavedChanges } from '@/components/use-unsaved-changes';
import { UpdateReviewDocument, type UpdateReviewInput } from '@/gql/graphql';
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
  meetingMinutes?: number | null;
  meetingLocation?: string | null;
  facilitatorId?: string | null;
  templateId?: string | null;
  participantIds: string[];
  externalParticipants: string[];
}

/** The review's free-text sections, named as in the form and the API alike. */
const TEXTS = ['title', 'summary', 'customerImpact', 'wentWell', 'wentBadly', 'lessons'] as const;
type Texts = Record<(typeof TEXTS)[number], string>;
const textsOf = (get: (k: (typeof TEXTS)[number]) => string): Texts => Object.fromEntries(TEXTS.map((k) => [k, get(k).trim()])) as Texts;

/** What the form holds, in the form's own terms (so that "unchanged" is a plain comparison). */
function valuesOf(f: FormData) {
  const text = (k: string) => ((f.get(k) as string | null) ?? '').trim();
  return {
    ...textsOf(text),
    usersAffected: text('usersAffected'),
    meetingAt: text('meetingAt'),
    meetingMinutes: text('meetingMinutes'),
    meetingLocation: text('meetingLocation'),
    facilitatorId: text('facilitatorId'),
    templateId: text('templateId'),
    participantIds: f.getAll('participantIds').map(String).sort(),
    external: text('external')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .sort(),
  };
}

function initialOf(r: ReviewFields): ReturnType<typeof valuesOf> {
  return {
    ...textsOf((k) => r[k]),
    usersAffected: r.usersAffected == null ? '' : String(r.usersAffected),
    meetingAt: isoToLocalInput(r.meetingAt),
    meetingMinutes: r.meetingMinutes == null ? '' : String(r.meetingMinutes),
    meetingLocation: r.meetingLocation ?? '',
    facilitatorId: r.facilitatorId ?? '',
    templateId: r.templateId ?? '',
    participantIds: [...r.participantIds].sort(),
    external: [...r.externalParticipants].sort(),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the fields the user changed are sent: the review's history then names just those. */
function changedInput(now: ReturnType<typeof valuesOf>, was: ReturnType<typeof valuesOf>): UpdateReviewInput {
  const input: UpdateReviewInput = {};
  for (const k of TEXTS) {
    if (now[k] !== was[k]) input[k] = now[k];
  }
  if (now.usersAffected !== was.usersAffected && now.usersAffected !== '') input.usersAffected = Math.trunc(Number(now.usersAffected));
  // An emptied meeting time removes the meeting (and cancels invitations already sent).
  if (now.meetingAt !== was.meetingAt) {
    if (now.meetingAt) input.meetingAt = localInputToIso(now.meetingAt);
    else input.clearMeeting = true;
  }
  if (now.meetingMinutes !== was.meetingMinutes && now.meetingMinutes !== '') input.meetingMinutes = Math.trunc(Number(now.meetingMinutes));
  if (now.meetingLocation !== was.meetingLocation) input.meetingLocation = now.meetingLocation;
  if (now.facilitatorId !== was.facilitatorId && now.facilitatorId) input.facilitatorId = now.facilitatorId;
  if (now.templateId !== was.templateId && now.templateId) input.templateId = now.templateId;
  if (!same(now.participantIds, was.participantIds) || !same(now.external, was.external)) {
    input.participants = [...now.participantIds.map((userId) => ({ userId })), ...now.external.map((name) => ({ name }))];
  }
  return input;
}

export function ReviewFieldsForm({ r, users, templates }: { r: ReviewFields; users: Option[]; templates: Option[] }) {
  const { run, busy, error, errors, done } = useAction(UpdateReviewDocument);
  const [unchanged, setUnchanged] = useState(false);
  const unsaved = useUnsavedChanges('review text');
  // Participants go out as users first, then names: an entry's message lands at the control it came from.
  const [usersSent, setUsersSent] = useState(0);
  const shown = atList(errors, 'participants', (i) => (i < usersSent ? 'participantIds' : 'external'));
  return (
    <form
      className="form"
      {...unsaved.formProps}
      onSubmit={async (e) => {
        e.preventDefault();
        const now = valuesOf(new FormData(e.currentTarget));
        const input = changedInput(now, initialOf(r));
        setUsersSent(now.participantIds.length);
        setUnchanged(Object.keys(input).length === 0);
        if (!Object.keys(input).length) return unsaved.markSaved();
        if (await run({ id: r.id, input })) unsaved.markSaved();
      }}
    >
      <FieldErrors errors={shown}>
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
        <Field label="Meeting length (minutes)" field={['meetingMinutes']}>
          <input type="number" name="meetingMinutes" min={5} max={1440} step={5} defaultValue={r.meetingMinutes ?? 60} />
        </Field>
        <Field label="Meeting place" hint="A room, or the call's link">
          <input type="text" name="meetingLocation" maxLength={500} defaultValue={r.meetingLocation ?? ''} />
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
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save review</Submit>
        <span className="form-ok" role="status">
          {unchanged ? 'Nothing changed, nothing saved.' : done && !error ? 'Saved.' : ''}
        </span>
      </div>
    </form>
  );
}
