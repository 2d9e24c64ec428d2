import { composeFollowThroughDigests } from '@ikb/api/src/features/workload/follow-through.digest';
import { sendDueMails } from '@ikb/api/src/features/notifications/mail.sender';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createTeam } from './support/factories';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox';
import { startTestApp, ok, type TestApp } from './support/test-app';

/**
 * The weekly follow-through digest through the outbox to a real SMTP server: on Monday from each
 * person's digest hour in their time zone, once per person and week, none for those who turned it
 * off, and a team summary for admins. The background job is off: the test names the instant.
 */
let t: TestApp;
let smtp: SmtpInbox;
let berlin: { id: string; email: string };
let off: { id: string; email: string };

const settings = (email: string, input: Record<string, unknown>) =>
  t.gql(
    `mutation($input: NotificationSettingsInput!) { updateMyNotificationSettings(input: $input) { followThroughDigest } }`,
    { input },
    {
      'x-actor-email': email,
    },
  );

beforeAll(async () => {
  smtp = await startSmtpInbox();
  t = await startTestApp({ notify: { smtpUrl: smtp.url, mailFrom: 'Incidents <incidents@ikb.test>', intervalMs: 0 } });
  const team = await createTeam(t, { name: 'Payments' });
  berlin = await createUser(t, { teamId: team.id, role: 'ENGINEER' });
  off = await createUser(t, { role: 'ENGINEER' });
  ok(await settings(berlin.email, { timeZone: 'Europe/Berlin', digestHour: 9 }));
  const r = ok(await settings(off.email, { followThroughDigest: false })) as {
    updateMyNotificationSettings: { followThroughDigest: boolean };
  };
  expect(r.updateMyNotificationSettings.followThroughDigest).toBe(false);
  // Acting as them made them admins (support/test-app): back to engineers, so only the test admin gets the team summary.
  await t.sql(`update users set role = 'ENGINEER' where id = any($1::uuid[])`, [[berlin.id, off.id]]);
  const [review] = await t.sql<{ id: string }>(
    `insert into reviews (id, number, title, status) values (gen_random_uuid(), nextval('review_number_seq'),
       'Checkout outage', 'PUBLISHED')
     returning id`,
  );
  const item = (owner: string, title: string, due: string, status = 'OPEN') =>
    t.sql(
      `insert into action_items (id, review_id, title, owner_id, due_date, kind, priority, status, done_at)
       values (gen_random_uuid(), $1, $2, $3, $4::date, 'PREVENT', 3, $5::varchar, case when $5::varchar = 'DONE' then now() end)`,
      [review!.id, title, owner, due, status],
    );
  await item(berlin.id, 'Add a canary for the payment API', '2026-12-01');
  await item(berlin.id, 'Write the runbook =cmd|calc', '2026-12-20');
  await item(berlin.id, 'Already done', '2026-11-01', 'DONE');
  await item(off.id, 'Rotate the keys', '2026-11-20');
}, 120_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const send = () => sendDueMails(t.app.orm.em);

describe('weekly follow-through digest', () => {
  it('waits for Monday and the digest hour in the person’s zone; sends once per week; none when turned off', async () => {
    // Monday 7 December 2026, 07:30 UTC = 08:30 Berlin: nobody's hour yet (UTC people have 08:00).
    expect(await composeFollowThroughDigests(t.app.orm.em, new Date('2026-12-07T07:30:00Z'))).toBe(0);
    // Sunday 23:30 UTC is no Monday anywhere these people are.
    expect(await composeFollowThroughDigests(t.app.orm.em, new Date('2026-12-06T23:30:00Z'))).toBe(0);
    // 08:30 UTC: Berlin's 09:30 has come; the admins (UTC, 08:00) get the team summary.
    const n = await composeFollowThroughDigests(t.app.orm.em, new Date('2026-12-07T08:30:00Z'));
    const admins = await t.sql<{ email: string }>(`select email from users where role = 'ADMIN' and not disabled`);
    expect(n).toBe(1 + admins.length);
    await send();
    const got = await smtp.waitFor(n);
    const mine = got.find((m) => m.to.includes(berlin.email))!;
    expect(mine.parsed.subject).toBe('Your action items this week: 2 open, 1 overdue');
    expect(mine.parsed.text).toContain('OVERDUE due 2026-12-01: Add a canary for the payment API');
    expect(mine.parsed.text).toContain('due 2026-12-20: Write the runbook');
    expect(mine.parsed.text).not.toContain('Already done');
    expect(got.some((m) => m.to.includes(off.email))).toBe(false);
    const summary = got.find((m) => m.to.includes(admins[0]!.email))!;
    expect(summary.parsed.subject).toBe('Action items by team this week: 2 overdue');
    expect(summary.parsed.text).toContain('- Payments: 2 open, 1 overdue (1 owners)');
    expect(summary.parsed.text).toContain('- (no team): 1 open, 1 overdue (1 owners)');
    // Again the same week, from another instance or round: nothing more.
    expect(await composeFollowThroughDigests(t.app.orm.em, new Date('2026-12-07T15:00:00Z'))).toBe(0);
    expect(await t.sql(`select 1 from notify.follow_through_digests`)).toHaveLength(n);
    // Next Monday: again.
    expect(await composeFollowThroughDigests(t.app.orm.em, new Date('2026-12-14T10:00:00Z'))).toBe(n);
  });

  it('two instances composing at once queue each digest once', async () => {
    const at = new Date('2026-12-21T09:00:00Z');
    const [a, b] = await Promise.all([composeFollowThroughDigests(t.app.orm.em, at), composeFollowThroughDigests(t.app.orm.em, at)]);
    const admins = await t.sql(`select 1 from users where role = 'ADMIN' and not disabled`);
    expect(a + b).toBe(1 + admins.length);
    const rows = await t.sql<{ n: number }>(
      `select count(*)::int as n from notify.mails where ref like 'follow-through%' and created_at > now() - interval '1 minute'`,
    );
    expect(rows[0]!.n).toBe(3 * (1 + admins.length));
  });
});
