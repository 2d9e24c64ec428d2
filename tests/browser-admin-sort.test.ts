import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_ADMIN, screenshot, settle } from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';

/**
 * In chromium against the built web app and a seeded API: incident list columns sort through the
 * API (order in the URL, aria-sort, keyboard), admin edit forms save and show API errors, and the
 * dashboard shows MTTA, MTTD, reopen rate, knowledge reuse and backlog by age with their definitions.
 */

describeInChromium('sorting, admin edits and dashboard metrics in chromium', () => {
  const suite = useBrowserStack({ shots: '', signInAs: DEMO_ADMIN });
  const { shotOnFailure } = suite;
  let page: Page;
  let errors: string[];

  beforeAll(() => {
    ({ page, errors } = suite.session());
  });

  const priorities = async () =>
    // The priority badge's cell, wherever the column is (a selection column comes first when bulk changes are allowed).
    (await page.locator('table.data tbody tr td:has(> .badge.priority)').allInnerTexts()).map((t) => Number(/P(\d)/.exec(t)?.[1]));

  it('sorts the register by a column header through the API, keeps the order in the URL and across pages', async () => {
    shotOnFailure('sort');
    await page.goto('/incidents');
    const th = page.locator('th', { has: page.locator('a.sort-header', { hasText: 'Priority' }) });
    await expect(await th.getAttribute('aria-sort')).toBe('none');
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Opened');
    // Keyboard: focus the header link and press Enter. Right after loading, focus can be lost while
    // the page hydrates (seen with Chromium 156.0.8078.108: activeElement stayed <body>), so wait until
    // focus stays on the link, as a person tabbing to it would find it.
    const link = page.locator('a.sort-header', { hasText: 'Priority' });
    await poll(async () => {
      await link.focus();
      return link.evaluate((a) => a === document.activeElement);
    }).toBe(true);
    await page.keyboard.press('Enter');
    // Next links navigate client-side (no load event): wait for the URL itself.
    await poll(() => page.url()).toMatch(/sort=priority/);
    await poll(() => th.getAttribute('aria-sort')).toBe('ascending');
    const first = await priorities();
    expect(first.length).toBeGreaterThan(1);
    expect(first).toEqual([...first].sort((a, b) => a - b));
    // The next page carries on from where this one stopped (the sort is the API's, not the page's).
    await page.getByRole('link', { name: /next/i }).first().click();
    await poll(() => page.url()).toMatch(/after=/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('priority');
    const second = await priorities();
    expect(second[0]!).toBeGreaterThanOrEqual(first.at(-1)!);
    // The active header toggles the direction.
    await page.locator('a.sort-header', { hasText: 'Priority' }).click();
    await poll(() => page.url()).toMatch(/dir=desc/);
    await poll(() => th.getAttribute('aria-sort')).toBe('descending');
    const desc = await priorities();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await screenshot(page, 'incidents-sorted-by-priority');
  });

  it('edits a service inline, and shows the API message for a duplicate name', async () => {
    shotOnFailure('admin-edit');
    await page.goto('/admin/services');
    const names = await page.locator('table.data tbody tr td:first-child strong').allInnerTexts();
    expect(names.length).toBeGreaterThan(1);
    const row = page.locator('table.data tbody tr').first();
    await row.locator('summary', { hasText: 'Edit' }).click();
    const form = row.locator('form');
    await form.getByLabel('Name').fill(names[1]!);
    await form.getByRole('button', { name: 'Save service' }).click();
    await poll(() =>
      form
        .locator('.field-error, .form-error')
        .first()
        .innerText()
        .catch(() => ''),
    ).toContain('already exists');
    const renamed = `${names[0]} (renamed)`;
    await form.getByLabel('Name').fill(renamed);
    await form.getByLabel('Description').fill('Edited in the browser test');
    await form.getByRole('button', { name: 'Save service' }).click();
    await settle(page);
    await poll(() => page.locator('table.data').innerText()).toContain(renamed);
    await poll(() => page.locator('table.data').innerText()).toContain('Edited in the browser test');
    await screenshot(page, 'admin-service-edited');
  });

  it('retires a category from the admin page', async () => {
    shotOnFailure('admin-category');
    await page.goto('/admin/categories');
    const item = page.locator('section[aria-labelledby="tree-h"] > ul > li').first();
    await item.locator('summary', { hasText: 'Edit' }).first().click();
    const form = item.locator('form').first();
    await form.getByLabel(/Retired/).check();
    await form.getByRole('button', { name: 'Save category' }).click();
    await settle(page);
    await poll(() => item.locator('.badge', { hasText: 'Retired' }).count()).toBeGreaterThan(0);
  });

  it('shows MTTA, MTTD, reopen rate, knowledge reuse and backlog by age with their definitions', async () => {
    shotOnFailure('dashboard-more');
    await page.goto('/dashboard?range=90d');
    const tiles = page.getByTestId('response-tiles');
    for (const text of ['MTTA', 'MTTD', 'reopen rate', 'knowledge reuse']) await expect(await tiles.innerText()).toContain(text);
    for (const id of ['backlog', 'mtta', 'reuse']) {
      const card = page.locator(`[data-chart="${id}"]`);
      await card.waitFor();
      expect((await card.locator('.metric-note').innerText()).length, id).toBeGreaterThan(20);
    }
    await page.locator('[data-chart="backlog"] .recharts-surface').first().waitFor();
    await page.locator('[data-chart="mtta"] .recharts-surface').first().waitFor();
    expect(errors).toEqual([]);
    await screenshot(page, 'dashboard-response-and-reuse');
  });
});
