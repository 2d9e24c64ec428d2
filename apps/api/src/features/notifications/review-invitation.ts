// Review meetings as calendar invitations (issue 25, part 5): each person on the review with an
// e-mail address gets a mail with a METHOD:REQUEST iCalendar part; sending again after a change
// updates the same event (same UID, higher SEQUENCE); removing the meeting sends METHOD:CANCEL to
// the people last invited (the record router does it: a review entry with meetingRemoved).
// notify.review_invitations keeps, per review, the last sequence, method and attendees.
import { buildInvite, type InviteAttendee, type InviteMethod, type InvitePerson } from '@ikb/domain';
import type { PgClient } from '../../db/internals';
import { formatReviewNumber } from '../reviews/review.entity';
import { enqueueMails, type MailDraft } from './mail.outbox';
import { notifySettings } from './notify-settings';

/** Someone on a review, and whether an invitation can reach them. */
export interface Invitee {
  userId: string | null;
  name: string;
  /** Null: no address (a name outside the directory, a disabled account, an imported placeholder). */
  email: string | null;
  role: 'FACILITATOR' | 'PARTICIPANT';
}

export interface InvitationState {
  sequence: number;
  method: InviteMethod;
  sent_at: Date | string;
  meeting_at: Date | string | null;
  attendees: { userId: string | null; name: string; email: string; role: InviteAttendee['role'] }[];
}

/** What a review's invitation is built from. */
export interface MeetingReview {
  id: string;
  number: number;
  title: string;
  meeting_at: Date | string | null;
  meeting_minutes?: number;
  meeting_location?: string | null;
}

/** Addresses that cannot receive mail: RFC 2606's reserved .invalid (imports make such placeholders). */
export const mailable = (email: string | null | undefined): email is string => Boolean(email) && !/\.invalid$/i.test(email!.trim());

/** The facilitator first, then the participants, once each; users' addresses from the directory. */
export async function invitees(
  c: PgClient,
  r: { facilitatorId: string | null; participants: { userId?: string; name: string }[] },
): Promise<Invitee[]> {
  const ids = [...new Set([r.facilitatorId, ...r.participants.map((p) => p.userId)].filter((x): x is string => Boolean(x)))];
  const { rows } = ids.length
    ? await c.query<{ id: string; name: string; email: string; disabled: boolean }>(
        `select id, name, email, disabled from users where id = any($1::uuid[])`,
        [ids],
      )
    : { rows: [] };
  const byId = new Map(rows.map((u) => [u.id, u]));
  const out: Invitee[] = [];
  const seen = new Set<string>();
  const add = (userId: string | null, name: string, role: Invitee['role']) => {
    if (userId && seen.has(userId)) return;
    if (userId) seen.add(userId);
    const u = userId ? byId.get(userId) : undefined;
    const email = u && !u.disabled && mailable(u.email) ? u.email.trim() : null;
    out.push({ userId, name: u?.name ?? name, email, role });
  };
  if (r.facilitatorId) add(r.facilitatorId, '', 'FACILITATOR');
  for (const p of r.participants) add(p.userId ?? null, p.name, 'PARTICIPANT');
  return out;
}

/** MAIL_FROM ("Name <address>" or an address) as an organizer. */
function fromAsPerson(from: string): InvitePerson {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return m ? { name: m[1]!.trim() || m[2]!, email: m[2]!.trim() } : { name: from.trim(), email: from.trim() };
}

