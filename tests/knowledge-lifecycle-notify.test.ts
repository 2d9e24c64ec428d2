import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createActor, type Actor } from './support/auth-factories';
import { createProblem, createWorkaround, ROOT_CAUSE, transitionProblem } from './support/knowledge-factories';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * Knowledge reminders (issue 27): the scanner tells an item's owner, through the personal
 * notification path, that it is stale (once between reviews; the item moves to NEEDS_REVIEW) or
 * due for review (once per review date), by mail (a real SMTP server) and in their list.
 */
let t: TestApp;
let smtp: SmtpInbox;
let owner: Actor;
let other: Actor;

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const mailsTo = (who: Actor) => smtp.mails.filter((m) => m.to.includes(who.email));
const INBOX = `{ myNotifications(first: 50) { unread items { event title } } }`;

beforeAll(async () => {
  smtp = await startSmtpInbox();
  t = await startTestApp({
    notify: { smtpUrl: smtp.url, intervalMs: 100, composeMs: 200, knowledgeScanMs: 200, publicWebUrl: 'https://ikb.example.test' },
  });
  owner = await createActor(t, 'PROBLEM_MANAGER', { email: 'kim.owner@example.test' });
  other = await createActor(t, 'ENGINEER', { email: 'lee.other@example.test' });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('knowledge reminders', () => {
  it('tells the owner once that a known error is stale, moves it to needs review, and again when the next review is due', async () => {
    const p = await createProblem(t, {
      rootCause: ROOT_CAUSE,
      rootCauseCategory: 'CHANGE',
      ownerId: owner.userId,
      title: 'Pool exhausted',
    });
    await createWorkaround(t, { status: 'ACTIVE', problemIds: [p.id] });
    await transitionProblem(t, p.id, 'KNOWN_ERROR');
    await t.sql(`update knowledge_items set review_by = now() - interval '1 day' where item_id = $1`, [p.id]);

    await poll(() => mailsTo(owner).map((m) => m.parsed.subject)).toContain('Known error is stale and needs review: Pool exhausted');
    const mail = mailsTo(owner).find((m) => m.parsed.subject?.includes('stale'))!;
    expect(mail.parsed.text).toContain(`https://ikb.example.test/problems/${p.number}`);
    expect(mail.parsed.text).toMatch(/review date passed/i);
    await poll(async () => (await t.sql<{ state: string }>(`select state from knowledge_items where item_id = $1`, [p.id]))[0]!.state).toBe(
      'NEEDS_REVIEW',
    );
    const inbox = ok(await t.gql<{ myNotifications: { items: { event: string; title: string }[] } }>(INBOX, {}, bearer(owner)));
    expect(inbox.myNotifications.items.map((i) => i.event)).toContain('KNOWLEDGE_STALE');
    // Several more scans: no second mail while nothing changed; nobody else is told.
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailsTo(owner).filter((m) => m.parsed.subject?.includes('stale'))).toHaveLength(1);
    expect(mailsTo(other)).toHaveLength(0);

    // A review 10 days out: due within 30 days, told once.
    ok(
      await t.gql(`mutation($i: MarkKnowledgeReviewedInput!) { markKnowledgeReviewed(input: $i) { state } }`, {
        i: { kind: 'KNOWN_ERROR', itemId: p.id, reviewInDays: 10 },
      }),
    );
    await poll(() => mailsTo(owner).map((m) => m.parsed.subject)).toContain('Known error due for review: Pool exhausted');
    await new Promise((r) => setTimeout(r, 800));
    expect(mailsTo(owner).filter((m) => m.parsed.subject?.includes('due for review'))).toHaveLength(1);
    expect((await t.sql<{ state: string }>(`select state from knowledge_items where item_id = $1`, [p.id]))[0]!.state).toBe('PUBLISHED');
  });

  it('an owner who turned the event off is not mailed', async () => {
    ok(
      await t.gql(
        `mutation($input: NotificationSettingsInput!) { updateMyNotificationSettings(input: $input) { personalEvents } }`,
        { input: { personalEvents: ['ASSIGNED_TO_YOU'] } },
        bearer(other),
      ),
    );
    const p = await createProblem(t, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CHANGE', ownerId: other.userId, title: 'Quiet one' });
    await createWorkaround(t, { status: 'ACTIVE', problemIds: [p.id] });
    await transitionProblem(t, p.id, 'KNOWN_ERROR');
    await t.sql(`update knowledge_items set review_by = now() - interval '1 day' where item_id = $1`, [p.id]);
    await poll(async () => (await t.sql<{ state: string }>(`select state from knowledge_items where item_id = $1`, [p.id]))[0]!.state).toBe(
      'NEEDS_REVIEW',
    );
    await new Promise((r) => setTimeout(r, 800));
    expect(mailsTo(other)).toHaveLength(0);
  });
});
