import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
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
import { ok } from './support/test-app';

/**
 * The lists in chromium against the built web app and a seeded API: "assigned to me", saving and
 * reopening a view, a bulk change with a per-row refusal, a CSV download, 404 pages, and one date
 * format across pages; axe and screenshots at 1440 and 390 px.
 */

const DATE_TIME = /\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/g;

describeInChromium('the lists in chromium', () => {
  const suite = useBrowserStack({ shots: 'ux-lists' });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  let adminId: string;
  const token = `uxlists${randomUUID().slice(0, 8)}`;
  const made: { id: string; number: string }[] = [];

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}) => ok(await stack.api.gql<T>(query, variables));

  beforeAll(async () => {
    ({ stack, page, errors } = suite.session());
    [{ id: adminId }] = await stack.api.sql<{ id: string }>(`select id from users where email = $1`, [DEMO_ADMIN.email]);
    // Two incidents of this test, one closed (read-only): the bulk change must refuse it by number.
    for (const title of [`${token} open`, `${token} closed`]) {
      const d = await gql<{ logIncident: { id: string; number: string } }>(
        `mutation($i: LogIncidentInput!) { logIncident(input: $i) { id number } }`,
        { i: { title, source: 'USER_REPORT' } },
      );
      made.push(d.logIncident);
    }
    const closed = made[1]!.id;
    await gql(
      `mutation($id: ID!) {
        transitionIncident(id: $id, input: { to: RESOLVED, resolutionKind: WORKAROUND, resolutionNotes: "x" }) { id }
      }`,
      {
        id: closed,
      },
    );
    await gql(`mutation($id: ID!) { transitionIncident(id: $id, input: { to: CLOSED, userConfirmed: true }) { id } }`, { id: closed });
    await gql(`mutation($id: ID!, $u: ID!) { assignIncident(id: $id, input: { assigneeId: $u }) { id } }`, { id: made[0]!.id, u: adminId });
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password, '/incidents');
  }, 900_000);

  it('filters the register to "assigned to me" in one click, as the database says', async () => {
    shotOnFailure('mine');
    await page.goto('/incidents');
    await page.getByRole('navigation', { name: 'Whose incidents' }).getByRole('link', { name: 'Assigned to me' }).click();
    await poll(() => page.url()).toMatch(/mine=me/);
    await settle(page);
    const [{ n }] = await stack.api.sql<{ n: string }>(`select count(*) as n from incidents where assignee_id = $1`, [adminId]);
    expect(await page.getByTestId('incident-count').innerText()).toMatch(new RegExp(`^${n} incidents? match`));
    expect(await page.getByRole('link', { name: 'Assigned to me' }).getAttribute('aria-current')).toBe('page');
    expect(await page.locator('table.data tbody tr', { hasText: made[0]!.number }).count()).toBe(1);
    // The queue has the same scope.
    await page.goto('/incidents/queue?mine=me');
    const [{ q }] = await stack.api.sql<{ q: string }>(
      `select count(*) as q from incidents where assignee_id = $1 and status in ('NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD')`,
      [adminId],
    );
    expect(await page.locator('table.data tbody tr').count()).toBe(Math.min(Number(q), 50));
  });

  it('saves the current filters as a view and reopens it from the list', async () => {
    shotOnFailure('views');
    await page.goto(`/incidents?q=${token}&sort=number&dir=asc`);
    const form = page.getByRole('form', { name: 'Save the current view' });
    await form.getByLabel('Save current view as').fill('My test incidents');
    await form.getByRole('button', { name: 'Save view' }).click();
    const link = page.getByRole('region', { name: 'Saved views' }).getByRole('link', { name: 'My test incidents' });
    await link.waitFor();
    const [row] = await stack.api.sql<{ filters: Record<string, string> }>(
      `select filters from saved_views where name = 'My test incidents'`,
    );
    expect(row!.filters).toEqual({ q: token, sort: 'number', dir: 'asc' });
    await page.goto('/incidents');
    await page.getByRole('region', { name: 'Saved views' }).getByRole('link', { name: 'My test incidents' }).click();
    await poll(() => page.url()).toContain(`q=${token}`);
    await settle(page);
    expect(await page.locator('table.data tbody tr').count()).toBe(2);
    expect(await page.getByRole('link', { name: 'My test incidents' }).getAttribute('aria-current')).toBe('page');
  });

  it('refuses a bulk change that includes a closed incident, naming it, and changes nothing; then applies it', async () => {
    shotOnFailure('bulk');
    await page.goto(`/incidents?q=${token}&sort=number&dir=asc`);
    await settle(page);
    const bar = page.getByRole('form', { name: 'Change the selected incidents' });
    // Keyboard: the select-all checkbox takes Space.
    const all = page.getByRole('checkbox', { name: 'Select every incident on this page' });
    await all.focus();
    await page.keyboard.press('Space');
    await poll(() => bar.locator('.bulk-count').innerText()).toBe('2 selected');
    await bar.getByLabel('Team').selectOption({ index: 2 });
    await bar.getByRole('button', { name: 'Apply to 2' }).click();
    const alert = bar.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Nothing was changed');
    expect(await alert.innerText()).toContain(`${made[1]!.number} is closed: it is read-only`);
    await screenshot(page, 'ux-lists-bulk-refused');
    const teams = async () =>
      (await stack.api.sql<{ team_id: string | null }>(`select team_id from incidents where id = $1`, [made[0]!.id]))[0]!.team_id;
    expect(await teams()).toBeNull();

    await page.getByRole('checkbox', { name: `Select ${made[1]!.number}` }).uncheck();
    await bar.getByRole('button', { name: 'Apply to 1' }).click();
    await bar
      .getByRole('status')
      .filter({ hasText: /^1 incident assigned to / })
      .waitFor();
    await poll(teams).not.toBeNull();
  });

  it('downloads the filtered register as CSV', async () => {
    shotOnFailure('csv');
    await page.goto(`/incidents?q=${token}&sort=number&dir=asc`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^incidents-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^Number,Title,Status,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(made.map((m) => m.number));
  });

  it('answers 404 with the not-found page for records that do not exist', async () => {
    shotOnFailure('404');
    for (const path of [
      '/incidents/INC-999999',
      '/problems/PRB-99999',
      `/reviews/${randomUUID()}`,
      `/workarounds/${randomUUID()}`,
      `/models/${randomUUID()}`,
      `/admin/imports/${randomUUID()}`,
      '/incidents/%00',
    ]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(404);
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
    }
    await screenshot(page, 'ux-lists-not-found');
  });

  it('shows every date and time in one format, with its zone', async () => {
    shotOnFailure('dates');
    const open = await stack.api.sql<{ number: number }>(`select number from incidents order by opened_at desc limit 1`);
    const pages = ['/incidents', `/incidents/INC-${String(open[0]!.number).padStart(6, '0')}`, '/problems', '/reviews', '/incidents/queue'];
    for (const path of pages) {
      await page.goto(path);
      await settle(page);
      const text = await page.locator('main').innerText();
      expect(text, `${path}: an ISO timestamp leaked`).not.toMatch(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/);
      const stamps = [...text.matchAll(DATE_TIME)];
      if (path !== '/problems' && path !== '/reviews') expect(stamps.length, path).toBeGreaterThan(0);
      for (const m of stamps) expect(text.slice(m.index! + m[0].length, m.index! + m[0].length + 4), `${path}: ${m[0]}`).toBe(' UTC');
    }
  });

  it('passes axe with a saved view and a selection, at 1440 and 390 px', async () => {
    shotOnFailure('axe');
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`/incidents?q=${token}&sort=number&dir=asc`);
      await settle(page);
      await page.getByRole('checkbox', { name: `Select ${made[0]!.number}` }).check();
      await poll(() => page.locator('.bulk-count').innerText()).toBe('1 selected');
      const bad = seriousOrCritical(await runAxe(page));
      expect(bad, describeViolations(bad)).toEqual([]);
      await screenshot(page, `ux-lists-incidents-${width}`);
    }
    expect(errors).toEqual([]);
  });
});
