/// <reference lib="dom" />
import { syncDue } from '@ikb/api/src/features/trackers/tracker.sender';
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
import { FakeTrackers } from './support/fake-trackers';
import { uniq } from './support/uniq';

/**
 * In chromium (issue 26 part 2): an admin adds a GitHub connection on /admin/trackers against a
 * local server that answers like GitHub, sees the webhook secret once with the webhook URL, sends a
 * test issue and reads the result; a connection with a wrong token says so in words; on a review,
 * "Push to ..." links an action item, which shows its issue and sync state once sent.
 */

describeInChromium('tracker connections in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'trackers' });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  let f: FakeTrackers;
  const name = uniq('Ops GitHub');

  beforeAll(async () => {
    ({ stack, page, errors } = suite.session());
    await watchCsp(page, errors);
    f = await new FakeTrackers().start();
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 600_000);

  afterAll(async () => {
    await f?.stop().catch(() => {});
  });

  const panel = () => page.locator('section[aria-labelledby="new-h"]');
  const card = (n: string) => page.locator(`section[data-tracker="${n}"]`);

  async function addGithub(n: string, token: string) {
    await page.goto('/admin/trackers');
    const form = panel().locator('form');
    await form.getByLabel('Tracker', { exact: true }).selectOption('GITHUB');
    await form.getByLabel('Name', { exact: true }).fill(n);
    await form.getByLabel('GitHub API address', { exact: true }).fill(f.githubUrl);
    await form.getByLabel('Owner', { exact: true }).fill('acme');
    await form.getByLabel('Repository', { exact: true }).fill('ops');
    await form.getByLabel('Token', { exact: true }).fill(token);
    await form.getByRole('button', { name: 'Add connection' }).click();
  }

  it('adds a GitHub connection, shows its secret and webhook URL once, and sends a test issue', async () => {
    shotOnFailure('add');
    await addGithub(name, f.github.token);
    const secret = page.getByTestId('secret-once');
    await poll(() => secret.count()).toBe(1);
    expect(await secret.locator('input, textarea').first().inputValue()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await page.getByTestId('webhook-url').innerText()).toMatch(/\/hooks\/github\/[0-9a-f-]{36}$/);
    await poll(() => card(name).count()).toBe(1);
    await card(name).getByRole('button', { name: 'Send a test issue' }).click();
    await poll(() => card(name).getByTestId('tracker-result').innerText()).toMatch(/^GitHub created #\d+/);
    expect([...f.github.issues.values()].at(-1)!.labels).toContain('ikb-test');
    await card(name).getByRole('button', { name: 'Test connection' }).click();
    await poll(() => card(name).getByTestId('tracker-result').innerText()).toContain('repository acme/ops is there');
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'trackers-admin');
  }, 300_000);

  it('says in words when the token is wrong', async () => {
    shotOnFailure('wrong-token');
    const wrong = uniq('Wrong token');
    await addGithub(wrong, 'ghp_wrong');
    await poll(() => card(wrong).count()).toBe(1);
    await card(wrong).getByRole('button', { name: 'Test connection' }).click();
    await poll(() => card(wrong).getByTestId('tracker-result').innerText()).toContain(
      'GitHub answered 401: did not accept the credentials (check the e-mail and API token, or the token) (Bad credentials)',
    );
    // Fixed in place: a new token and a label through "Edit settings"; the connection test then passes.
    await card(wrong).getByRole('button', { name: 'Edit settings' }).click();
    const edit = page.getByRole('form', { name: `Edit ${wrong}` });
    await edit.getByLabel('New token').fill(f.github.token);
    await edit.getByLabel('Labels').fill('follow-up, sre');
    await edit.getByRole('button', { name: 'Save' }).click();
    await poll(() => edit.count()).toBe(0);
    await poll(() => card(wrong).innerText()).toContain('labels follow-up, sre');
    await card(wrong).getByRole('button', { name: 'Test connection' }).click();
    await poll(() => card(wrong).getByTestId('tracker-result').innerText()).toContain('repository acme/ops is there');
  }, 180_000);

  it('pushes an action item from its review and shows the issue once sent', async () => {
    shotOnFailure('push');
    const [item] = await stack.api.sql<{ id: string; review_id: string; title: string }>(
      `select a.id, a.review_id, a.title from action_items a
        where a.status = 'OPEN' and not exists (select 1 from tracker.links l where l.action_item_id = a.id)
        order by a.created_at limit 1`,
    );
    const disabled = await stack.api.sql<{ id: string }>(`select id from tracker.connections where name <> $1`, [name]);
    // One target, so the button names it.
    for (const d of disabled) await stack.api.sql(`update tracker.connections set enabled = false where id = $1`, [d.id]);
    await page.goto(`/reviews/${item!.review_id}`);
    const row = page.locator('li', { hasText: item!.title }).first();
    await row.getByRole('button', { name: `Push to ${name}` }).click();
    await poll(() => row.getByTestId('tracker-link').innerText()).toContain('waiting to be sent');
    await syncDue(stack.api.app.orm.em);
    await page.reload();
    const link = page.locator('li', { hasText: item!.title }).first().getByTestId('tracker-link');
    await poll(() => link.innerText()).toMatch(/GitHub \(.+\): #\d+ in sync/);
    expect(await link.getByRole('link').getAttribute('href')).toMatch(/\/acme\/ops\/issues\/\d+$/);
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'trackers-push');
    expect(errors).toEqual([]);
  }, 180_000);
});
