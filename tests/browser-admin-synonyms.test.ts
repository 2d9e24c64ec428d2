/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { createActor } from './support/auth-factories';
import { DEMO_ADMIN, describeViolations, runAxe, screenshot, seriousOrCritical, signIn, type BrowserStack } from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';

/**
 * In chromium against the built web app and a seeded API: the search's synonym list on
 * /admin/search-synonyms. An admin adds a group and sees it listed and used by "Try a query",
 * reads the API's refusal of a bad term named by the term they typed, edits a group inline,
 * deletes it after confirming, and restores a deleted built-in group; a viewer reads the list
 * without any control to change it. axe-core checks the page; nothing breaks the CSP.
 */

describeInChromium('the search synonym list in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'synonyms', signInAs: DEMO_ADMIN });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];

  beforeAll(() => {
    ({ stack, page, errors } = suite.session());
  });

  const row = (terms: string) => page.locator(`tr[data-synonym-group="${terms}"]`);
  const filter = () => page.getByRole('searchbox', { name: 'Filter groups' });

  it('is linked from the admin pages and lists the built-in groups, with no accessibility violation', async () => {
    shotOnFailure('list');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Search synonyms' }).first().click();
    await page.waitForURL(/\/admin\/search-synonyms$/);
    await expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Search synonyms');
    await poll(() => row('k8s,kubernetes,kube').count()).toBe(1);
    await filter().fill('memory');
    await poll(() => row('k8s,kubernetes,kube').count()).toBe(0);
    expect(await row('mem,memory,ram').count()).toBe(1);
    expect(await page.locator('caption').first().textContent()).toMatch(/^\d+ of \d+ groups/);
    await filter().fill('');
    const violations = await runAxe(page);
    const bad = seriousOrCritical(violations);
    console.log(`[axe] /admin/search-synonyms: ${violations.length} violation(s), ${bad.length} serious or critical`);
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'admin-search-synonyms');
  });

  it('adds a group, sees it listed and used by a query, and is told which term the API refused', async () => {
    shotOnFailure('add');
    await page.goto('/admin/search-synonyms');
    const form = page.getByRole('form', { name: 'Add a synonym group' });
    await form.getByLabel('Terms').fill('pgb, PgBouncer, connection   pooler');
    await form.getByLabel('Note').fill('The pooler in front of PostgreSQL');
    await form.getByRole('button', { name: 'Add group' }).click();
    await poll(() => row('pgb,pgbouncer,connection pooler').count()).toBe(1);
    expect(await row('pgb,pgbouncer,connection pooler').textContent()).toContain('The pooler in front of PostgreSQL');
    expect(await form.getByLabel('Terms').inputValue()).toBe('');

    await page.getByRole('searchbox', { name: 'Query' }).fill('pgbouncer timeout on prod');
    const matches = page.getByTestId('synonym-matches');
    await poll(() => matches.textContent()).toContain('pgbouncer (also: pgb, connection pooler)');
    expect(await matches.textContent()).toContain('prod (also: production, prd)');

    await form.getByLabel('Terms').fill('db, a very long term with far too many words');
    await form.getByRole('button', { name: 'Add group' }).click();
    await poll(() => form.getByRole('alert').textContent()).toBe(
      'Term 2, “a very long term with far too many words”: has 9 words; a term has at most 4',
    );
    await form.getByLabel('Terms').fill('pgbouncer, pgb, connection pooler');
    await form.getByRole('button', { name: 'Add group' }).click();
    await poll(() => form.getByRole('alert').textContent()).toMatch(/has these terms already/);
    expect(errors).toEqual([]);
  });

  it('edits a group inline and deletes it after confirming', async () => {
    shotOnFailure('edit-delete');
    await page.goto('/admin/search-synonyms');
    const before = row('pgb,pgbouncer,connection pooler');
    await before.locator('summary', { hasText: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit group pgb, pgbouncer, connection pooler' });
    await edit.getByLabel('Terms').fill('pgb, pgbouncer, pooler');
    await edit.getByRole('button', { name: 'Save group' }).click();
    const after = row('pgb,pgbouncer,pooler');
    await poll(() => after.count()).toBe(1);

    await after.getByRole('button', { name: 'Delete group pgb, pgbouncer, pooler' }).click();
    const ask = after.getByRole('group', { name: /Delete “pgb, pgbouncer, pooler”\?/ });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    expect(await after.count()).toBe(1);
    await after.getByRole('button', { name: 'Delete group pgb, pgbouncer, pooler' }).click();
    await ask.getByRole('button', { name: 'Delete' }).click();
    await poll(() => after.count()).toBe(0);
    const left = await stack.api.sql(`select 1 from search_synonyms where 'pgbouncer' = any(terms)`);
    expect(left).toEqual([]);
  });

  it('restores a deleted built-in group after confirming', async () => {
    shotOnFailure('restore');
    await page.goto('/admin/search-synonyms');
    const k8s = row('k8s,kubernetes,kube');
    await k8s.getByRole('button', { name: 'Delete group k8s, kubernetes, kube' }).click();
    await k8s.getByRole('group').getByRole('button', { name: 'Delete' }).click();
    await poll(() => k8s.count()).toBe(0);
    await page.getByRole('button', { name: 'Restore the defaults' }).click();
    const ask = page.getByRole('group', {
      name: /Restore the built-in groups as shipped \(1 deleted come back\)\? Groups you added stay\./,
    });
    await ask.getByRole('button', { name: 'Restore' }).click();
    await poll(() => k8s.count()).toBe(1);
    expect(await k8s.textContent()).toContain('Built-in');
  });

  it('shows a viewer the list and what a query becomes, without controls to change it', async () => {
    shotOnFailure('viewer');
    const viewer = await createActor(stack.api, 'VIEWER');
    const other = await stack.newPage();
    try {
      await signIn(other.page, viewer.email, viewer.password, '/admin/search-synonyms');
      await other.page.locator('tr[data-synonym-group="db,database"]').waitFor();
      expect(await other.page.getByText('The list is kept by admins.').count()).toBe(1);
      expect(await other.page.getByRole('button', { name: /Delete|Restore/ }).count()).toBe(0);
      expect(await other.page.locator('summary', { hasText: 'Edit' }).count()).toBe(0);
      expect(await other.page.getByRole('form', { name: 'Add a synonym group' }).count()).toBe(0);
      await other.page.getByRole('searchbox', { name: 'Query' }).fill('db down');
      await poll(() => other.page.getByTestId('synonym-matches').textContent()).toBe('db (also: database)');
      expect(other.errors).toEqual([]);
    } finally {
      await other.context.close();
    }
  });
});
