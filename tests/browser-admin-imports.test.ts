/// <reference lib="dom" />
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ADMIN_QUERIES } from '@ikb/api/src/features/auth/permissions';
import { toCsv } from '@ikb/api/src/features/imports/file/csv';
import { importFile, ImportRefused, type ImportOptions, type ImportSummary } from '@ikb/api/src/features/imports/import-file';
import { ADMIN_TABS, IMPORT_HISTORY_OP } from '../apps/web/lib/nav';
import { can } from '../apps/web/lib/permissions';
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

/**
 * In chromium, the import history in the admin pages: /admin/imports lists every run
 * of an import newest first (outcome, refusal reason, file, source, counts, duration, who ran it),
 * filters by outcome through the URL and pages by cursor; /admin/imports/[id] shows one run with
 * its counts, options, file hash, message and rejected rows (saying when only the first 1,000 were
 * kept). Admins only: other roles see the page refuse, as the other admin-only pages do. Runs are
 * made the way the CLI makes them (importFile) on the test database.
 */

const FIXTURES = resolve(__dirname, 'fixtures/imports');
/** The admin's browser runs in this zone, so "local time" is neither UTC nor the machine's. */
const ZONE = 'Asia/Kolkata';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the import history tab follows the API', () => {
  it('is shown to the roles that may read importRuns and importRun: admins only', () => {
    expect(ADMIN_QUERIES.has('importRuns') && ADMIN_QUERIES.has('importRun')).toBe(true);
    for (const role of ['ADMIN', 'PROBLEM_MANAGER', 'ENGINEER', 'VIEWER', null] as const)
      expect(can(role, IMPORT_HISTORY_OP), String(role)).toBe(role === 'ADMIN');
    expect(ADMIN_TABS.find((t) => t.href === '/admin/imports')).toMatchObject({ label: 'Imports', op: IMPORT_HISTORY_OP });
  });
});

