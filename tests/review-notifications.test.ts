import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createActor, make, type Actor } from './support/auth-factories';
import { createService } from './support/factories';
import { expectRefused } from './support/review-factories';
import { startSmtpInbox, type ReceivedMail, type SmtpInbox } from './support/smtp-inbox';
import { ok, startTestApp, type TestApp } from './support/test-app';
import { uniq } from './support/uniq';

/**
 * Reviews, action items and problems as sources of notifications (issue 25, decision 0006), through
 * the API, a real SMTP server and the channels' delivery rows: review awaiting you, review published,
 * action item assigned and overdue, known error published; the actor is never told; imports and seeds
 * (ikb.notify off) queue nothing; the mutations' statement counts do not depend on who listens. Then
 * the review meeting's calendar invitation: REQUEST, an update with a higher SEQUENCE, CANCEL.
 */
let t: TestApp;
let smtp: SmtpInbox;
let fac: Actor;
let pat: Actor;
let own: Actor;
let sub: Actor;
let svcA: string;
let svcB: string;

const WEB = 'https://ikb.example.test';
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const as = <T>(who: Actor, doc: string, vars: Record<string, unknown> = {}) => t.gql<T>(doc, vars, bearer(who));
const subjectsTo = (who: Actor) => smtp.mails.filter((m) => m.to.includes(who.email)).map((m) => m.parsed.subject ?? '');
const settle = () => new Promise((r) => setTimeout(r, 800));

const UPDATE = `mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { id } }`;
const MOVE = `mutation($id: ID!, $to: ReviewStatus!) { transitionReview(id: $id, to: $to) { id status } }`;
const ADD_ITEM = `mutation($id: ID!, $input: ActionItemInput!) { addActionItem(reviewId: $id, input: $input) { id } }`;
const UPDATE_ITEM = `mutation($id: ID!, $input: ActionItemInput!) { updateActionItem(id: $id, input: $input) { id } }`;
const MOVE_PROBLEM = `mutation($id: ID!, $to: ProblemStatus!) { transitionProblem(id: $id, to: $to) { id } }`;
const SUBSCRIBE = `mutation($input: NotificationSubscriptionInput!) {
  createNotificationSubscription(input: $input) { subscriptions { id } }
}`;
const CHANNEL = `mutation($i: CreateNotificationChannelInput!) { createNotificationChannel(input: $i) { channel { id } } }`;
const SEND = `mutation($id: ID!) { sendReviewInvitation(id: $id) { id invitation { sequence method sentTo } } }`;
const REVIEW = `query($id: ID!) { review(id: $id) {
  number meetingAt meetingMinutes meetingLocation invitees { name email role } invitation { sequence method sentTo meetingAt }
} }`;

/** A review of incidents on the given services (in order), ready to go to review; people as given. */
async function review(services: { serviceId: string; impact: number; urgency: number }[], people: Record<string, unknown> = {}) {
  const r = await make.reviewReadyToSend(t);
  for (const s of services) {
    const i = await make.resolvedIncident(t, s);
    ok(
      await t.gql(`mutation($id: ID!, $ids: [ID!]!) { addIncidentsToReview(id: $id, incidentIds: $ids) { id } }`, {
        id: r.id,
        ids: [i.id],
      }),
    );
  }
  if (Object.keys(people).length) ok(await t.gql(UPDATE, { id: r.id, input: people }));
  const n = await t.sql<{ number: number }>(`select number from reviews where id = $1`, [r.id]);
  return { id: r.id, number: `PIR-${String(n[0]!.number).padStart(4, '0')}` };
}

const due = (days = 7) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const item = (ownerId: string, title = uniq('Add a canary stage')) => ({ title, ownerId, dueDate: due(), kind: 'PREVENT', priority: 2 });

