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
    const form = formWith(submit);
    await form.waitFor();
    const control: Locator = form.getByLabel(label, { exact: true });
    await control.fill(value);
    await form.getByRole('button', { name: submit, exact: true }).click();
    await shownAt(name, form, control, 'div[contains(concat(" ", normalize-space(@class), " "), " field ")]', expected);
  }

  /**
   * Checks that `expected` is shown inside the control's nearest `near` ancestor (its Field, table
   * row or cell), describes the control, marks it invalid, and is not in the form-wide summary.
   */
  async function shownAt(name: string, form: Locator, control: Locator, near: string, expected: string | RegExp) {
    onTestFailed(async () => {
      await screenshot(page, `ux-fields-${name}-FAILED`).catch(() => {});
    });
    await poll(() => control.getAttribute('aria-invalid')).toBe('true');
    const message = control.locator(`xpath=ancestor::${near}[1]`).locator('.field-error');
    if (typeof expected === 'string') await poll(() => message.innerText()).toBe(expected);
    else await poll(() => message.innerText()).toMatch(expected);
    // "iCalendar" is the format's own name, not developer text.
    expect((await message.innerText()).replaceAll('iCalendar', 'Calendar')).not.toMatch(DEVELOPER_TEXT);
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

  it('priority matrix: a cell that breaks the order is refused in that cell, and nothing is saved', async () => {
    const before = await stack.api.gql<{ priorityMatrix: { rows: number[][] } }>(`{ priorityMatrix { rows } }`);
    await page.goto('/admin/priority-matrix');
    const form = formWith('Save matrix');
    const cell = form.getByLabel('Priority for impact 3, urgency 3', { exact: true });
    await cell.selectOption('1');
    await form.getByRole('button', { name: 'Save matrix', exact: true }).click();
    await shownAt(
      'priority-matrix',
      form,
      cell,
      'tbody',
      new RegExp(
        '^Priority matrix: Impact 3 with urgency 3 gives P1 Critical, more urgent than impact 2 with urgency 3 \\(P\\d \\w+\\): ' +
          'lower impact must not give a higher priority$',
      ),
    );
    // The other cells carry no message.
    expect(await form.locator('.field-error').count()).toBe(1);
    expect(await form.locator('select[aria-invalid="true"]').count()).toBe(1);
    expect((await stack.api.gql(`{ priorityMatrix { rows } }`)).data).toEqual(before.data);
  }, 180_000);

  it("calendars: working hours that end before they start are refused in that weekday's row", async () => {
    await page.goto('/admin/calendars');
    const form = page.locator('section[aria-labelledby="new-h"] form');
    await form.getByLabel('Name', { exact: true }).fill(uniq('Backwards hours'));
    const zone = form.getByLabel('Time zone', { exact: true });
    await poll(() => zone.locator('optgroup').count()).toBeGreaterThan(5);
    await zone.selectOption('Europe/Berlin');
    // Tuesday is the second day sent: the API's "weeklyHours[1]" must land on Tuesday, not Monday.
    const from = form.getByLabel('Tue from', { exact: true });
    await from.fill('17:00');
    await form.getByLabel('Tue to', { exact: true }).fill('08:30');
    await form.getByRole('button', { name: 'Add calendar', exact: true }).click();
    await shownAt('calendar-hours', form, from, 'tr', 'End 08:30 must be after start 17:00.');
    expect(await form.getByLabel('Tue to', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Mon from', { exact: true }).getAttribute('aria-invalid')).toBeNull();
  }, 180_000);

  it('closing: a refused close goes back to the form, with the message at the note and the note kept', async () => {
    const incident = await incidentIn(stack.api, 'RESOLVED');
    await page.goto(`/incidents/${incident.number}`);
    await page.locator('summary', { hasText: 'Close…' }).click();
    const form = formWith('Close…');
    await form.getByLabel('Yes', { exact: true }).check();
    const note = form.getByLabel('Note', { exact: true });
    const long = 'n'.repeat(20_001);
    await note.fill(long);
    await form.getByRole('button', { name: 'Close…', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, close it' }).click();
    await shownAt(
      'close',
      form,
      note,
      'div[contains(concat(" ", normalize-space(@class), " "), " field ")]',
      'Note must be at most 20000 characters long.',
    );
    expect(await note.inputValue()).toBe(long);
    expect(await form.getByLabel('Yes', { exact: true }).isChecked()).toBe(true);
    const [row] = await stack.api.sql<{ status: string }>(`select status from incidents where id = $1`, [incident.id]);
    expect(row!.status).toBe('RESOLVED');
  }, 180_000);

  it('iCalendar import: a file that is not a calendar is refused at the file input, naming the line', async () => {
    await page.goto('/admin/calendars');
    const form = page.locator('section[aria-labelledby="new-ics-h"] form');
    const input = form.getByLabel('iCalendar file (.ics)', { exact: true });
    await input.setInputFiles({ name: 'notes.ics', mimeType: 'text/calendar', buffer: Buffer.from('Meeting notes\r\nnot a calendar\r\n') });
    await shownAt(
      'ics-file',
      form,
      input,
      'div[contains(concat(" ", normalize-space(@class), " "), " field ")]',
      /^iCalendar file: .*line \d+/i,
    );
    expect(errors).toEqual([]);
  }, 180_000);
});
