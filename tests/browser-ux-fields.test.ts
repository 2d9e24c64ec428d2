/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import {
  DEMO_ADMIN,
  HAS_CHROMIUM,
  NO_CHROMIUM_MESSAGE,
  describeViolations,
  runAxe,
  screenshot,
  seriousOrCritical,
  settle,
  signIn,
  startBrowserStack,
  type BrowserStack,
} from './support/browser';
import { incidentIn } from './support/factories';
import { createReview } from './support/review-factories';
import { uniq } from './support/uniq';

/**
 * Issue 23, item 8, in each area of the web app: a value the browser lets through but the API
 * refuses comes back as a plain sentence at the field it concerns (inside its wrapper, the control
 * described by it and marked invalid), never in the form-wide summary and never as developer text.
 * Screenshots in test-output/browser/ux-fields-*.png; axe finds nothing serious or critical.
 */

if (!HAS_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 250 });
const DEVELOPER_TEXT = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b[a-z]+[A-Z][A-Za-z]*\b|input\.|[0-9a-f]{8}-[0-9a-f]{4}-/;

describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? 'ux-fields in chromium' : NO_CHROMIUM_MESSAGE, () => {
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  let reviewId: string;

  beforeAll(async () => {
    stack = await startBrowserStack();
    ({ page, errors } = await stack.newPage());
    const incident = await incidentIn(stack.api, 'RESOLVED');
    reviewId = (await createReview(stack.api, { title: uniq('Checkout outage review'), incidentIds: [incident.id] })).id;
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 1_500_000);

  afterAll(async () => {
    await stack?.close();
  }, 60_000);

  /** The form that holds the submit button named `submit`. */
  const formWith = (submit: string) => page.locator('form').filter({ has: page.getByRole('button', { name: submit, exact: true }) });

  /**
   * Types `value` into the field labelled `label`, submits, and checks that `expected` is shown
   * inside that field's wrapper and describes its control, and that the form has no summary error.
   */
  async function refusedAtField(name: string, submit: string, label: string, value: string, expected: string) {
    onTestFailed(async () => {
      await screenshot(page, `ux-fields-${name}-FAILED`).catch(() => {});
    });
    const form = formWith(submit);
    await form.waitFor();
    const control: Locator = form.getByLabel(label, { exact: true });
    await control.fill(value);
    await form.getByRole('button', { name: submit, exact: true }).click();
    await poll(() => control.getAttribute('aria-invalid')).toBe('true');
    // The field's own wrapper (div.field), the nearest one around the control.
    const wrapper = control.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " field ")][1]');
    const message = wrapper.locator('.field-error');
    await poll(() => message.innerText()).toBe(expected);
    expect(expected).not.toMatch(DEVELOPER_TEXT);
    const describedBy = ((await control.getAttribute('aria-describedby')) ?? '').split(' ');
    expect(describedBy).toContain(await message.getAttribute('id'));
    // Nothing of it in the form-wide summary: that is only for messages no field takes.
    expect(await form.locator('.form-error').count()).toBe(0);
    await control.scrollIntoViewIfNeeded();
    await settle(page);
    await screenshot(page, `ux-fields-${name}`);
    const serious = seriousOrCritical(await runAxe(page));
    expect(serious, `${name}:\n${describeViolations(serious)}`).toEqual([]);
  }

  it('admin: a blank category name is refused at the name', async () => {
    await page.goto('/admin/categories');
    await refusedAtField('admin-category', 'Add category', 'Name', '   ', 'Name must not be empty.');
  }, 180_000);

  it('users: a blank name is refused at the name, not in the summary', async () => {
    await page.goto('/admin/users');
    const form = formWith('Add user');
    await form.getByLabel('Email', { exact: true }).fill(`${uniq('blank').toLowerCase().replace(/\W+/g, '.')}@example.test`);
    await refusedAtField('users', 'Add user', 'Name', '   ', 'Name must not be empty.');
  }, 180_000);

  it('problems: a blank title is refused at the title', async () => {
    await page.goto('/problems/new');
    await refusedAtField('problem', 'Open problem', 'Title', '   ', 'Title must not be empty.');
  }, 180_000);

  it('models: a blank name is refused at the name', async () => {
    await page.goto('/models/new');
    await refusedAtField('model', 'Create model', 'Name', '   ', 'Name must not be empty.');
  }, 180_000);

  it('reviews: a blank title is refused at the title of the review form', async () => {
    await page.goto(`/reviews/${reviewId}`);
    await refusedAtField('review', 'Save review', 'Title', '   ', 'Title must not be empty.');
    expect(errors).toEqual([]);
  }, 180_000);
});