/** Deliveries to a channel of an event (the outbox's rows: sent or not, the receiver is not what is tested here). */
const deliveries = async (channelId: string, event: string) =>
  (
    await t.sql<{ title: string; facts: Record<string, unknown> }>(
      `select o.message ->> 'title' as title, o.facts from notify.deliveries d join notify.occurrences o on o.id = d.occurrence_id
        where d.channel_id = $1 and o.event = $2 order by d.id`,
      [channelId, event],
    )
  ).map((r) => r.title);

function calendarOf(m: ReceivedMail) {
  const part = [...(m.parsed.attachments ?? [])].find((a) => a.contentType.startsWith('text/calendar'));
  const text = part ? part.content.toString('utf8') : /BEGIN:VCALENDAR[\s\S]*END:VCALENDAR/.exec(m.raw)?.[0];
  expect(text, m.raw.slice(0, 2000)).toBeTruthy();
  const cal = new ICAL.Component(ICAL.parse(text!));
  const ev = cal.getFirstSubcomponent('vevent')!;
  return {
    method: cal.getFirstPropertyValue('method'),
    uid: ev.getFirstPropertyValue('uid'),
    sequence: Number(ev.getFirstPropertyValue('sequence')),
    start: (ev.getFirstPropertyValue('dtstart') as unknown as { toJSDate(): Date }).toJSDate().toISOString(),
    end: (ev.getFirstPropertyValue('dtend') as unknown as { toJSDate(): Date }).toJSDate().toISOString(),
    attendees: ev.getAllProperties('attendee').map((a) => String(a.getFirstValue())),
    description: String(ev.getFirstPropertyValue('description')),
    location: ev.getFirstPropertyValue('location'),
  };
}

