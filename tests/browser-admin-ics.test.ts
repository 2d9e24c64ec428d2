/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { ok } from './support/test-app';
import { uniq } from './support/uniq';

/**
 * In chromium: holidays from an .ics file on /admin/calendars. The admin chooses Google's US
 * holiday file, sees the preview (observances unticked, with the file's words), unticks a day off,
 * replaces the calendar's holidays and finds exactly the ticked dates stored; then makes a new
 * calendar from a German file whose lines are folded inside UTF-8 characters (the browser sends
 * bytes, so the names arrive whole), named from its X-WR-CALNAME.
 */

const FIXTURES = join(__dirname, '../apps/api/src/features/sla/ics-fixtures');
const file = (name: string) => ({ name, mimeType: 'text/calendar', buffer: readFileSync(join(FIXTURES, name)) });

describeInChromium('holiday import from .ics in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'ics' });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ stack, page, errors } = suite.session());
    await watchCsp(page, errors);
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 600_000);

  const holidaysOf = async (id: string) =>
    (await stack.api.sql<{ holidays: { date: string; name: string }[] }>(`select holidays from business_calendars where id = $1`, [id]))[0]!
      .holidays;

  it('previews a Google file, leaves observances out, and replaces the holidays with the ticked dates', async () => {
    shotOnFailure('import');
    const created = ok(
      await stack.api.gql<{ createBusinessCalendar: { id: string } }>(
        `mutation($input: BusinessCalendarInput!) { createBusinessCalendar(input: $input) { id } }`,
        {
          input: {
            name: uniq('US office'),
            timeZone: 'America/New_York',
            weeklyHours: ['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day, start: '09:00', end: '17:00' })),
            holidays: [{ date: '2026-07-04', name: 'Independence Day' }],
          },
        },
      ),
    ).createBusinessCalendar;
    await page.goto('/admin/calendars');
    const section = page.locator(`section[aria-labelledby="cal-${created.id}"]`);
    await section.getByText('Import holidays from .ics').click();
    await section.locator('input[type=file]').setInputFiles(file('google-us-holidays.ics'));
    const table = section.getByTestId('ics-preview');
    await poll(() => table.locator('tbody tr').count()).toBe(6);
    expect(await section.getByTestId('ics-summary').textContent()).toContain('“Holidays in United States”: 6 dates');

    const valentine = table.locator('tr', { hasText: "Valentine's Day" });
    expect(await valentine.getAttribute('data-status')).toBe('OBSERVANCE');
    expect(await valentine.textContent()).toContain('Observance DESCRIPTION: Observance');
    expect(await valentine.getByRole('checkbox').isChecked()).toBe(false);
    expect(await table.locator('tr', { hasText: "Mother's Day" }).getByRole('checkbox').isChecked()).toBe(false);
    const thanksgiving = table.locator('tr', { hasText: 'Thanksgiving Day' });
    expect(await thanksgiving.textContent()).toContain('Thu');
    expect(await thanksgiving.getByRole('checkbox').isChecked()).toBe(true);

    const violations = await runAxe(page);
    const bad = seriousOrCritical(violations);
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'admin-calendars-ics-preview');

    // Tick all, untick all, back to the file's days off.
    await section.getByRole('button', { name: 'Tick all', exact: true }).click();
    await poll(() => section.getByRole('button', { name: /^Import \d+ dates?$/ }).textContent()).toBe('Import 6 dates');
    await section.getByRole('button', { name: 'Untick all' }).click();
    await poll(() => table.getByRole('checkbox', { checked: true }).count()).toBe(0);
    await section.getByRole('button', { name: 'Tick the days off' }).click();
    await poll(() => table.getByRole('checkbox', { checked: true }).count()).toBe(4);
    await table.locator('tr', { hasText: 'Christmas Day' }).getByRole('checkbox').uncheck();
    await section.getByLabel('Mode').selectOption('REPLACE');
    await section.getByRole('button', { name: 'Import 3 dates' }).click();
    await poll(() => section.getByRole('status').textContent()).toBe('3 new holidays added.');
    expect(await holidaysOf(created.id)).toEqual([
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-05-25', name: 'Memorial Day' },
      { date: '2026-11-26', name: 'Thanksgiving Day' },
    ]);
    expect(errors).toEqual([]);
  });

  it('makes a calendar from a file folded inside UTF-8 characters, named from X-WR-CALNAME', async () => {
    shotOnFailure('create');
    await page.goto('/admin/calendars');
    const panel = page.locator('section[aria-labelledby="new-ics-h"]');
    await panel.locator('input[type=file]').setInputFiles(file('folded-utf8-de.ics'));
    await poll(() => panel.getByLabel('Name').inputValue()).toBe('Feiertage in Deutschland — gesetzliche und regionale Feiertage (Bayern)');
    // The file names no time zone: the admin gives one.
    const zone = panel.getByLabel('Time zone', { exact: true });
    expect(await zone.inputValue()).toBe('');
    await zone.selectOption('Europe/Berlin');
    const name = uniq('Bayern');
    await panel.getByLabel('Name').fill(name);
    const frauentag = panel.getByTestId('ics-preview').locator('tr', { hasText: 'Internationaler Frauentag' });
    expect(await frauentag.getByRole('checkbox').isChecked()).toBe(false);
    await panel.getByRole('button', { name: 'Create with 3 holidays' }).click();
    await poll(() => panel.getByRole('status').textContent()).toBe(`Calendar “${name}” created.`);
    const [row] = await stack.api.sql<{ time_zone: string; holidays: { date: string; name: string }[] }>(
      `select time_zone, holidays from business_calendars where name = $1`,
      [name],
    );
    expect(row!.time_zone).toBe('Europe/Berlin');
    expect(row!.holidays.map((h) => h.name)).toEqual([
      'Heilige Drei Könige (Baden-Württemberg, Bayern, Sachsen-Anhalt) – Erscheinung des Herrn',
      'Fronleichnam',
      'Buß- und Bettag (nur Sachsen) — gesetzlicher Feiertag, in Bayern schulfrei: Büßen üben',
    ]);
    await poll(() => page.getByRole('heading', { level: 2, name }).count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
