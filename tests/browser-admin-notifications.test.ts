/// <reference lib="dom" />
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  DEMO_ADMIN,
  describeViolations,
  runAxe,
  screenshot,
  seriousOrCritical,
  signIn,
  watchCsp,
  type BrowserStack,
} from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';
import { logIncident } from './support/factories';
import { uniq } from './support/uniq';

/**
 * In chromium: an admin sets up notifications on /admin/notifications (issue 25). A Slack channel
 * for P1 incidents and updates, tested from the page against a local receiver; a signed webhook
 * whose generated secret is shown once; a P1 logged through the API reaches the Slack receiver and
 * shows as delivered in the log; the webhook's receiver refuses (410), the log says why, and once
 * the receiver is fixed the admin sends the failed delivery again from the page.
 */

describeInChromium('notification channels in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'notifications' });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  let server: Server;
  let base: string;
  const received: { path: string; body: string }[] = [];
  const answers = new Map<string, number>([['/hook', 410]]);

  beforeAll(async () => {
    ({ stack, page, errors } = suite.session());
    await watchCsp(page, errors);
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url ?? '/', body });
        res.writeHead(answers.get(req.url ?? '/') ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 600_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  const panel = () => page.locator('section[aria-labelledby="new-h"]');
  const card = (name: string) => page.locator(`section[data-channel="${name}"]`);

  it('adds a Slack channel for P1s and updates and sends it a test message', async () => {
    shotOnFailure('slack');
    await page.goto('/admin/notifications');
    const form = panel().locator('form');
    await form.getByLabel('Name', { exact: true }).fill('#major-incidents');
    await form.getByLabel('URL', { exact: true }).fill(`${base}/slack`);
    await form.getByLabel('P1, P2 or major incident').check();
    await form.getByLabel('Stakeholder update').check();
    await form.getByLabel('P1 Critical').check();
    // Events addressed to one person are not offered to channels.
    expect(await form.getByLabel('Assigned to you').count()).toBe(0);
    await form.getByRole('button', { name: 'Add channel' }).click();
    await poll(() => card('#major-incidents').count()).toBe(1);
    const c = card('#major-incidents');
    expect(await c.innerText()).toContain('P1, P2 or major incident, Stakeholder update, for P1');
    expect(await c.innerText()).toContain(`${base}/slack/…`);
    await c.getByRole('button', { name: 'Send a test' }).click();
    await poll(() => c.getByRole('status').innerText()).toBe('Test delivered (the receiver answered 200).');
    // The e-mail log beside the delivery log; this stack has no SMTP server, and says so.
    const mailLog = page.locator('section[aria-labelledby="mail-h"]');
    expect(await mailLog.innerText()).toContain('This server sends no e-mail (SMTP_URL is not set)');
    const test = JSON.parse(received.find((r) => r.path === '/slack')!.body);
    expect(test.text).toContain('Test notification');
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'notifications-slack');
  }, 180_000);

  it('adds a signed webhook, shows its secret once, and sends a failed delivery again', async () => {
    shotOnFailure('webhook');
    const form = panel().locator('form');
    await form.getByLabel('Kind', { exact: true }).selectOption('WEBHOOK');
    const name = uniq('Ops receiver');
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('URL', { exact: true }).fill(`${base}/hook`);
    await form.getByLabel('Stakeholder update').check();
    await form.getByRole('button', { name: 'Add channel' }).click();
    const secret = page.getByTestId('secret-once');
    await poll(() => secret.count()).toBe(1);
    expect(await secret.locator('input, textarea').first().inputValue()).toMatch(/^whsec_/);

    // A P1 with an update: Slack hears of both, the webhook of the update, which its receiver refuses.
    const inc = await logIncident(stack.api, { impact: 1, urgency: 1, title: uniq('Checkout down') });
    await stack.api.gql(`mutation($id: ID!, $i: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $i) { id } }`, {
      id: inc.id,
      i: { message: 'Payments are failing over to the second provider.' },
    });
    await poll(() => received.filter((r) => r.path === '/hook').length).toBe(1);
    await poll(() => received.filter((r) => r.path === '/slack').length).toBe(3);
    await poll(async () => {
      await page.goto('/admin/notifications');
      return card(name).getByTestId('channel-state').innerText();
    }).toContain('1 failed for good');
    const log = page.getByTestId('delivery-log');
    const failed = log.locator('tr[data-status="DEAD"]', { hasText: name });
    expect(await failed.innerText()).toContain('410');
    expect(await failed.innerText()).toContain('the receiver answered 410; not retried');
    expect(await log.locator('tr[data-status="DELIVERED"]', { hasText: '#major-incidents' }).count()).toBe(2);

    answers.set('/hook', 200);
    await card(name).getByRole('button', { name: 'Send 1 failed again' }).click();
    await page.getByRole('button', { name: 'Yes, send again' }).click();
    await poll(() => received.filter((r) => r.path === '/hook').length).toBe(2);
    expect(JSON.parse(received.filter((r) => r.path === '/hook')[1]!.body).data.text).toBe(
      'Payments are failing over to the second provider.',
    );
    await poll(async () => {
      await page.goto('/admin/notifications');
      return card(name).getByTestId('channel-state').innerText();
    }).toContain('0 failed for good');
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'notifications-log');
    expect(errors).toEqual([]);
  }, 180_000);
});