beforeAll(async () => {
  smtp = await startSmtpInbox();
  t = await startTestApp({ notify: { smtpUrl: smtp.url, intervalMs: 100, composeMs: 200, slaScanMs: 200, publicWebUrl: WEB } });
  fac = await createActor(t, 'PROBLEM_MANAGER', { email: 'rn-fac@example.test' });
  pat = await createActor(t, 'ENGINEER', { email: 'rn-pat@example.test' });
  own = await createActor(t, 'ENGINEER', { email: 'rn-own@example.test' });
  sub = await createActor(t, 'VIEWER', { email: 'rn-sub@example.test' });
  svcA = (await createService(t)).id;
  svcB = (await createService(t)).id;
}, 120_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('statements per mutation', () => {
  it('do not depend on who listens: the triggers add no round trip', async () => {
    const run = async () => {
      const r = await review([{ serviceId: svcA, impact: 1, urgency: 1 }], {
        facilitatorId: fac.userId,
        participants: [{ userId: pat.userId }],
      });
      const counts: Record<string, number | undefined> = {};
      const added = await t.gql<{ addActionItem: { id: string } }>(ADD_ITEM, { id: r.id, input: item(own.userId) });
      counts.addActionItem = added.extensions?.sqlStatements as number;
      const moved = await t.gql(UPDATE_ITEM, { id: added.data!.addActionItem.id, input: item(pat.userId) });
      counts.updateActionItem = moved.extensions?.sqlStatements as number;
      counts.transitionReview = (await t.gql(MOVE, { id: r.id, to: 'IN_REVIEW' })).extensions?.sqlStatements as number;
      const p = await make.problem(t, { serviceId: svcA, rootCause: 'Pool too small', rootCauseCategory: 'CAPACITY' });
      counts.transitionProblem = (await t.gql(MOVE_PROBLEM, { id: p.id, to: 'KNOWN_ERROR' })).extensions?.sqlStatements as number;
      return counts;
    };
    const quiet = await run();
    for (const n of Object.values(quiet)) expect(n).toBeGreaterThan(0);
    ok(await as(sub, SUBSCRIBE, { input: { events: ['REVIEW_PUBLISHED', 'KNOWN_ERROR_PUBLISHED'] } }));
    ok(
      await t.gql(CHANNEL, {
        i: { kind: 'WEBHOOK', name: uniq('Everything'), url: 'http://127.0.0.1:9/hook', rules: [{ events: ['KNOWN_ERROR_PUBLISHED'] }] },
      }),
    );
    const busy = await run();
    console.log(`[statements] review and problem mutations, quiet / with listeners: ${JSON.stringify({ quiet, busy })}`);
    expect(busy).toEqual(quiet);
  });
});

describe('events from reviews, action items and problems', () => {
  it('a review sent to review awaits its facilitator and participants, not the one who sent it, nor outsiders', async () => {
    const r = await review([{ serviceId: svcA, impact: 3, urgency: 3 }], {
      title: 'Checkout; outage, "502"',
      facilitatorId: fac.userId,
      participants: [{ userId: pat.userId }, { name: 'Outside Olga' }],
    });
    ok(await t.gql(MOVE, { id: r.id, to: 'IN_REVIEW' }));
    const subject = `${r.number} review awaiting you: Checkout; outage, "502"`;
    await poll(() => subjectsTo(fac).includes(subject) && subjectsTo(pat).includes(subject)).toBe(true);
    const mail = smtp.mails.find((m) => m.to.includes(pat.email) && m.parsed.subject === subject)!;
    expect(mail.parsed.text).toContain(`${WEB}/reviews/${r.id}`);
    expect(
      smtp.mails
        .filter((m) => m.parsed.subject === subject)
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([fac.email, pat.email].sort());

    // Added while in review: the new person is told; the facilitator who added them is not told again.
    const before = subjectsTo(fac).length;
    ok(
      await as(fac, UPDATE, {
        id: r.id,
        input: { participants: [{ userId: pat.userId }, { userId: own.userId }, { name: 'Outside Olga' }] },
      }),
    );
    await poll(() => subjectsTo(own).includes(subject)).toBe(true);
    await settle();
    expect(subjectsTo(fac)).toHaveLength(before);
    expect(subjectsTo(pat).filter((s) => s === subject)).toHaveLength(1);
  });

  it('the facilitator who sends a review to review is not told of it', async () => {
    const r = await review([{ serviceId: svcA, impact: 3, urgency: 3 }], {
      facilitatorId: fac.userId,
      participants: [{ userId: pat.userId }],
    });
    ok(await as(fac, MOVE, { id: r.id, to: 'IN_REVIEW' }));
    await poll(() => subjectsTo(pat).some((s) => s.startsWith(`${r.number} review awaiting you`))).toBe(true);
    await settle();
    expect(subjectsTo(fac).some((s) => s.startsWith(`${r.number} `))).toBe(false);
  });

  it('a published review reaches channels and subscribers by its most urgent incident', async () => {
    const onA = ok(
      await t.gql<{ createNotificationChannel: { channel: { id: string } } }>(CHANNEL, {
        i: {
          kind: 'WEBHOOK',
          name: uniq('Service A'),
          url: 'http://127.0.0.1:9/a',
          rules: [{ events: ['REVIEW_PUBLISHED'], serviceIds: [svcA] }],
        },
      }),
    ).createNotificationChannel.channel.id;
    const p1OnB = ok(
      await t.gql<{ createNotificationChannel: { channel: { id: string } } }>(CHANNEL, {
        i: {
          kind: 'WEBHOOK',
          name: uniq('P1 on B'),
          url: 'http://127.0.0.1:9/b',
          rules: [{ events: ['REVIEW_PUBLISHED'], serviceIds: [svcB], priorities: [1] }],
        },
      }),
    ).createNotificationChannel.channel.id;
    // A P4 on service A and a P1 on service B: the review is about the P1, on B.
    const r = await review([
      { serviceId: svcA, impact: 3, urgency: 3 },
      { serviceId: svcB, impact: 1, urgency: 1 },
    ]);
    ok(await t.gql(MOVE, { id: r.id, to: 'IN_REVIEW' }));
    ok(await t.gql(MOVE, { id: r.id, to: 'PUBLISHED' }));
    await poll(() => deliveries(p1OnB, 'REVIEW_PUBLISHED')).toEqual([expect.stringMatching(new RegExp(`^${r.number} review published: `))]);
    await poll(() => subjectsTo(sub).some((s) => s.startsWith(`${r.number} review published`))).toBe(true);
    expect(await deliveries(onA, 'REVIEW_PUBLISHED')).toEqual([]);
    const [facts] = await t.sql<{ facts: Record<string, unknown> }>(
      `select facts from notify.occurrences where event = 'REVIEW_PUBLISHED' and message ->> 'url' = $1`,
      [`${WEB}/reviews/${r.id}`],
    );
    expect(facts!.facts).toMatchObject({ serviceId: svcB, priority: 1, incidentId: null });
  });

  it('an action item tells its new owner, not someone who takes it themselves', async () => {
    const r = await review([{ serviceId: svcA, impact: 3, urgency: 3 }]);
    const title = uniq('Alert on pool saturation');
    const a = ok(await t.gql<{ addActionItem: { id: string } }>(ADD_ITEM, { id: r.id, input: item(own.userId, title) })).addActionItem;
    const subject = `${r.number} action item assigned to you: ${title}`;
    await poll(() => subjectsTo(own)).toContain(subject);
    const mail = smtp.mails.find((m) => m.parsed.subject === subject)!;
    expect(mail.parsed.text).toContain(`${WEB}/reviews/${r.id}#actions`);
    // Handed to pat by the admin: pat is told; then the facilitator takes an item themselves: nobody.
    ok(await t.gql(UPDATE_ITEM, { id: a.id, input: item(pat.userId, title) }));
    await poll(() => subjectsTo(pat)).toContain(subject);
    const mine = uniq('Write the runbook');
    ok(await as(fac, ADD_ITEM, { id: r.id, input: item(fac.userId, mine) }));
    // Edited without a new owner: nothing.
    ok(await t.gql(UPDATE_ITEM, { id: a.id, input: { ...item(pat.userId, title), priority: 1 } }));
    await settle();
    expect(subjectsTo(fac).filter((s) => s.includes(mine))).toEqual([]);
    expect(subjectsTo(pat).filter((s) => s === subject)).toHaveLength(1);
    expect(subjectsTo(own).filter((s) => s === subject)).toHaveLength(1);
  });

  it('an overdue action item tells its owner once per item and due date; long-overdue ones are not announced', async () => {
    const r = await review([{ serviceId: svcA, impact: 3, urgency: 3 }]);
    const title = uniq('Rotate the credentials');
    const old = uniq('Ancient item');
    const a = ok(await as<{ addActionItem: { id: string } }>(fac, ADD_ITEM, { id: r.id, input: item(fac.userId, title) })).addActionItem;
    const b = ok(await as<{ addActionItem: { id: string } }>(fac, ADD_ITEM, { id: r.id, input: item(fac.userId, old) })).addActionItem;
    // Due yesterday (UTC: the day the product judges by) and due a month ago.
    await t.sql(`update action_items set due_date = (now() at time zone 'UTC')::date - 1 where id = $1`, [a.id]);
    await t.sql(`update action_items set due_date = (now() at time zone 'UTC')::date - 30 where id = $1`, [b.id]);
    const subject = `${r.number} action item overdue: ${title}`;
    await poll(() => subjectsTo(fac)).toContain(subject);
    const overdue = await t.gql<{ review: { actionItems: { title: string; overdue: boolean }[] } }>(
      `query($id: ID!) { review(id: $id) { actionItems { title overdue } } }`,
      { id: r.id },
    );
    expect(ok(overdue).review.actionItems.find((x) => x.title === title)?.overdue).toBe(true);
    await settle();
    expect(subjectsTo(fac).filter((s) => s === subject)).toHaveLength(1);
    expect(subjectsTo(fac).filter((s) => s.includes(old))).toEqual([]);
    // A new due date that passes is news again; done items are not.
    await t.sql(`update action_items set due_date = (now() at time zone 'UTC')::date - 2 where id = $1`, [a.id]);
    await poll(() => subjectsTo(fac).filter((s) => s === subject).length).toBe(2);
    const keys = await t.sql<{ dedup_key: string }>(`select dedup_key from notify.occurrences where dedup_key like $1 order by id`, [
      `overdue:${a.id}:%`,
    ]);
    expect(keys).toHaveLength(2);
  });

  it('a known error reaches channels and subscribers of its service', async () => {
    const ch = ok(
      await t.gql<{ createNotificationChannel: { channel: { id: string } } }>(CHANNEL, {
        i: {
          kind: 'WEBHOOK',
          name: uniq('Known errors B'),
          url: 'http://127.0.0.1:9/ke',
          rules: [{ events: ['KNOWN_ERROR_PUBLISHED'], serviceIds: [svcB] }],
        },
      }),
    ).createNotificationChannel.channel.id;
    const title = uniq('Connection pool exhausted');
    const p = await make.problem(t, { title, serviceId: svcB, rootCause: 'Pool of 10 for 40 pods', rootCauseCategory: 'CAPACITY' });
    const other = await make.problem(t, { serviceId: svcA, rootCause: 'The disk filled up with logs', rootCauseCategory: 'CAPACITY' });
    ok(await t.gql(MOVE_PROBLEM, { id: p.id, to: 'KNOWN_ERROR' }));
    ok(await t.gql(MOVE_PROBLEM, { id: other.id, to: 'KNOWN_ERROR' }));
    await poll(() => deliveries(ch, 'KNOWN_ERROR_PUBLISHED')).toEqual([
      expect.stringMatching(/^PRB-\d+ known error published: Connection pool exhausted/),
    ]);
    await poll(() => subjectsTo(sub).some((s) => s.includes(title))).toBe(true);
    const mail = smtp.mails.find((m) => m.to.includes(sub.email) && m.parsed.subject?.includes(title))!;
    expect(mail.parsed.text).toContain('Pool of 10 for 40 pods');
    expect(mail.parsed.text).toMatch(new RegExp(`${WEB}/problems/PRB-\\d+`));
  });

  it('with ikb.notify off (imports, seeds) nothing is queued', async () => {
    const p = await make.problem(t, { rootCause: 'Imported cause', rootCauseCategory: 'CHANGE' });
    const insert = (setting: string) =>
      t.sql(
        `with s as (select set_config('ikb.notify', $2, true))
         insert into problem_events (id, problem_id, at, actor_name, kind, summary, after)
         select gen_random_uuid(), $1, now(), 'import', 'STATUS_CHANGED', 'OPEN -> KNOWN_ERROR', '{"status":"KNOWN_ERROR"}' from s`,
        [p.id, setting],
      );
    await t.sql(`begin`);
    try {
      await insert('off');
    } finally {
      await t.sql(`commit`);
    }
    await settle();
    expect(await t.sql(`select 1 from notify.occurrences where dedup_key = $1`, [`known-error:${p.id}`])).toEqual([]);
    await insert('on');
    await poll(async () => (await t.sql(`select 1 from notify.occurrences where dedup_key = $1`, [`known-error:${p.id}`])).length).toBe(1);
  });
});

describe('review meeting invitations', () => {
  it('refuses bad ids and a review without a meeting, naming the field', async () => {
    expectRefused(await t.gql(SEND, { id: 'not-an-id' }), 'BAD_USER_INPUT', 'id');
    expectRefused(await t.gql(SEND, { id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND', 'id');
    const r = await review([{ serviceId: svcA, impact: 3, urgency: 3 }], { facilitatorId: fac.userId });
    expectRefused(await t.gql(SEND, { id: r.id }), 'BAD_USER_INPUT', 'meetingAt');
    expectRefused(await t.gql(UPDATE, { id: r.id, input: { meetingMinutes: 2 } }), 'BAD_USER_INPUT');
  });

  it('invites with REQUEST, updates with a higher SEQUENCE, cancels when the meeting is removed', async () => {
    const at = new Date(Date.now() + 3 * 86_400_000);
    at.setUTCHours(14, 30, 0, 0);
    const r = await review([{ serviceId: svcA, impact: 3, urgency: 3 }], {
      title: 'Checkout, payments; and the "retry" storm',
      facilitatorId: fac.userId,
      participants: [{ userId: pat.userId }, { name: 'Outside Olga' }],
      meetingAt: at.toISOString(),
      meetingMinutes: 45,
      meetingLocation: 'Room 4; or https://meet.example.test/pir',
    });
    const shown = ok(
      await t.gql<{ review: { invitees: { name: string; email: string | null }[]; invitation: unknown } }>(REVIEW, { id: r.id }),
    );
    expect(shown.review.invitation).toBeNull();
    expect(shown.review.invitees.find((p) => p.name === 'Outside Olga')).toMatchObject({ email: null });
    expect(
      shown.review.invitees
        .filter((p) => p.email)
        .map((p) => p.email)
        .sort(),
    ).toEqual([fac.email, pat.email].sort());

    const invites = (method: string) =>
      smtp.mails
        .filter((m) => m.parsed.subject?.includes(`${r.number} review meeting`))
        .map((m) => ({ to: m.to, ...calendarOf(m) }))
        .filter((c) => c.method === method);
    const sent = ok(await t.gql<{ sendReviewInvitation: { invitation: { sequence: number; method: string } } }>(SEND, { id: r.id }));
    expect(sent.sendReviewInvitation.invitation).toMatchObject({ sequence: 0, method: 'REQUEST' });
    await poll(() => invites('REQUEST').length).toBe(2);
    const first = invites('REQUEST');
    expect(first.flatMap((c) => c.to).sort()).toEqual([fac.email, pat.email].sort());
    const c0 = first[0]!;
    expect(c0).toMatchObject({ sequence: 0, start: at.toISOString(), end: new Date(at.getTime() + 45 * 60_000).toISOString() });
    expect(c0.uid).toBe(`review-${r.id}@ikb`);
    expect(c0.attendees.sort()).toEqual([`mailto:${fac.email}`, `mailto:${pat.email}`].sort());
    expect(c0.description).toContain(`${WEB}/reviews/${r.id}`);
    expect(c0.location).toBe('Room 4; or https://meet.example.test/pir');

    // The meeting moves: sending again updates the same event.
    const later = new Date(at.getTime() + 86_400_000);
    ok(await t.gql(UPDATE, { id: r.id, input: { meetingAt: later.toISOString() } }));
    ok(await t.gql(SEND, { id: r.id }));
    await poll(() => invites('REQUEST').length).toBe(4);
    const second = invites('REQUEST').filter((c) => c.sequence === 1);
    expect(second).toHaveLength(2);
    expect(second.every((c) => c.uid === c0.uid && c.start === later.toISOString())).toBe(true);

    // Removed: a CANCEL to the same people, without a mutation of its own.
    ok(await t.gql(UPDATE, { id: r.id, input: { clearMeeting: true } }));
    await poll(() => invites('CANCEL').length).toBe(2);
    const cancels = invites('CANCEL');
    expect(cancels.flatMap((c) => c.to).sort()).toEqual([fac.email, pat.email].sort());
    expect(cancels.every((c) => c.uid === c0.uid && c.sequence === 2)).toBe(true);
    const after = ok(
      await t.gql<{ review: { meetingAt: string | null; invitation: { method: string; sequence: number } } }>(REVIEW, { id: r.id }),
    );
    expect(after.review).toMatchObject({ meetingAt: null, invitation: { method: 'CANCEL', sequence: 2 } });
    await settle();
    expect(invites('CANCEL')).toHaveLength(2);
  });
});
