/// <reference lib="dom" />
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import {
  DEMO_ADMIN,
  HAS_CHROMIUM,
  NO_CHROMIUM_MESSAGE,
  screenshot,
  settle,
  signIn,
  startBrowserStack,
  type BrowserStack,
} from './support/browser';
import { incidentIn } from './support/factories';
import { createReview } from './support/review-factories';

/**
 * Issue 23, item 5: half-typed text is never lost without a warning, whichever way the page is left:
 * the browser's Back and Forward buttons (a popstate in the app router) and programmatic navigation
 * (router.push after a button) ask first, as links and closing the tab already did. Cancelling keeps
 * the page, the text and the URL; after saving, or with nothing typed, nothing is asked.
 */

if (!HAS_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 250 });
const MESSAGE = (what: string) => new RegExp(`^confirm: You have unsaved text \\(${what}\\)\\. Leave this page and lose it\\?`);

describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? 'ux-unsaved in chromium' : NO_CHROMIUM_MESSAGE, () => {
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  let incident: { id: string; number: string };
  let review: { id: string; title: string };

  beforeAll(async () => {
    stack = await startBrowserStack();
    ({ page, errors } = await stack.newPage());
    incident = await incidentIn(stack.api, 'RESOLVED', { title: 'Unsaved-text check: checkout 502', impact: 1, urgency: 1 });
    const r = await createReview(stack.api, { title: 'Unsaved-text review of the checkout outage', incidentIds: [incident.id] });
    review = { id: r.id, title: r.title };
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 1_500_000);

  afterAll(async () => {
    await stack?.close();
  }, 60_000);

  function shotOnFailure(name: string) {
    onTestFailed(async () => {
      await screenshot(page, `ux-unsaved-${name}-FAILED`).catch(() => {});
    });
  }

  /** Records dialogs, answering each with `accept`. */
  function dialogs(accept: boolean) {
    const seen: string[] = [];
    const handler = (d: Dialog) => {
      seen.push(`${d.type()}: ${d.message()}`);
      void (accept ? d.accept() : d.dismiss());
    };
    page.on('dialog', handler);
    return { seen, stop: () => page.off('dialog', handler) };
  }

  const noteBox = () => page.getByRole('textbox', { name: 'Work note' });
  const incidentPath = () => `/incidents/${incident.number}`;
  const path = () => new URL(page.url()).pathname + new URL(page.url()).search;
  /** The register, then the incident by its link: an app-router navigation, so Back is a popstate in one document. */
  async function openIncidentFromRegister() {
    await page.goto('/incidents?sort=number&dir=desc');
    await page.getByRole('link', { name: incident.number, exact: true }).first().click();
    await page.waitForURL((u) => u.pathname === incidentPath());
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  }

  it('Back with a half-typed work note asks; cancelling keeps the page, the text and the URL; agreeing leaves', async () => {
    shotOnFailure('back');
    await openIncidentFromRegister();
    const text = 'Pool exhausted on db-2; checking whether the vend';
    await noteBox().fill(text);
    let d = dialogs(false);
    await page.goBack().catch(() => null);
    await poll(() => d.seen.length).toBe(1);
    expect(d.seen[0]).toMatch(MESSAGE('work note'));
    d.stop();
    await poll(() => path()).toBe(incidentPath());
    await settle(page);
    // Still the incident page as it was (the router never saw the traversal), with the text and the URL.
    expect(path()).toBe(incidentPath());
    expect(await noteBox().inputValue()).toBe(text);
    expect(await page.getByRole('heading', { name: 'Timeline' }).count()).toBe(1);

    // Asked again (the guard is still there after a cancel), and agreeing goes back to the register.
    d = dialogs(true);
    await page.goBack().catch(() => null);
    await poll(() => d.seen.length).toBe(1);
    d.stop();
    await page.waitForURL((u) => u.pathname === '/incidents');
    await page.getByRole('link', { name: incident.number, exact: true }).first().waitFor();

    // Nothing typed: Back and Forward just go.
    d = dialogs(true);
    await page.goForward();
    await page.waitForURL((u) => u.pathname === incidentPath());
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/incidents');
    expect(d.seen).toEqual([]);
    d.stop();
    expect(errors).toEqual([]);
  });

  it('Forward with a half-typed work note asks too, and cancelling stays', async () => {
    shotOnFailure('forward');
    await openIncidentFromRegister();
    await page.getByRole('link', { name: 'Problems', exact: true }).first().click();
    await page.waitForURL(/\/problems/);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === incidentPath());
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await noteBox().fill('Forward check');
    const d = dialogs(false);
    await page.goForward().catch(() => null);
    await poll(() => d.seen.length).toBe(1);
    d.stop();
    await poll(() => path()).toBe(incidentPath());
    await settle(page);
    expect(await noteBox().inputValue()).toBe('Forward check');
    await noteBox().fill('');
  });

  it('a button that navigates by router.push asks; cancelling stays with the text, agreeing follows it', async () => {
    shotOnFailure('push');
    await openIncidentFromRegister();
    await noteBox().fill('Half a thought about the pool');
    await page.getByText('Open a problem from this incident').click();
    await page.getByRole('textbox', { name: 'Problem title' }).fill('Checkout pool exhausted (unsaved-text check)');
    let d = dialogs(false);
    await page.getByRole('button', { name: 'Open problem' }).click();
    await poll(() => d.seen.length).toBe(1);
    expect(d.seen[0]).toMatch(MESSAGE('work note'));
    d.stop();
    await settle(page);
    expect(path()).toBe(incidentPath());
    expect(await noteBox().inputValue()).toBe('Half a thought about the pool');
    // The problem was opened all the same: the page that stayed shows the link.
    await poll(() => page.locator('.panel a[href^="/problems/PRB-"]').count()).toBeGreaterThan(0);

    // Saved: no question on the next navigation.
    await page.getByRole('button', { name: 'Add work note' }).click();
    await poll(() => noteBox().inputValue()).toBe('');
    d = dialogs(true);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/incidents');
    expect(d.seen).toEqual([]);
    d.stop();
    expect(errors).toEqual([]);
  });

  it('a review field: Back asks, cancel keeps the text; saved, Back just goes', async () => {
    shotOnFailure('review');
    await page.goto('/reviews');
    await page.getByRole('link', { name: review.title }).first().click();
    await page.waitForURL((u) => u.pathname === `/reviews/${review.id}`);
    const summary = page.getByRole('textbox', { name: 'Summary' });
    await summary.fill('Checkout failed for 40 minutes because the pool');
    let d = dialogs(false);
    await page.goBack().catch(() => null);
    await poll(() => d.seen.length).toBe(1);
    expect(d.seen[0]).toMatch(MESSAGE('review text'));
    d.stop();
    await poll(() => new URL(page.url()).pathname).toBe(`/reviews/${review.id}`);
    await settle(page);
    expect(await summary.inputValue()).toBe('Checkout failed for 40 minutes because the pool');

    await page.getByRole('button', { name: 'Save review' }).click();
    await settle(page);
    await poll(() => stack.api.sql<{ summary: string }>('select summary from reviews where id = $1', [review.id])).toEqual([
      { summary: 'Checkout failed for 40 minutes because the pool' },
    ]);
    d = dialogs(true);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/reviews');
    expect(d.seen).toEqual([]);
    d.stop();
    expect(errors).toEqual([]);
  });
});
