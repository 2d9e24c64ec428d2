/// <reference lib="dom" />
import { notifySettings } from '@ikb/api/src/features/notifications/notify-settings';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  DEMO_ADMIN,
  describeViolations,
  runAxe,
  screenshot,
  seriousOrCritical,
  settle,
  signIn,
  type BrowserStack,
} from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';
import { logIncident } from './support/factories';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox';
import { uniqSlug } from './support/uniq';

/**
 * In chromium, signed out: the public status page shows the services an admin made public, their
 * state from a published P1 and 90 day bars, and passes axe; a visitor subscribes, opens the
 * confirmation link from the mail the SMTP server received, and sees the subscription confirmed.
 * An engineer posts a public update from the incident page's form, without telling subscribers.
 */
describeInChromium('public status page (chromium)', () => {
  const suite = useBrowserStack({ shots: 'status-page' });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let smtp: SmtpInbox;
  const saved = { ...notifySettings };

  beforeAll(async () => {
    ({ stack, page } = suite.session());
    smtp = await startSmtpInbox();
    // The API runs in this process: point its mail at the test's SMTP server and its links at the web app.
    notifySettings.smtpUrl = smtp.url;
    notifySettings.publicWebUrl = stack.web.url;
    // The demo publishes every service: this test shows two.
    await stack.api.sql(`update services set public = (id in (select id from services order by name limit 2))`);
  }, 600_000);

  afterAll(async () => {
    Object.assign(notifySettings, saved);
    await smtp?.close();
  });

  it('shows public services, their state and 90 day bars without signing in, axe clean', async () => {
    shotOnFailure('page');
    const [svc] = await stack.api.sql<{ id: string; name: string }>(`select id, name from services where public order by name limit 1`);
    const inc = await logIncident(stack.api, { serviceId: svc!.id, impact: 1, urgency: 1, title: 'INTERNAL-ONLY db-7 disk full' });
    const r = await stack.api.gql(
      `mutation($id: ID!, $input: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $input) { id } }`,
      {
        id: inc.id,
        input: {
          message: 'Checkout is failing for most customers.',
          statusPage: true,
          publicState: 'IDENTIFIED',
          publicTitle: 'Checkout errors',
        },
      },
    );
    expect(r.errors).toBeUndefined();
    await page.goto('/status');
    expect(new URL(page.url()).pathname).toBe('/status');
    await page.getByRole('heading', { level: 1, name: 'Service status' }).waitFor();
    const services = page.locator('li.status-service');
    await poll(() => services.count()).toBe(2);
    const mine = services.filter({ has: page.getByRole('heading', { name: svc!.name, exact: true }) });
    expect(await mine.locator('.status-tag').textContent()).toBe('Major outage');
    expect(await mine.locator('svg.status-bars rect').count()).toBe(90);
    expect(await mine.locator('svg.status-bars rect').last().getAttribute('data-state')).toBe('MAJOR_OUTAGE');
    expect(await page.getByRole('article', { name: 'Checkout errors' }).textContent()).toContain('Checkout is failing for most customers.');
    expect(await page.content()).not.toContain('INTERNAL-ONLY');
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'status-page');
  }, 180_000);

  it('subscribes by e-mail, and the link in the confirmation mail confirms it', async () => {
    shotOnFailure('subscribe');
    const addr = `${uniqSlug('visitor').toLowerCase()}@example.test`;
    await page.goto('/status');
    const form = page.getByRole('form', { name: 'Subscribe to updates' });
    // A bad address is refused at its field.
    await form.getByLabel('E-mail address').fill('not-an-address@nowhere');
    await form.getByRole('button', { name: 'Subscribe' }).click();
    await poll(async () => (await form.locator('.field-error').count()) && form.locator('.field-error').textContent()).toContain(
      'not an e-mail address',
    );
    await form.getByLabel('E-mail address').fill(addr);
    await form.getByRole('button', { name: 'Subscribe' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Check your inbox' }).count()).toBe(1);
    await poll(() => smtp.mails.filter((m) => m.to.includes(addr)).length).toBe(1);
    const mail = smtp.mails.find((m) => m.to.includes(addr))!;
    const link = /(http\S+\/status\/confirm\?token=[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')?.[1];
    expect(link, mail.parsed.text).toBeTruthy();
    expect(link!.startsWith(stack.web.url)).toBe(true);
    await page.goto(link!);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Subscription confirmed');
    const [row] = await stack.api.sql<{ confirmed: boolean }>(
      `select confirmed_at is not null as confirmed from status_subscribers where email = $1`,
      [addr],
    );
    expect(row).toEqual({ confirmed: true });
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'status-confirmed');
  }, 180_000);

  it('an engineer posts a public update from the incident page, with subscribers not told', async () => {
    const { page: staff } = await stack.newPage();
    shotOnFailure('post-update', () => staff);
    const [svc] = await stack.api.sql<{ id: string }>(`select id from services where public order by name desc limit 1`);
    const inc = await logIncident(stack.api, { serviceId: svc!.id, impact: 2, urgency: 2, title: 'INTERNAL-ONLY cache node 3 evicting' });
    await signIn(staff, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await staff.goto(`/incidents/${inc.number}`);
    await staff.getByText('Stakeholder update', { exact: true }).first().click();
    const form = staff.getByRole('form', { name: 'Stakeholder update' });
    await form.getByLabel('Message').fill('Pages load slowly for some visitors.');
    await form.getByLabel("Tell the incident's subscribers").uncheck();
    await form.getByLabel('Post on the status page').check();
    await form.getByLabel('Public title').fill('Slow pages');
    await form.getByLabel('Public state').selectOption('MONITORING');
    await form.getByRole('button', { name: 'Post update' }).click();
    await settle(staff);
    await poll(async () => await stack.api.sql(`select state, title from status_updates where incident_id = $1`, [inc.id])).toEqual([
      { state: 'MONITORING', title: 'Slow pages' },
    ]);
    const [ev] = await stack.api.sql<{ data: { notify: boolean } }>(
      `select data from incident_events where incident_id = $1 and kind = 'STAKEHOLDER_UPDATE'`,
      [inc.id],
    );
    expect(ev!.data.notify).toBe(false);
    await page.goto('/status');
    expect(await page.getByRole('article', { name: 'Slow pages' }).textContent()).toContain('Pages load slowly for some visitors.');
    expect(await page.content()).not.toContain('INTERNAL-ONLY');
  }, 180_000);
});
