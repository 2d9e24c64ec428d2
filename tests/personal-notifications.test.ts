import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createActor, type Actor } from './support/auth-factories';
import { createService, logIncident } from './support/factories';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * People's notifications (issue 25, decision 0006) through the API and a real SMTP server: a
 * subscription by service and priority, personal events (assigned to you) and the choice to turn
 * them off, following one incident, the daily digest, the person's list, and who was told what on
 * the incident. Nobody hears of their own action.
 */
let t: TestApp;
let smtp: SmtpInbox;
let ana: Actor;
let bo: Actor;
let cy: Actor;
let serviceId: string;

const SETTINGS = `emailMode digestHour timeZone personalEvents mailConfigured nextDigestAt subscriptions { id events incidentId }`;
const SUBSCRIBE = `mutation($input: NotificationSubscriptionInput!) {
  createNotificationSubscription(input: $input) { subscriptions { id } }
}`;
const UPDATE = `mutation($input: NotificationSettingsInput!) { updateMyNotificationSettings(input: $input) { ${SETTINGS} } }`;
const FOLLOW = `mutation($id: ID!, $f: Boolean!) { followIncident(id: $id, follow: $f) }`;
const INBOX = `query($first: Int, $after: ID) {
  myNotifications(first: $first, after: $after) { unread items { id event title mailedAt } }
}`;
const ASSIGN = `mutation($id: ID!, $input: AssignIncidentInput!) { assignIncident(id: $id, input: $input) { id } }`;
const POST_UPDATE = `mutation($id: ID!, $i: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $i) { id } }`;

const mailsTo = (who: Actor) => smtp.mails.filter((m) => m.to.includes(who.email));
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const as = <T>(who: Actor, doc: string, vars: Record<string, unknown> = {}) => t.gql<T>(doc, vars, bearer(who));

