/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
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
 * In chromium, a person's own notifications (issue 25): on /account/notifications they choose a
 * daily digest at their hour and zone and subscribe to P1 resolutions; on an incident they follow
 * it, and when someone else posts an update the incident's "Who was told" names them and their
 * list shows it until they mark it read. This stack has no SMTP server: the page says so.
 */
describeInChromium('your notifications in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'my-notifications' });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ stack, page, errors } = suite.session());
    await watchCsp(page, errors);
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 600_000);

  it('chooses a digest and subscribes to P1 resolutions', async () => {
    shotOnFailure('settings');
    await page.goto('/account/notifications');
    expect(await page.locator('main').innerText()).toContain('This server sends no e-mail');
    const how = page.getByRole('form', { name: 'How you are told' });
    await how.getByLabel('One digest a day').check();
    await how.getByLabel('Digest hour', { exact: true }).fill('7');
    const zone = how.getByLabel('Your time zone', { exact: true });
    await zone.selectOption('Asia/Kolkata');
    await how.getByRole('button', { name: 'Save' }).click();
    await poll(() => how.getByText('Saved.').count()).toBe(1);
    await page.reload();
    expect(await page.getByRole('form', { name: 'How you are told' }).getByLabel('One digest a day').isChecked()).toBe(true);
    expect(await page.getByRole('form', { name: 'How you are told' }).getByLabel('Your time zone', { exact: true }).inputValue()).toBe(
      'Asia/Kolkata',
    );

    const sub = page.getByRole('form', { name: 'Subscribe' });
    await sub.getByLabel('Resolved', { exact: true }).check();
    await sub.getByLabel('P1 Critical').check();
    const team = (await stack.api.gql<{ teams: { name: string }[] }>(`{ teams { name } }`)).data!.teams[0]!.name;
    await sub.getByLabel('Teams (none chosen: all)').selectOption({ label: team });
    // Events about you are settings, not subscriptions.
    expect(await sub.getByLabel('Assigned to you').count()).toBe(0);
    await sub.getByRole('button', { name: 'Subscribe' }).click();
    const table = page.getByRole('table', { name: 'Your subscriptions' });
    await poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await table.innerText()).toMatch(new RegExp(`Resolved\\s+P1 · any service · ${team}`));
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'my-notifications-settings');
  }, 180_000);

  it('follows an incident; an update by someone else is told to them, listed, and marked read', async () => {
    shotOnFailure('follow');
    const inc = await logIncident(stack.api, { impact: 2, urgency: 2, title: uniq('Queue backlog') });
    await page.goto(`/incidents/${inc.number}`);
    const panel = page.locator('section[aria-labelledby="told-h"]');
    await panel.getByRole('button', { name: 'Follow' }).click();
    await poll(() => panel.getByRole('button', { name: 'Following' }).getAttribute('aria-pressed')).toBe('true');
    await stack.api.gql(`mutation($id: ID!, $i: StakeholderUpdateInput!) { addStakeholderUpdate(id: $id, input: $i) { id } }`, {
      id: inc.id,
      i: { message: 'Consumers scaled out; the backlog drains.' },
    });
    await poll(async () => {
      await page.reload();
      return page.locator('section[aria-labelledby="told-h"]').innerText();
    }).toMatch(/Stakeholder update[\s\S]*Consumers scaled out; the backlog drains\.[\s\S]*Demo Admin \(in their list\)/);
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);

    await page.goto('/account/notifications');
    const list = page.getByRole('list', { name: 'Your notifications' });
    await poll(() => list.innerText()).toContain(`${inc.number} update: ${inc.title}`);
    expect(await list.locator('li.unread').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await poll(() => page.locator('main').innerText()).toContain('0 unread');
    expect(await page.getByRole('list', { name: 'Your notifications' }).locator('li.unread').count()).toBe(0);
    await screenshot(page, 'my-notifications-list');
    expect(errors).toEqual([]);
  }, 180_000);
});