export function organizerOf(people: readonly Pick<Invitee, 'name' | 'email' | 'role'>[]): InvitePerson {
  const f = people.find((p) => p.role === 'FACILITATOR' && p.email);
  return f ? { name: f.name, email: f.email! } : fromAsPerson(notifySettings.mailFrom);
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** One mail per attendee, each carrying the same calendar object. */
export function invitationMails(
  r: MeetingReview,
  opts: {
    method: InviteMethod;
    sequence: number;
    start: Date;
    attendees: InvitationState['attendees'];
    organizer: InvitePerson;
    web: string;
    now: Date;
  },
): MailDraft[] {
  const number = formatReviewNumber(r.number);
  const url = `${opts.web.replace(/\/+$/, '')}/reviews/${r.id}`;
  const minutes = r.meeting_minutes ?? 60;
  const end = new Date(opts.start.getTime() + minutes * 60_000);
  const cancel = opts.method === 'CANCEL';
  const location = r.meeting_location?.trim() || null;
  const ics = buildInvite({
    method: opts.method,
    uid: `review-${r.id}@ikb`,
    sequence: opts.sequence,
    stamp: opts.now,
    start: opts.start,
    end,
    summary: `${number} review meeting: ${r.title}`,
    description: `Post-incident review ${number}: ${r.title}\n${url}`,
    url,
    location,
    organizer: opts.organizer,
    attendees: opts.attendees.map((a) => ({ name: a.name, email: a.email, role: a.role })),
  });
  const subject = cancel
    ? `Cancelled: ${number} review meeting: ${r.title}`
    : `${opts.sequence > 0 ? 'Updated invitation' : 'Invitation'}: ${number} review meeting: ${r.title}`;
  const text = [
    cancel
      ? `The review meeting for ${number} "${r.title}" is cancelled.`
      : `You are invited to the review meeting for ${number} "${r.title}".`,
    '',
    `When: ${utc(opts.start)} (${minutes} minutes)`,
    ...(location ? [`Where: ${location}`] : []),
    `Organizer: ${opts.organizer.name}`,
    `Review: ${url}`,
  ].join('\n');
  return opts.attendees.map((a) => ({
    purpose: 'INVITATION',
    to: a.email,
    userId: a.userId,
    subject,
    text,
    ics: { method: opts.method, content: ics },
    ref: `review:${r.id}`,
  }));
}

export async function invitationState(c: PgClient, reviewId: string, lock = false): Promise<InvitationState | null> {
  const { rows } = await c.query<InvitationState>(
    `select sequence, method, sent_at, meeting_at, attendees
       from notify.review_invitations where review_id = $1${lock ? ' for update' : ''}`,
    [reviewId],
  );
  return rows[0] ?? null;
}

export async function saveInvitationState(c: PgClient, reviewId: string, s: InvitationState, by: string | null): Promise<void> {
  await c.query(
    `insert into notify.review_invitations (review_id, sequence, method, sent_at, sent_by, meeting_at, attendees)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb)
     on conflict (review_id) do update set sequence = excluded.sequence, method = excluded.method, sent_at = excluded.sent_at,
       sent_by = excluded.sent_by, meeting_at = excluded.meeting_at, attendees = excluded.attendees`,
    [reviewId, s.sequence, s.method, s.sent_at, by, s.meeting_at, JSON.stringify(s.attendees)],
  );
}

/**
 * The meeting was removed: the people last invited get METHOD:CANCEL (a sequence higher), once.
 * Returns the number of mails queued (0 when nothing was sent, or it was cancelled already).
 */
export async function cancelInvitations(c: PgClient, r: MeetingReview, web: string): Promise<number> {
  const last = await invitationState(c, r.id, true);
  if (!last || last.method !== 'REQUEST' || !last.meeting_at || !last.attendees.length) return 0;
  const now = new Date();
  const sequence = last.sequence + 1;
  const drafts = invitationMails(r, {
    method: 'CANCEL',
    sequence,
    start: new Date(last.meeting_at),
    attendees: last.attendees,
    organizer: organizerOf(last.attendees.map((a) => ({ ...a, role: a.role === 'CHAIR' ? 'FACILITATOR' : 'PARTICIPANT' }))),
    web,
    now,
  });
  await enqueueMails(c, drafts);
  await saveInvitationState(c, r.id, { ...last, sequence, method: 'CANCEL', sent_at: now }, null);
  return drafts.length;
}