beforeAll(async () => {
  smtp = await startSmtpInbox();
  t = await startTestApp({ notify: { smtpUrl: smtp.url, intervalMs: 100, composeMs: 200, publicWebUrl: 'https://ikb.example.test' } });
  ana = await createActor(t, 'ENGINEER', { email: 'ana@example.test' });
  bo = await createActor(t, 'VIEWER', { email: 'bo@example.test' });
  cy = await createActor(t, 'PROBLEM_MANAGER', { email: 'cy@example.test' });
  serviceId = (await createService(t)).id;
}, 120_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('personal notifications', () => {
  it('a subscription by service and priority mails its subscriber; others and the actor hear nothing', async () => {
    ok(await as(ana, SUBSCRIBE, { input: { events: ['INCIDENT_MAJOR'], serviceIds: [serviceId], priorities: [1] } }));
    const p1 = await logIncident(t, { serviceId, impact: 1, urgency: 1, title: 'Checkout <b>down</b>' });
    await logIncident(t, { serviceId, impact: 3, urgency: 3, title: 'A quiet P4' });
    await logIncident(t, { impact: 1, urgency: 1, title: 'P1 elsewhere' });
    await poll(() => mailsTo(ana).length).toBe(1);
    const [mail] = mailsTo(ana);
    expect(mail!.parsed.subject).toBe(`${p1.number} is a P1 incident: Checkout <b>down</b>`);
    expect(mail!.parsed.html).toContain('Checkout &lt;b&gt;down&lt;/b&gt;');
    expect(mail!.parsed.text).toContain(`https://ikb.example.test/incidents/${p1.number}`);
    expect(mail!.raw).toMatch(/^List-Unsubscribe: <https:\/\/ikb\.example\.test\/account\/notifications>/m);
    const inbox = ok(await as<{ myNotifications: { unread: number; items: { event: string; mailedAt: string }[] } }>(ana, INBOX));
    expect(inbox.myNotifications.unread).toBe(1);
    expect(inbox.myNotifications.items[0]).toMatchObject({ event: 'INCIDENT_MAJOR' });
    // Let the P4 and the other service's P1 be routed too before saying nobody else heard.
    await new Promise((r) => setTimeout(r, 600));
    expect(mailsTo(ana)).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.to.includes('test-admin@example.test'))).toHaveLength(0);
  });

  it('assigned to you: told when someone else assigns you, not when you take it, and not once you turn it off', async () => {
    const before = mailsTo(bo).length + mailsTo(ana).length;
    const i = await logIncident(t, { serviceId, impact: 3, urgency: 3 });
    ok(await t.gql(ASSIGN, { id: i.id, input: { assigneeId: ana.userId } }));
    await poll(() =>
      mailsTo(ana)
        .map((m) => m.parsed.subject)
        .join(' | '),
    ).toContain(`P${i.priority} ${i.number} assigned to you: ${i.title}`);
    const j = await logIncident(t, { serviceId, impact: 3, urgency: 3 });
    ok(await as(ana, ASSIGN, { id: j.id, input: { assigneeId: ana.userId } }));
    ok(await as(ana, UPDATE, { input: { personalEvents: [] } }));
    const k = await logIncident(t, { serviceId, impact: 3, urgency: 3 });
    ok(await t.gql(ASSIGN, { id: k.id, input: { assigneeId: ana.userId } }));
    await new Promise((r) => setTimeout(r, 800));
    const subjects = mailsTo(ana).map((m) => m.parsed.subject);
    expect(subjects.filter((s) => s?.includes(j.number))).toEqual([]);
    expect(subjects.filter((s) => s?.includes(k.number))).toEqual([]);
    expect(mailsTo(bo).length + mailsTo(ana).length).toBe(before + 1);
  });

  it('following an incident tells of its updates until unfollowed; who was told what shows on the incident', async () => {
    const i = await logIncident(t, { serviceId, impact: 2, urgency: 3 });
    expect(ok(await as<{ followIncident: boolean }>(bo, FOLLOW, { id: i.id, f: true })).followIncident).toBe(true);
    // Twice is once.
    ok(await as(bo, FOLLOW, { id: i.id, f: true }));
    ok(await t.gql(POST_UPDATE, { id: i.id, i: { message: 'Card payments fail for 20 % of customers' } }));
    await poll(() => mailsTo(bo).length).toBe(1);
    expect(mailsTo(bo)[0]!.parsed.text).toContain('Card payments fail for 20 % of customers');
    ok(await as(bo, FOLLOW, { id: i.id, f: false }));
    ok(await t.gql(POST_UPDATE, { id: i.id, i: { message: 'Second update: nobody follows' } }));
    const NOTICES = `query($id: ID!) {
      incidentNotifications(id: $id) { following notices { event text recipients { kind name status } } }
    }`;
    await poll(
      async () =>
        ok(await as<{ incidentNotifications: { notices: unknown[] } }>(bo, NOTICES, { id: i.id })).incidentNotifications.notices.length,
    ).toBe(2);
    const d = ok(
      await as<{
        incidentNotifications: {
          following: boolean;
          notices: { event: string; text: string; recipients: { kind: string; status: string }[] }[];
        };
      }>(bo, NOTICES, { id: i.id }),
    ).incidentNotifications;
    expect(d.following).toBe(false);
    const first = d.notices.find((n) => n.text === 'Card payments fail for 20 % of customers')!;
    expect(first.recipients).toEqual([expect.objectContaining({ kind: 'PERSON', status: 'MAILED' })]);
    const second = d.notices.find((n) => n.text === 'Second update: nobody follows')!;
    expect(second.recipients).toEqual([]);
    expect(mailsTo(bo)).toHaveLength(1);
  });

  it('a digest reader gets one mail at their hour with everything since, in order', async () => {
    const s = ok(
      await as<{ updateMyNotificationSettings: { emailMode: string; timeZone: string } }>(cy, UPDATE, {
        input: { emailMode: 'DIGEST', digestHour: 6, timeZone: 'Asia/Kolkata' },
      }),
    ).updateMyNotificationSettings;
    expect(s).toMatchObject({ emailMode: 'DIGEST', timeZone: 'Asia/Kolkata' });
    ok(await as(cy, SUBSCRIBE, { input: { events: ['INCIDENT_RESOLVED', 'STAKEHOLDER_UPDATE'], serviceIds: [serviceId] } }));
    const i = await logIncident(t, { serviceId, impact: 3, urgency: 3 });
    ok(await t.gql(POST_UPDATE, { id: i.id, i: { message: 'first for the digest' } }));
    ok(await t.gql(POST_UPDATE, { id: i.id, i: { message: 'second for the digest' } }));
    // Routed to the inbox, scheduled for 06:00 in Kolkata, nothing mailed.
    await poll(async () => {
      const d = ok(
        await as<{ myNotificationSettings: { nextDigestAt: string | null }; myNotifications: { unread: number } }>(
          cy,
          `{ myNotificationSettings { nextDigestAt } myNotifications { unread } }`,
        ),
      );
      return [d.myNotifications.unread, Boolean(d.myNotificationSettings.nextDigestAt)];
    }).toEqual([2, true]);
    const [pref] = await t.sql<{ next_digest_at: Date }>(`select next_digest_at from notify.preferences where user_id = $1`, [cy.userId]);
    const local = new Date(pref!.next_digest_at.getTime() + 5.5 * 3_600_000);
    expect([local.getUTCHours(), local.getUTCMinutes()]).toEqual([6, 0]);
    expect(mailsTo(cy)).toHaveLength(0);
    // The hour comes.
    await t.sql(`update notify.preferences set next_digest_at = now() where user_id = $1`, [cy.userId]);
    await poll(() => mailsTo(cy).length).toBe(1);
    const digest = mailsTo(cy)[0]!;
    expect(digest.parsed.subject).toMatch(/^Your digest for \d{4}-\d{2}-\d{2}: 2 notifications; first: /);
    expect(digest.parsed.text!.indexOf('first for the digest')).toBeLessThan(digest.parsed.text!.indexOf('second for the digest'));
    const [after] = await t.sql<{ next_digest_at: Date }>(`select next_digest_at from notify.preferences where user_id = $1`, [cy.userId]);
    expect(after!.next_digest_at.getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses bad settings and subscriptions, naming the field', async () => {
    const bad = async (doc: string, vars: Record<string, unknown>, field: RegExp, code = 'BAD_USER_INPUT') => {
      const r = await as(ana, doc, vars);
      expect(r.errors?.[0]?.extensions, JSON.stringify(r.errors)).toMatchObject({ code });
      expect(String(r.errors?.[0]?.extensions?.field ?? r.errors?.[0]?.message)).toMatch(field);
    };
    await bad(UPDATE, { input: { timeZone: 'Mars/Olympus' } }, /timeZone/);
    await bad(UPDATE, { input: { digestHour: 24 } }, /digestHour/);
    await bad(UPDATE, { input: { personalEvents: ['INCIDENT_MAJOR'] } }, /personalEvents/);
    await bad(SUBSCRIBE, { input: { events: ['ASSIGNED_TO_YOU'] } }, /events/);
    await bad(SUBSCRIBE, { input: { events: [] } }, /events/);
    await bad(
      SUBSCRIBE,
      { input: { events: ['INCIDENT_MAJOR'], serviceIds: ['00000000-0000-4000-8000-000000000000'] } },
      /serviceIds/,
      'NOT_FOUND',
    );
    await bad(FOLLOW, { id: 'nope', f: true }, /id/);
    await bad(INBOX, { first: 0 }, /first/);
    await bad(INBOX, { first: 10, after: "1'; drop table users; --" }, /after/);
    await bad(
      `mutation($id: ID!) { deleteNotificationSubscription(id: $id) { emailMode } }`,
      { id: '00000000-0000-4000-8000-000000000000' },
      /id/,
      'NOT_FOUND',
    );
    // Someone else's subscription is not yours to delete.
    const theirs = ok(
      await as<{ createNotificationSubscription: { subscriptions: { id: string }[] } }>(bo, SUBSCRIBE, {
        input: { events: ['INCIDENT_REOPENED'] },
      }),
    ).createNotificationSubscription.subscriptions.at(-1)!.id;
    await bad(`mutation($id: ID!) { deleteNotificationSubscription(id: $id) { emailMode } }`, { id: theirs }, /id/, 'NOT_FOUND');
  });

  it('a mutation runs the same statements however many people subscribe', async () => {
    const i = await logIncident(t, { serviceId, impact: 3, urgency: 3 });
    const count = async (message: string) => (await t.gql(POST_UPDATE, { id: i.id, i: { message } })).extensions?.sqlStatements;
    const quiet = await count('before the crowd');
    await t.sql(
      `insert into notify.subscriptions (user_id, events, service_ids)
       select u.id, '{STAKEHOLDER_UPDATE}', array[$1::uuid] from users u, generate_series(1, 20)`,
      [serviceId],
    );
    expect(await count('with the crowd')).toBe(quiet);
  });
});