describeInChromium('import history in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'admin-imports' });
  let stack: BrowserStack;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  /** The three runs of the first test, by what they are. */
  const made: { imported?: ImportSummary; refused?: ImportRefused; dryRun?: ImportSummary; ids: Record<string, string> } = { ids: {} };

  beforeAll(async () => {
    ({ stack } = suite.session());
    console.log(
      `[browser-admin-imports] web build ` +
        `${stack.timings.built ? `made in ${stack.timings.buildSeconds.toFixed(1)} s` : 'up to date'}; API ` +
        `on a seeded database in ${stack.timings.apiSeconds.toFixed(1)} s`,
    );
    context = await stack.browser.newContext({
      viewport: { width: 1366, height: 900 },
      baseURL: stack.web.url,
      timezoneId: ZONE,
      locale: 'en-GB',
    });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await watchCsp(page, errors);
  }, 600_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
  }, 60_000);

  // This file's page (its own context, in the admin's time zone), not the suite's first one.
  const shotOnFailure = (name: string) => suite.shotOnFailure(name, () => page);

  async function expectAxeClean(name: string) {
    const violations = await runAxe(page);
    const bad = seriousOrCritical(violations);
    console.log(
      `[axe] ${name}: ${violations.length} violation(s), ${bad.length} serious or ` +
        `critical${violations.length ? `\n${describeViolations(violations)}` : ''}`,
    );
    expect(bad, `serious or critical accessibility violations on ${name}:\n${describeViolations(bad)}`).toEqual([]);
  }

  const em = () => stack.api.app.orm.em.fork();
  const run = (file: string, opts: Partial<ImportOptions> = {}) =>
    importFile(em(), { kind: 'servicenow', file: resolve(FIXTURES, file), ...opts });
  async function refused(p: Promise<unknown>): Promise<ImportRefused> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, `expected the import to be refused, got ${String(err)}`).toBeInstanceOf(ImportRefused);
    return err as ImportRefused;
  }
  /** The newest runs as the API has them. */
  async function latestRuns(first: number) {
    return ok(
      await stack.api.gql<{ importRuns: { nodes: { id: string; fileName: string; outcome: string; startedAt: string }[] } }>(
        `query ($first: Int!) { importRuns(first: $first) { nodes { id fileName outcome startedAt } } }`,
        { first },
      ),
    ).importRuns.nodes;
  }

  const table = () => page.getByTestId('import-runs');
  const rowOf = (id: string) => table().locator(`tr[data-run-id="${id}"]`);
  const stat = (row: Locator, key: string) => row.locator(`[data-stat="${key}"]`).innerText();
  /** The value beside a term of a <dl class="facts"> in a section. */
  const fact = (scope: Locator, term: string) =>
    scope
      .locator('dl.facts > div')
      .filter({ has: page.locator('dt', { hasText: new RegExp(`^${term.replace(/[()[\]-]/g, '\\$&')}$`) }) })
      .locator('dd')
      .innerText();

  /** "6 Dec 2026, 01:24" in ZONE: what the browser shows before the zone's name. */
  function inZone(iso: string): string {
    return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: ZONE }).format(new Date(iso));
  }

  it('says how to import before a first run; then lists an import, a refusal and a dry run, newest first: outcome, counts', async () => {
    shotOnFailure('list');
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password, '/admin/imports');
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    // The tab, current on its page.
    const tabs = page.getByRole('navigation', { name: 'Administration' });
    expect(await tabs.getByRole('link', { name: 'Imports' }).getAttribute('aria-current')).toBe('page');
    // Nothing imported yet: how to, and no table.
    const empty = page.getByTestId('imports-empty');
    await poll(() => empty.innerText()).toContain('No imports yet.');
    expect(await empty.locator('pre').innerText()).toBe('pnpm cli import servicenow <file.csv>');
    expect(await empty.innerText()).toContain('docs/imports.md');
    expect(await table().count()).toBe(0);
    await expectAxeClean('/admin/imports without runs');

    // Three runs, as `pnpm cli import` makes them: one imported, one refused, one dry run.
    made.imported = await run('servicenow-table.csv', { ranBy: 'ops@build-01', timeZone: 'Europe/Berlin' });
    made.refused = await refused(run('servicenow-eventlog-bad-rows.csv'));
    made.dryRun = await run('servicenow-eventlog-dmy.csv', { dryRun: true });
    expect(made.imported.created).toBeGreaterThan(0);
    expect(made.dryRun.created).toBeGreaterThan(0);
    const runs = await latestRuns(10);
    expect(runs.map((r) => [r.fileName, r.outcome])).toEqual([
      ['servicenow-eventlog-dmy.csv', 'DRY_RUN'],
      ['servicenow-eventlog-bad-rows.csv', 'REFUSED'],
      ['servicenow-table.csv', 'IMPORTED'],
    ]);
    made.ids = Object.fromEntries(runs.map((r) => [r.outcome, r.id]));

    await page.reload();
    await table().waitFor();
    // Newest first.
    expect(
      await table()
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-outcome'))),
    ).toEqual(['DRY_RUN', 'REFUSED', 'IMPORTED']);
    expect(await table().locator('caption').innerText()).toMatch(/^3 runs, newest first/);

    const imported = rowOf(made.ids.IMPORTED!);
    const s = made.imported;
    expect(await stat(imported, 'outcome')).toBe('Imported');
    expect(await stat(imported, 'fileName')).toBe('servicenow-table.csv');
    expect(await stat(imported, 'source')).toBe('ServiceNow\nservicenow');
    expect(await stat(imported, 'rows')).toBe(String(s.rows));
    expect(await stat(imported, 'created')).toBe(s.created.toLocaleString('en-GB'));
    expect(await stat(imported, 'updated')).toBe('0');
    expect(await stat(imported, 'unchanged')).toBe('0');
    expect(await stat(imported, 'rejected')).toBe('0');
    expect(await stat(imported, 'duration')).toMatch(/^\d+(\.\d)? m?s$|^\d+ min/);
    expect(await stat(imported, 'ranBy')).toBe('ops@build-01');

    const refusedRow = rowOf(made.ids.REFUSED!);
    expect(await stat(refusedRow, 'outcome')).toBe('Refused\nInvalid rows');
    expect(await stat(refusedRow, 'fileName')).toBe('servicenow-eventlog-bad-rows.csv');
    expect(await stat(refusedRow, 'rows')).toBe('21');
    expect(await stat(refusedRow, 'created')).toBe('0');
    expect(await stat(refusedRow, 'rejected')).toBe('5');
    expect(await stat(refusedRow, 'ranBy')).toMatch(/.@./); // the operating-system user at this host

    const dry = rowOf(made.ids.DRY_RUN!);
    expect(await stat(dry, 'outcome')).toBe('Dry run');
    expect(await stat(dry, 'rows')).toBe(String(made.dryRun.rows));
    expect(await stat(dry, 'created')).toBe(made.dryRun.created.toLocaleString('en-GB'));
    expect(await stat(dry, 'updated')).toBe(String(made.dryRun.updated));
    expect(await stat(dry, 'unchanged')).toBe(String(made.dryRun.unchanged));
    expect(await stat(dry, 'rejected')).toBe('0');

    // Started: in the browser's zone once hydrated, with the UTC time in the title.
    const started = imported.locator('[data-stat="startedAt"] time');
    const startedAt = runs.find((r) => r.outcome === 'IMPORTED')!.startedAt;
    await poll(() => started.getAttribute('data-local')).toBe('true');
    expect(await started.getAttribute('datetime')).toBe(startedAt);
    expect(await started.innerText()).toMatch(new RegExp(`^${inZone(startedAt)} `));
    expect(await started.getAttribute('title')).toMatch(/UTC$/);

    // The filters count each outcome.
    const filter = page.getByRole('navigation', { name: 'Filter import runs by outcome' });
    expect(await filter.getByRole('link').allInnerTexts()).toEqual(['All (3)', 'Imported (1)', 'Refused (1)', 'Dry run (1)', 'Failed (0)']);
    expect(await filter.getByRole('link', { name: 'All (3)' }).getAttribute('aria-current')).toBe('page');
    // Fewer than a page: no pager links.
    expect(await page.getByRole('navigation', { name: 'Pages' }).innerText()).toBe('3 shown of 3');
    await screenshot(page, 'admin-imports-list');
    await expectAxeClean('/admin/imports');
    expect(errors).toEqual([]);
  }, 600_000);

  it('filters by outcome through the URL, and opens the refused run with its reason, message, options and rejected rows', async () => {
    shotOnFailure('refused');
    expect(made.ids.REFUSED, 'the first test made the runs').toBeTruthy();
    const filter = page.getByRole('navigation', { name: 'Filter import runs by outcome' });
    await filter.getByRole('link', { name: 'Refused (1)' }).click();
    await page.waitForURL((u) => u.searchParams.get('outcome') === 'REFUSED');
    await poll(() => table().locator('tbody tr').count()).toBe(1);
    expect(await table().locator('caption').innerText()).toMatch(/^1 refused run, newest first/);
    expect(await filter.getByRole('link', { name: 'Refused (1)' }).getAttribute('aria-current')).toBe('page');
    const row = rowOf(made.ids.REFUSED!);
    expect(await stat(row, 'fileName')).toBe('servicenow-eventlog-bad-rows.csv');
    // The other outcomes' filters.
    await page.goto('/admin/imports?outcome=DRY_RUN');
    await poll(() =>
      table()
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run-id'))),
    ).toEqual([made.ids.DRY_RUN]);
    await page.goto('/admin/imports?outcome=FAILED');
    await poll(() => page.locator('main .empty').innerText()).toBe('No failed runs.');
    // An outcome that does not exist is ignored: all runs.
    await page.goto('/admin/imports?outcome=EXPLODED');
    await poll(() => table().locator('tbody tr').count()).toBe(3);

    // The refused run's page.
    await page.goto('/admin/imports?outcome=REFUSED');
    await rowOf(made.ids.REFUSED!).getByRole('link', { name: 'servicenow-eventlog-bad-rows.csv' }).click();
    await page.waitForURL((u) => u.pathname === `/admin/imports/${made.ids.REFUSED}`);
    await page.getByRole('heading', { name: 'servicenow-eventlog-bad-rows.csv', level: 1 }).waitFor();
    expect(await page.getByTestId('run-outcome').innerText()).toBe('Refused\nInvalid rows');
    const message = page.getByTestId('run-message');
    expect(await message.evaluate((el) => el.tagName)).toBe('PRE');
    expect(await message.innerText()).toContain(
      'servicenow-eventlog-bad-rows.csv was not imported: 5 rows are invalid; nothing was written.',
    );
    expect(await message.innerText()).toContain('--skip-invalid');

    const file = page.getByTestId('run-file');
    expect(await fact(file, 'Outcome')).toBe('Refused: Invalid rows (INVALID_ROWS)');
    expect(await fact(file, 'File SHA-256')).toBe(sha256(resolve(FIXTURES, 'servicenow-eventlog-bad-rows.csv')));
    expect(await fact(file, 'Source')).toBe('ServiceNow');
    await poll(() => fact(file, 'Started')).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} /); // local time, once hydrated
    expect(await fact(file, 'Ran by')).toMatch(/.@./);

    const counts = page.getByTestId('run-counts');
    expect(await fact(counts, 'Rows read')).toBe('21');
    expect(await fact(counts, 'Incidents created')).toBe('0');
    expect(await fact(counts, 'Incidents updated')).toBe('0');
    expect(await fact(counts, 'Incidents unchanged')).toBe('0');
    expect(await fact(counts, 'Problems created')).toBe('0');
    expect(await fact(counts, 'Timeline events created')).toBe('—'); // refused before it got that far
    expect(await fact(counts, 'Rows rejected')).toBe('5');
    expect(await fact(counts, 'Rejected rows kept')).toBe('5');

    const options = page.getByTestId('run-options');
    expect(await fact(options, 'Kind')).toBe('servicenow');
    expect(await fact(options, 'Date format (--date-format)')).toBe('auto');
    expect(await fact(options, 'Skip invalid (--skip-invalid)')).toBe('No');
    expect(await fact(options, 'Dry run (--dry-run)')).toBe('No');
    expect(await fact(options, 'Rejects file (--rejects)')).toBe('—');
    expect((await fact(options, 'Mapping')).length).toBeGreaterThan(0);

    // Every rejected row with the importer's reasons, as the command gave them; all were kept.
    const rejects = page.getByTestId('rejects-table');
    const problems = made.refused!.problems;
    expect(problems).toHaveLength(5);
    expect(await rejects.locator('tbody tr').count()).toBe(5);
    expect(await rejects.locator('caption').innerText()).toMatch(/^5 rejected rows, by row number/);
    for (const p of problems) {
      const tr = rejects.locator(`tr[data-row="${p.row}"]`);
      expect(await tr.locator('th').innerText()).toBe(String(p.row));
      expect(await tr.locator('[data-stat="reasons"] li').allInnerTexts()).toEqual(p.reasons);
    }
    expect(await rejects.locator('tr[data-row="3"] li').allInnerTexts()).toEqual([
      'impact: "7 - Huge" is not an impact 1 (high) to 3 (low)',
    ]);
    expect(await page.getByTestId('rejects-cut').count()).toBe(0);
    await screenshot(page, 'admin-imports-refused-run');
    await expectAxeClean('/admin/imports/[id] (refused)');

    // The imported run: its counts and options, no message, no rejected rows.
    await page.goto(`/admin/imports/${made.ids.IMPORTED}`);
    await page.getByRole('heading', { name: 'servicenow-table.csv', level: 1 }).waitFor();
    const s = made.imported!;
    expect(await page.getByTestId('run-outcome').innerText()).toBe('Imported');
    expect(await page.getByTestId('run-message').count()).toBe(0);
    const c = page.getByTestId('run-counts');
    expect(await fact(c, 'Rows read')).toBe(String(s.rows));
    expect(await fact(c, 'Incidents in the file')).toBe(String(s.incidents));
    expect(await fact(c, 'Incidents created')).toBe(String(s.created));
    expect(await fact(c, 'Timeline events created')).toBe(s.events.toLocaleString('en-GB'));
    expect(await fact(c, 'Teams created')).toBe(String(s.teamsCreated));
    expect(await fact(c, 'People created')).toBe(String(s.usersCreated));
    const o = page.getByTestId('run-options');
    expect(await fact(o, 'Time zone (--timezone)')).toBe('Europe/Berlin');
    expect(await fact(o, 'Mapping')).toBe(s.mapping);
    expect(await fact(page.getByTestId('run-file'), 'File SHA-256')).toBe(sha256(resolve(FIXTURES, 'servicenow-table.csv')));
    expect(await fact(page.getByTestId('run-file'), 'Ran by')).toBe('ops@build-01');
    expect(await page.getByTestId('run-rejects').innerText()).toContain('No rows were rejected.');

    // The dry run says its counts are what it would have done.
    await page.goto(`/admin/imports/${made.ids.DRY_RUN}`);
    await page.getByRole('heading', { name: 'servicenow-eventlog-dmy.csv', level: 1 }).waitFor();
    const d = page.getByTestId('run-counts');
    expect(await d.innerText()).toContain('A dry run writes nothing');
    expect(await fact(d, 'Incidents created (would be)')).toBe(String(made.dryRun!.created));
    expect(await fact(page.getByTestId('run-options'), 'Dry run (--dry-run)')).toBe('Yes');
    expect(await fact(page.getByTestId('run-options'), 'Dates read')).toBe('day first (dmy)');
    expect(errors).toEqual([]);
  }, 300_000);

  it('says when only the first 1,000 rejected rows were kept, and shows the not-found page for a malformed or unknown id', async () => {
    shotOnFailure('many-rejects');
    const header = ['number', 'short_description', 'state', 'impact', 'urgency', 'opened_at'];
    const rows = Array.from({ length: 1200 }, (_, i) => [
      `INC8${String(i).padStart(6, '0')}`,
      `Title ${i}`,
      'New',
      '7',
      '2',
      '2024-03-04 09:12:00',
    ]);
    const err = await refused(importFile(em(), { kind: 'servicenow', file: 'many-bad.csv', text: toCsv(header, rows) }));
    expect(err.problems).toHaveLength(1200);
    const [latest] = await latestRuns(1);
    expect(latest!.fileName).toBe('many-bad.csv');
    await page.goto(`/admin/imports/${latest!.id}`);
    await page.getByRole('heading', { name: 'many-bad.csv', level: 1 }).waitFor();
    expect(await page.getByTestId('rejects-cut').innerText()).toContain('First 1,000 of 1,200 kept');
    const rejects = page.getByTestId('rejects-table');
    expect(await rejects.locator('caption').innerText()).toMatch(/^1,000 of 1,200 rejected rows/);
    expect(await rejects.locator('tbody tr').count()).toBe(1000);
    expect(await rejects.locator('tbody tr').last().getAttribute('data-row')).toBe(String(err.problems[999]!.row));
    expect(await fact(page.getByTestId('run-counts'), 'Rows rejected')).toBe('1,200');
    expect(await fact(page.getByTestId('run-counts'), 'Rejected rows kept')).toBe('1,000');

    // Unknown or malformed ids: the app's not-found page, not an error.
    for (const path of [`/admin/imports/${randomUUID()}`, '/admin/imports/not-a-uuid', '/admin/imports/%00']) {
      await page.goto(path);
      await poll(() => page.locator('main').innerText()).toContain('Nothing lives at this address');
      expect(await page.locator('main').innerText(), path).not.toContain('could not be loaded');
    }
    expect(errors).toEqual([]);
  }, 300_000);

  it('pages by cursor, 50 runs a page, keeping the outcome filter', async () => {
    shotOnFailure('paging');
    // 50 quick refusals at known times in the past (the runs above are 4): 54 runs, all after the first page's 50 are old-*.
    for (let i = 0; i < 50; i++)
      await refused(
        importFile(em(), {
          kind: 'json',
          file: `old-${String(i).padStart(2, '0')}.json`,
          text: '{"not": "a list"',
          now: new Date(Date.UTC(2020, 0, 1, 0, i)),
        }),
      );
    await page.goto('/admin/imports');
    await table().waitFor();
    const pager = page.getByRole('navigation', { name: 'Pages' });
    expect(await table().locator('tbody tr').count()).toBe(50);
    expect(await pager.innerText()).toContain('50 shown of 54');
    const firstPage = await table().locator('tbody tr [data-stat="fileName"]').allInnerTexts();
    expect(firstPage.slice(0, 4)).toEqual([
      'many-bad.csv',
      'servicenow-eventlog-dmy.csv',
      'servicenow-eventlog-bad-rows.csv',
      'servicenow-table.csv',
    ]);
    expect(firstPage.at(-1)).toBe('old-04.json');
    await pager.getByRole('link', { name: 'Next page »' }).click();
    await page.waitForURL((u) => u.searchParams.has('after'));
    await poll(() => table().locator('tbody tr [data-stat="fileName"]').allInnerTexts()).toEqual([
      'old-03.json',
      'old-02.json',
      'old-01.json',
      'old-00.json',
    ]);
    expect(await pager.innerText()).toContain('4 shown of 54');
    expect(await pager.getByRole('link', { name: 'Next page »' }).count()).toBe(0);
    const old = table().locator('tbody tr').first();
    expect(await stat(old, 'outcome')).toBe('Refused\nUnreadable file');
    expect((await stat(old, 'source')).split('\n')[1]).toBe('json');
    expect(await stat(old, 'rows')).toBe('—'); // refused before its rows were read
    await pager.getByRole('link', { name: '« First page' }).click();
    await page.waitForURL((u) => !u.searchParams.has('after'));
    await poll(() => table().locator('tbody tr').count()).toBe(50);

    // With a filter, the cursor keeps it: refused runs are 52 (the fixture, many-bad.csv and the 50 old ones).
    await page.goto('/admin/imports?outcome=REFUSED');
    await poll(() => pager.innerText()).toContain('50 shown of 52');
    await pager.getByRole('link', { name: 'Next page »' }).click();
    await page.waitForURL((u) => u.searchParams.has('after') && u.searchParams.get('outcome') === 'REFUSED');
    await poll(() => table().locator('tbody tr [data-stat="fileName"]').allInnerTexts()).toEqual(['old-01.json', 'old-00.json']);
    expect(errors).toEqual([]);
  }, 300_000);

  it('refuses the pages to an engineer the way the other admin-only pages do, and hides the tab', async () => {
    const email = 'imports.engineer@example.test';
    const password = 'Granite-Willow-Ember-47';
    ok(
      await stack.api.gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, {
        i: { email, name: 'Imports Engineer', role: 'ENGINEER', password },
      }),
    );
    const eng = await stack.newPage();
    onTestFailed(async () => {
      await screenshot(eng.page, 'admin-imports-engineer-FAILED').catch(() => {});
    });
    await signIn(eng.page, email, password, '/admin');
    await eng.page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    const tabs = eng.page.getByRole('navigation', { name: 'Administration' });
    await tabs.getByRole('link', { name: 'Services' }).waitFor();
    expect(await tabs.getByRole('link', { name: 'Imports' }).count()).toBe(0);
    expect(await tabs.getByRole('link', { name: 'Alert sources' }).count()).toBe(0);
    expect(await eng.page.locator('.grid-cards').getByRole('link', { name: 'Imports' }).count()).toBe(0);

    // As /admin/alert-sources refuses it: the title and who may, no data.
    for (const [path, title] of [
      ['/admin/imports', 'Imports'],
      [`/admin/imports/${made.ids.REFUSED}`, 'Import run'],
      ['/admin/alert-sources', 'Alert sources'],
    ] as const) {
      await eng.page.goto(path);
      await eng.page.getByRole('heading', { name: title, level: 1 }).waitFor();
      expect(await eng.page.locator('main .read-only-note').innerText(), path).toMatch(/ (is read|are managed) by admins\.$/);
      expect(await eng.page.locator('main table').count(), path).toBe(0);
      expect(await eng.page.locator('main').innerText(), path).not.toContain('servicenow-eventlog-bad-rows.csv');
      if (path.startsWith('/admin/imports'))
        expect(await eng.page.locator('main .read-only-note').innerText()).toBe('The import history is read by admins.');
    }
    // And the API refuses the history to the engineer whatever the page does.
    const direct = await stack.api.gql(
      `{ importRuns { totalCount } }`,
      {},
      { authorization: `Bearer ${(await stack.api.tokenForRole('ENGINEER')).token}` },
    );
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(eng.errors).toEqual([]);
    await eng.context.close();
  }, 300_000);
});
