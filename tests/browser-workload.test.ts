import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_ADMIN, describeViolations, runAxe, seriousOrCritical, signIn, type BrowserStack } from './support/browser';
import { describeInChromium, useBrowserStack } from './support/browser-suite';
import { ok } from './support/test-app';

/**
 * The Workload and Follow-through pages in chromium against the demo organisation: reached from
 * the dashboard's tabs, charts drawn, every figure with its definition, tables matching the API,
 * filters applied, CSV downloads with the filter and formula-like names defused, and axe.
 */

describeInChromium('workload and follow-through pages', () => {
  const suite = useBrowserStack({ shots: 'workload' });
  let stack: BrowserStack;
  let page: Page;
  const FORMULA = '=HYPERLINK("x") owner';

  beforeAll(async () => {
    ({ stack, page } = suite.session());
    // An owner whose name looks like a formula, with an overdue item on a review of a recent incident.
    const [inc] = await stack.api.sql<{ id: string }>(`select id from incidents order by opened_at desc limit 1`);
    const [u] = await stack.api.sql<{ id: string }>(
      `insert into users (id, email, name, role) values (gen_random_uuid(), 'formula@example.test', $1, 'ENGINEER') returning id`,
      [FORMULA],
    );
    const [r] = await stack.api.sql<{ id: string }>(
      `insert into reviews (id, number, title, status) values (gen_random_uuid(), nextval('review_number_seq'), 'Browser review', 'DRAFT')
       returning id`,
    );
    await stack.api.sql(`insert into review_incidents (review_id, incident_id) values ($1, $2)`, [r!.id, inc!.id]);
    await stack.api.sql(
      `insert into action_items (id, review_id, title, owner_id, due_date, kind, priority, status)
       values (gen_random_uuid(), $1, 'Overdue from the browser test', $2, current_date - 3, 'PREVENT', 3, 'OPEN')`,
      [r!.id, u!.id],
    );
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 300_000);

  async function download(p: Page, link: string): Promise<{ name: string; text: string }> {
    const [d] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: link, exact: true }).click()]);
    return { name: d.suggestedFilename(), text: readFileSync(await d.path()).toString('utf8') };
  }

  it('Workload: from the dashboard tab, chart, definitions, people as the API has them, CSV with the filter', async () => {
    suite.shotOnFailure('workload');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/dashboard');
    await page.getByRole('link', { name: 'Workload', exact: true }).click();
    await page.waitForURL('**/dashboard/workload');
    await page.locator('[data-testid="person-hours-chart"] svg.recharts-surface[role="application"]').waitFor();
    await page.locator('[data-testid="on-duty-chart"] svg.recharts-surface[role="application"]').waitFor();
    expect(await page.getByTestId('metric-definition').count()).toBeGreaterThanOrEqual(5);
    await page.getByText('Person-hours spent on incidents per person and team', { exact: false }).first().waitFor();
    await page.getByText('how much of the load falls on the top 10 % of responders', { exact: false }).first().waitFor();
    const rows = await page.locator('[data-testid="workload-people"] tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    const csv = await download(page, 'Export CSV');
    expect(csv.name).toMatch(/^workload-people.*\.csv$/);
    expect(csv.text.split('\n')[0]).toContain('Person,Team,Incidents,Logged hours,Holding hours,Person-hours');
    expect(csv.text.trim().split('\n').length - 1).toBe(rows);
    // A team filter: the page and the file both narrow to it.
    const team = await page.locator('select[name="team"] option').nth(1).getAttribute('value');
    await page.goto(`/dashboard/workload?team=${team}`);
    const narrowed = await page.locator('[data-testid="workload-teams"] tbody tr').count();
    const filtered = await download(page, 'Export teams CSV');
    expect(filtered.text.trim().split('\n').length - 1).toBe(narrowed);
    const violations = seriousOrCritical(await runAxe(page));
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('Follow-through: chart, definition, owners and overdue items, a CSV whose formula-like names are defused', async () => {
    suite.shotOnFailure('follow-through');
    await page.goto('/dashboard');
    await page.getByRole('link', { name: 'Follow-through', exact: true }).click();
    await page.waitForURL('**/dashboard/follow-through');
    await page.locator('[data-testid="follow-through-chart"] svg.recharts-surface[role="application"]').waitFor();
    expect(await page.getByTestId('metric-definition').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('cell', { name: 'Overdue from the browser test' }).waitFor();
    const api = ok(
      await stack.api.gql<{ followThrough: { ownerCount: number } }>(
        `query($f: AnalyticsFilter!) { followThrough(filter: $f) { ownerCount } }`,
        {
          f: {
            from: new Date(Date.now() - 366 * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00Z',
            to: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) + 'T00:00:00Z',
          },
        },
      ),
    ).followThrough;
    expect(await page.locator('[data-testid="follow-through-owners"] tbody tr').count()).toBe(api.ownerCount);
    const csv = await download(page, 'Export CSV');
    expect(csv.name).toMatch(/^follow-through-owners.*\.csv$/);
    const line = csv.text.split('\n').find((l) => l.includes('HYPERLINK'))!;
    expect(line.startsWith('"\'=HYPERLINK') || line.startsWith("'=HYPERLINK")).toBe(true);
    const violations = seriousOrCritical(await runAxe(page));
    expect(violations, describeViolations(violations)).toEqual([]);
  });
});
