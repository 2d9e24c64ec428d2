import { enqueueMails } from '@ikb/api/src/features/notifications/mail.outbox';
import { withClient } from '@ikb/api/src/features/analytics/analytics.db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The e-mail outbox (decision 0006) against a real SMTP server in the test process: a queued mail
 * is sent by the running API's background job, a 451 is tried again until accepted, a 550 is dead
 * at once, and every try is in the log.
 */
let t: TestApp;
let smtp: SmtpInbox;

beforeAll(async () => {
  smtp = await startSmtpInbox();
  t = await startTestApp({ notify: { smtpUrl: smtp.url, mailFrom: 'Incidents <incidents@ikb.test>' } });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const queue = (drafts: Parameters<typeof enqueueMails>[1]) => withClient(t.app.orm.em, (c) => enqueueMails(c, drafts));
const mail = async (id: string) =>
  (
    await t.sql<{ status: string; attempts: number; last_error: string | null }>(
      `select status, attempts, last_error from notify.mails where id = $1`,
      [id],
    )
  )[0]!;

describe('mail outbox', () => {
  it('sends a queued mail with its text, HTML, headers and an iCalendar part', async () => {
    const [id] = await queue([
      {
        purpose: 'TEST',
        to: 'ana@example.test',
        subject: 'Hello\r\nBcc: evil@example.test',
        text: 'Plain words',
        html: '<p>Plain words</p>',
        headers: { 'List-Unsubscribe': '<https://ikb.test/u?t=1>' },
        ics: { method: 'REQUEST', content: 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n' },
      },
    ]);
    const [got] = await smtp.waitFor(1);
    expect(got!.to).toEqual(['ana@example.test']);
    expect(got!.from).toBe('incidents@ikb.test');
    expect(got!.parsed.subject).toBe('Hello Bcc: evil@example.test');
    expect(got!.parsed.bcc).toBeUndefined();
    expect(got!.parsed.text?.trim()).toBe('Plain words');
    expect(got!.parsed.html).toContain('<p>Plain words</p>');
    expect(got!.raw).toMatch(/^List-Unsubscribe: <https:\/\/ikb.test\/u\?t=1>/m);
    expect(got!.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    await expect.poll(async () => (await mail(id!)).status, { timeout: 10_000 }).toBe('DELIVERED');
  });

  it('a 451 is tried again and then delivered; a 550 is dead at once; each try is logged', async () => {
    smtp.deferNext(1);
    smtp.refuse('nobody@example.test');
    const before = smtp.mails.length;
    const [later, never] = await queue([
      { purpose: 'TEST', to: 'bo@example.test', subject: 'Deferred once', text: 'x' },
      { purpose: 'TEST', to: 'nobody@example.test', subject: 'Refused', text: 'x' },
    ]);
    await expect.poll(async () => (await mail(never!)).status, { timeout: 10_000 }).toBe('DEAD');
    expect((await mail(never!)).last_error).toMatch(/550.*not retried/);
    await expect.poll(async () => (await mail(later!)).attempts, { timeout: 10_000 }).toBe(1);
    expect((await mail(later!)).last_error).toMatch(/451/);
    // The schedule waits about 30 s; a test need not: make it due now.
    await t.sql(`update notify.mails set next_at = now() where id = $1`, [later]);
    await expect.poll(async () => (await mail(later!)).status, { timeout: 10_000 }).toBe('DELIVERED');
    expect(smtp.mails.length).toBe(before + 1);
    const tries = await t.sql<{ code: number | null }>(`select code from notify.mail_attempts where mail_id = $1 order by id`, [later]);
    expect(tries.map((r) => r.code)).toEqual([451, 250]);
  });

  it('the admin reads the e-mail log with every try and sends a failed mail again', async () => {
    smtp.refuse('later@example.test');
    const [id] = await queue([{ purpose: 'TEST', to: 'later@example.test', subject: 'Refused, then taken', text: 'x' }]);
    await expect.poll(async () => (await mail(id!)).status, { timeout: 10_000 }).toBe('DEAD');
    const LOG = `query($s: NotificationDeliveryStatus, $after: ID) {
      notificationMails(status: $s, first: 50, after: $after) { id to subject status attempts lastError tries { code error } }
    }`;
    type Log = { notificationMails: { id: string; to: string; status: string; lastError: string; tries: { code: number }[] }[] };
    const dead = await t.gql<Log>(LOG, { s: 'DEAD' });
    expect(dead.extensions?.sqlStatements).toBeLessThanOrEqual(4);
    const row = dead.data!.notificationMails.find((m) => m.id === id)!;
    expect(row).toMatchObject({ to: 'later@example.test', status: 'DEAD' });
    expect(row.tries.map((x) => x.code)).toEqual([550]);
    expect(row.lastError).toMatch(/550/);
    smtp.accept('later@example.test');
    const replay = await t.gql<{ replayNotificationMails: number }>(`mutation($ids: [ID!]) { replayNotificationMails(ids: $ids) }`, {
      ids: [id],
    });
    expect(replay.data!.replayNotificationMails).toBe(1);
    await expect.poll(async () => (await mail(id!)).status, { timeout: 10_000 }).toBe('DELIVERED');
    const bad = await t.gql(`{ notificationMails(after: "1 or 1=1", first: 500) { id } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
