import type { EntityManager } from '@mikro-orm/postgresql';
import { withConnection, type PgClient } from '../../db/internals';
import { assertUuid, badInput, notFound } from '../../errors';
import { WriteService } from '../shared/write-service';
import { formatReviewNumber, Review, ReviewEvent } from '../reviews/review.entity';
import { enqueueMails, requireMail } from './mail.outbox';
import { webUrl } from './notify-settings';
import {
  invitationMails,
  invitationState,
  invitees,
  organizerOf,
  saveInvitationState,
  type InvitationState,
  type Invitee,
  type MeetingReview,
} from './review-invitation';
import { ReviewInvitation, ReviewInvitee } from './review-invitation.types';

const asMeeting = (r: Review): MeetingReview => ({
  id: r.id,
  number: r.seqNumber,
  title: r.title,
  meeting_at: r.meetingAt,
  meeting_minutes: r.meetingMinutes,
  meeting_location: r.meetingLocation,
});

const roleOf = (p: Invitee): 'CHAIR' | 'REQ-PARTICIPANT' => (p.role === 'FACILITATOR' ? 'CHAIR' : 'REQ-PARTICIPANT');

export class ReviewInvitationService extends WriteService {
  /**
   * Mails the meeting to everyone on the review with an address: METHOD:REQUEST, a sequence higher
   * than the last copy's; people invited before and no longer on the review get METHOD:CANCEL.
   */
  async send(id: string): Promise<Review> {
    assertUuid('id', id);
    requireMail();
    return this.tx(async (em) => {
      const r = await em.findOne(Review, { id });
      if (!r) throw notFound('id', 'review', id);
      const when = r.meetingAt;
      if (!when) throw badInput('meetingAt', 'is not set: give the review a meeting time, then send the invitation');
      if (when.getTime() < this.now().getTime())
        throw badInput('meetingAt', `is in the past (${when.toISOString()}); move the meeting, then send the invitation`);
      return withConnection(em, async (c: PgClient) => {
        const people = await invitees(c, r);
        const attendees: InvitationState['attendees'] = people.flatMap((p) =>
          p.email ? [{ userId: p.userId, name: p.name, email: p.email, role: roleOf(p) }] : [],
        );
        if (!attendees.length)
          throw badInput('participants', 'have no e-mail address: add the facilitator or participants from the directory');
        const last = await invitationState(c, r.id, true);
        const sequence = last ? last.sequence + 1 : 0;
        const now = this.now();
        const common = { sequence, organizer: organizerOf(people), web: webUrl(), now };
        const mails = invitationMails(asMeeting(r), { ...common, method: 'REQUEST', start: when, attendees });
        const invited = new Set(attendees.map((a) => a.email.toLowerCase()));
        const dropped = last?.method === 'REQUEST' ? last.attendees.filter((a) => !invited.has(a.email.toLowerCase())) : [];
        if (dropped.length && last?.meeting_at)
          mails.push(
            ...invitationMails(asMeeting(r), { ...common, method: 'CANCEL', start: new Date(last.meeting_at), attendees: dropped }),
          );
        await enqueueMails(c, mails);
        await saveInvitationState(c, r.id, { sequence, method: 'REQUEST', sent_at: now, meeting_at: when, attendees }, this.actor.id);
        const missing = people.filter((p) => !p.email).map((p) => p.name);
        this.record(em, r, sequence, attendees.length, missing);
        return r;
      });
    });
  }

  private record(em: EntityManager, r: Review, sequence: number, sent: number, missing: string[]) {
    r.updatedAt = this.now();
    const what = sequence > 0 ? `Updated calendar invitation (sequence ${sequence})` : 'Calendar invitation';
    em.persist(
      em.create(ReviewEvent, {
        reviewId: r.id,
        at: this.now(),
        actorName: this.actor.name,
        actorId: this.actor.id ?? null,
        kind: 'INVITATION_SENT',
        summary: `${what} sent to ${sent} ${sent === 1 ? 'person' : 'people'} for ${formatReviewNumber(r.seqNumber)}${
          missing.length ? `; no address for ${missing.join(', ')}` : ''
        }`,
        data: { sequence, sent, missing } as Record<string, unknown>,
      } as ReviewEvent),
    );
  }
}

export async function reviewInvitees(em: EntityManager, r: Review): Promise<ReviewInvitee[]> {
  return withConnection(em, (c: PgClient) => invitees(c, r));
}

export async function reviewInvitation(em: EntityManager, r: Review): Promise<ReviewInvitation | null> {
  const s = await withConnection(em, (c: PgClient) => invitationState(c, r.id));
  if (!s) return null;
  return Object.assign(new ReviewInvitation(), {
    sequence: s.sequence,
    method: s.method,
    sentAt: new Date(s.sent_at),
    meetingAt: s.meeting_at ? new Date(s.meeting_at) : null,
    sentTo: s.attendees.map((a) => a.name),
  });
}
