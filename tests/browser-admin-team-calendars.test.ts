/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { createActor } from './support/auth-factories';
import { DEMO_ADMIN, describeViolations, runAxe, screenshot, seriousOrCritical, signIn, type BrowserStack } from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';

/**
 * In chromium against the built web app and the demo seed: a team's working hours on /admin/teams
 * (decision 0009, setWorkingCalendar for a team). An admin sees the calendar the seed gave each
 * team, picks another and saves it, and clears it back to the default; a viewer reads the calendar's
 * name without a control. axe-core checks the page; nothing breaks the CSP.
 */

describeInChromium('team working hours in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'team-calendars', signInAs: DEMO_ADMIN });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];

  beforeAll(() => {
    ({ stack, page, errors } = suite.session());
  });

  const form = () => page.getByRole('form', { name: 'Working hours of Platform SRE' });
  const select = () => form().getByLabel('Working calendar of Platform SRE');
  const calendarOf = async (team: string) =>
    (
      await stack.api.sql<{ name: string | null }>(
        `select c.name from teams t left join business_calendars c on c.id = t.calendar_id where t.name = $1`,
        [team],
      )
    )[0]?.name ?? null;

  it('shows each team’s calendar, and an admin changes one and clears it', async () => {
    shotOnFailure('edit');
    await page.goto('/admin/teams');
    expect(await page.getByRole('columnheader', { name: 'Working hours' }).count()).toBe(1);
    expect(await calendarOf('Platform SRE')).toBe('Engineering core hours');
    const core = await select().locator('option:checked').textContent();
    expect(core).toBe('Engineering core hours (Europe/Berlin)');

    await select().selectOption({ label: 'London office hours (Europe/London)' });
    await form().getByRole('button', { name: 'Save hours' }).click();
    await poll(() => form().getByRole('status').count()).toBe(1);
    expect(await calendarOf('Platform SRE')).toBe('London office hours');
    // Another team is left as it was.
    expect(await calendarOf('Payments Engineering')).toBe('Engineering core hours');

    await page.reload();
    expect(await select().locator('option:checked').textContent()).toBe('London office hours (Europe/London)');
    await select().selectOption({ label: 'Default SLA calendar' });
    await form().getByRole('button', { name: 'Save hours' }).click();
    await poll(() => calendarOf('Platform SRE')).toBe(null);

    const violations = await runAxe(page);
    const bad = seriousOrCritical(violations);
    console.log(`[axe] /admin/teams: ${violations.length} violation(s), ${bad.length} serious or critical`);
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'admin-team-calendars');
    expect(errors).toEqual([]);
  });

  it('shows a viewer the calendar’s name, without a control to change it', async () => {
    shotOnFailure('viewer');
    const viewer = await createActor(stack.api, 'VIEWER');
    const other = await stack.newPage();
    try {
      await signIn(other.page, viewer.email, viewer.password, '/admin/teams');
      const row = other.page.getByRole('row').filter({ hasText: 'Data Engineering' });
      await row.waitFor();
      expect(await row.textContent()).toContain('London office hours');
      expect(await other.page.getByRole('form', { name: /^Working hours of/ }).count()).toBe(0);
      expect(other.errors).toEqual([]);
    } finally {
      await other.context.close();
    }
  });
});
