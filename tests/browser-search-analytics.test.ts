/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { parseCsv } from './support/csv';
import { DEMO_ADMIN, describeViolations, runAxe, screenshot, seriousOrCritical, type BrowserStack } from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';

/**
 * In chromium against the built web app and a seeded API (decision 0011): opening a search hit is
 * recorded with its position without holding up the navigation; the Search analytics page shows
 * the query with its definitions, downloads its tables as formula-safe CSV, and has no serious
 * accessibility violation; the page is refused to an engineer.
 */
describeInChromium('search analytics in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'search-analytics', signInAs: DEMO_ADMIN });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];

  beforeAll(() => {
    ({ stack, page, errors } = suite.session());
  });

  it('records which hit was opened, and where it stood', async () => {
    shotOnFailure('open');
    await page.goto('/search?q=database');
    const second = page.locator('ol#search-results a.hit-link').nth(1);
    await second.waitFor();
    await second.click();
    await page.waitForURL((u) => !u.pathname.startsWith('/search'));
    await poll(async () =>
      (
        await stack.api.sql(`select position from search_log.opens o join search_log.searches s on s.id = o.search_id
      where s.query = 'database'`)
      ).map((r) => r.position),
    ).toEqual([2]);
    // A query that looks like a formula, for the CSV below.
    await page.goto(`/search?q=${encodeURIComponent('=database')}`);
    await page.locator('ol#search-results').waitFor();
    expect(errors).toEqual([]);
  });

  it('shows the figures with their definitions, CSV downloads, and no accessibility violation', async () => {
    shotOnFailure('page');
    await page.goto('/');
    await page.getByRole('link', { name: 'Search analytics' }).first().click();
    await page.waitForURL(/\/search-analytics/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Search analytics');
    await poll(async () => {
      await page.reload();
      return page.locator('table[data-table="top-queries"]').textContent();
    }).toContain('database');
    expect(await page.locator('.metric-definition summary').allTextContents()).toContain(
      'MRR: mean over searches of 1 / position of the first opened hit, 0 when none was opened.',
    );
    const res = await page.request.get('/export/search-queries?days=7&bucket=DAY');
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/text\/csv/);
    const rows = parseCsv((await res.text()).replace(/^\ufeff/, ''));
    expect(rows[0]).toEqual(['Query', 'Searches', 'Zero-hit searches', 'Zero-hit share', 'Searches with an open', 'Click-through', 'MRR']);
    const db = rows.find((r) => r[0] === 'database');
    expect(db?.[4]).toBe('1');
    expect(rows.some((r) => r[0] === "'=database")).toBe(true);
    for (const hostile of ['days=%00', 'days=-1&bucket=YEAR', `bucket=${'x'.repeat(5000)}`]) {
      expect((await page.request.get(`/export/search-gaps?${hostile}`)).status()).toBeLessThan(500);
    }
    const violations = await runAxe(page);
    const bad = seriousOrCritical(violations);
    console.log(`[axe] /search-analytics: ${violations.length} violation(s), ${bad.length} serious or critical`);
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'search-analytics');
    expect(errors).toEqual([]);
  });

  it('is refused to an engineer, and not in their navigation', async () => {
    const { context, page: other } = await stack.newPage();
    const eng = await stack.api.tokenForRole('ENGINEER');
    await stack.api.sql(`update users set password_hash = (select password_hash from users where email = $1) where id = $2`, [
      DEMO_ADMIN.email,
      eng.userId,
    ]);
    const { signIn } = await import('./support/browser');
    await signIn(other, eng.email, DEMO_ADMIN.password);
    await other.goto('/search-analytics');
    expect(await other.locator('.read-only-note').textContent()).toMatch(/may not read search analytics/);
    expect(await other.getByRole('link', { name: 'Search analytics' }).count()).toBe(0);
    expect((await other.request.get('/export/search-queries')).status()).toBe(403);
    await context.close();
  });
});
