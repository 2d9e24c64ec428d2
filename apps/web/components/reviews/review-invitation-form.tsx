'use client';
// The review meeting as a calendar invitation: who gets it (and who cannot, for want of an address),
// when it was last sent, and one button. Sending again after the meeting moved updates the event in
// everyone's calendar; removing the meeting cancels it without this form.
import { FieldErrors, FormError, Submit, useFieldMessage } from '@/components/forms';
import { SendReviewInvitationDocument, type ReviewInvitationPanelFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useAction } from '@/lib/use-action';

function MeetingLine({ r }: { r: ReviewInvitationPanelFragment }) {
  const { message, control } = useFieldMessage('meetingAt', 'invite-meeting');
  return (
    <p {...control} id="invite-meeting">
      {r.meetingAt ? (
        <>
          Meeting {formatDateTime(r.meetingAt)}, {r.meetingMinutes} minutes{r.meetingLocation ? `, ${r.meetingLocation}` : ''}.
        </>
      ) : (
        <>No meeting time yet: set one under Summary and impact.</>
      )}{' '}
      {message}
    </p>
  );
}

function PeopleList({ r }: { r: ReviewInvitationPanelFragment }) {
  const { message, control } = useFieldMessage('participants', 'invite-people');
  const reachable = r.invitees.filter((p) => p.email);
  const unreachable = r.invitees.filter((p) => !p.email);
  return (
    <div {...control} id="invite-people">
      {reachable.length ? (
        <ul className="plain-list" aria-label="Invitation goes to">
          {reachable.map((p) => (
            <li key={p.userId ?? p.name}>
              {p.name}{' '}
              <span className="muted small">
                &lt;{p.email}&gt;{p.role === 'FACILITATOR' ? ', organizer' : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nobody on this review has an e-mail address yet.</p>
      )}
      {unreachable.length ? (
        <p className="muted small" id="invite-unreachable">
          Cannot be invited (no e-mail address): {unreachable.map((p) => p.name).join(', ')}.
        </p>
      ) : null}
      {message}
    </div>
  );
}

export function ReviewInvitationForm({ r }: { r: ReviewInvitationPanelFragment }) {
  const { run, busy, error, errors, done } = useAction(SendReviewInvitationDocument);
  const last = r.invitation;
  return (
    <form
      className="form"
      aria-label="Calendar invitation"
      onSubmit={async (e) => {
        e.preventDefault();
        await run({ id: r.id });
      }}
    >
      <FieldErrors errors={errors}>
        <MeetingLine r={r} />
        <PeopleList r={r} />
        <p className="muted small" id="invite-last">
          {last
            ? last.method === 'CANCEL'
              ? `Cancellation sent ${formatDateTime(last.sentAt)} to ${last.sentTo.join(', ')}.`
              : `Last sent ${formatDateTime(last.sentAt)} to ${last.sentTo.join(', ')}` +
                (last.sequence > 0 ? ` (update ${last.sequence}).` : '.')
            : 'Not sent yet.'}
        </p>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>{last?.method === 'REQUEST' ? 'Send updated invitation' : 'Send calendar invitation'}</Submit>
        <span className="form-ok" role="status">
          {done && !error ? 'Invitation queued for sending.' : ''}
        </span>
      </div>
    </form>
  );
}
