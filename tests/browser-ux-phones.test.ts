/// <reference lib="dom" />
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importFile } from '@ikb/api/src/features/imports/import-file';
import { strongPassword } from './support/auth-factories';
import {
  DEMO_ADMIN,
  WEB_DIR,
  describeViolations,
  runAxe,
  screenshot,
  seriousOrCritical,
  settle,
  shotPath,
  watchCsp,
  type BrowserStack,
} from './support/browser';
import { describeInChromium, useBrowserStack } from './support/browser-suite';
import { describeFit, fits, measureFit } from './support/fit-check';
import { ok } from './support/test-app';

/**
 * The web app on a phone (390 x 844, issue 23 item 10): every page fits the width without
 * scrolling sideways (with every <details> open too), the header folds into a Menu button that
 * works by keyboard, the incident page shows its SLA clocks whole, the queues are cards, and axe
 * finds nothing serious. Each persona (engineer, problem manager, leader, admin: seeded people
 * with their own roles) leaves a screenshot of their main page at 1440 and 390 px in test-output/browser/.
 */

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const STEP_TIMEOUT = 360_000;

/** The seeded people who stand for each persona (apps/api/src/seed/demo-data.ts). */
const PERSONAS = [
  { key: 'engineer', email: 'amara.okafor@example.com', role: 'ENGINEER', main: '/incidents/queue' },
  { key: 'problem-manager', email: 'priya.raman@example.com', role: 'PROBLEM_MANAGER', main: '/reviews/awaiting' },
  { key: 'leader', email: 'grace.mitchell@example.com', role: 'VIEWER', main: '/dashboard' },
  { key: 'admin', email: 'oliver.brandt@example.com', role: 'ADMIN', main: '/admin' },
] as const;

/** Every page of the web app as a pattern (each page.tsx under apps/web/app; route groups dropped, [segment] any one segment). */
function pagePatterns(dir = join(WEB_DIR, 'app')): RegExp[] {
  const out: RegExp[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pagePatterns(path));
    else if (entry.name === 'page.tsx') {
      const segments = relative(join(WEB_DIR, 'app'), dir)
        .split(/[\\/]/)
        .filter((s) => s && !/^\(.*\)$/.test(s))
        .map((s) => (/^\[.*\]$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      out.push(new RegExp(`^/${segments.join('/')}$`));
    }
  }
  return out;
}

interface Route {
  path: string;
  /** Shown signed out (sign-in, setup, not found). */
  signedOut?: boolean;
}

/** Loads a page and waits until it has drawn what it fetches (charts included). */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await settle(page);
  await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 60_000 });
  const charts = page.locator('.chart-box, .chart-card');
  if ((await charts.count()) > 0) {
    // Scrolled to, in case charts are drawn only when they come into view.
    await charts.first().scrollIntoViewIfNeeded();
    await page.locator('.recharts-surface').first().waitFor({ state: 'attached', timeout: 60_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
  }
}

/** Signs in through the form; on a phone the Sign out button sits in the folded menu, so its presence is what is awaited. */
async function signInAs(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await page.locator('.user-menu').waitFor({ state: 'attached' });
}

describeInChromium('the web app on a 390 px phone (chromium)', () => {
  const suite = useBrowserStack({ shots: 'phones' });
  let stack: BrowserStack;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const routes: Route[] = [];
  const ids: { breached?: string; problem?: string } = {};
  const passwords = new Map<string, string>();

  async function newContext(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, baseURL: stack.web.url, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
    const p = await context.newPage();
    p.setDefaultTimeout(30_000);
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await watchCsp(p, errors);
    return { context, page: p };
  }

  const shotOnFailure = (p: () => Page, name: string) => suite.shotOnFailure(name, p);

  beforeAll(async () => {
    ({ stack } = suite.session());
    browser = stack.browser;
    console.log(
      `[phones] web build ${stack.timings.built ? `made in ${stack.timings.buildSeconds.toFixed(1)} s` : 'up to date'}; ` +
        `API on a seeded database in ${stack.timings.apiSeconds.toFixed(1)} s`,
    );
    const q = async <T>(query: string) => ok(await stack.api.gql<T>(query));
    // One real record of each kind from the seed, and one import run (the CLI's way of making one).
    const [breached, problems, reviews, workarounds, models] = await Promise.all([
      q<{ breachedIncidents: { number: string }[] }>(`{ breachedIncidents(first: 1) { number } }`),
      q<{ problems: { nodes: { number: string }[] } }>(`{ problems(first: 1) { nodes { number } } }`),
      q<{ reviews: { nodes: { id: string }[] } }>(`{ reviews(first: 1, filter: { status: [PUBLISHED] }) { nodes { id } } }`),
      q<{ workarounds: { nodes: { id: string }[] } }>(`{ workarounds(first: 1) { nodes { id } } }`),
      q<{ incidentModels: { nodes: { id: string }[] } }>(`{ incidentModels(first: 1) { nodes { id } } }`),
    ]);
    await importFile(stack.api.app.orm.em.fork(), {
      kind: 'servicenow',
      file: resolve(__dirname, 'fixtures/imports/servicenow-table.csv'),
    });
    const runs = await q<{ importRuns: { nodes: { id: string }[] } }>(`{ importRuns(first: 1) { nodes { id } } }`);
    ids.breached = breached.breachedIncidents[0]!.number;
    ids.problem = problems.problems.nodes[0]!.number;
    const records = [
      `/incidents/${ids.breached}`,
      `/problems/${ids.problem}`,
      `/reviews/${reviews.reviews.nodes[0]!.id}`,
      `/workarounds/${workarounds.workarounds.nodes[0]!.id}`,
      `/models/${models.incidentModels.nodes[0]!.id}`,
      `/admin/imports/${runs.importRuns.nodes[0]!.id}`,
    ];
    routes.push(
      ...[
        '/',
        '/dashboard',
        '/search?q=payments',
        '/incidents',
        '/incidents/queue',
        '/incidents/new',
        '/problems',
        '/problems/known-errors',
        '/problems/new',
        '/workarounds',
        '/workarounds/new',
        '/models',
        '/models/new',
        '/reviews',
        '/reviews/awaiting',
        '/account',
        '/account/notifications',
        '/admin',
        '/admin/services',
        '/admin/categories',
        '/admin/teams',
        '/admin/users',
        '/admin/tokens',
        '/admin/alert-sources',
        '/admin/imports',
        '/admin/priority-matrix',
        '/admin/notifications',
        '/admin/calendars',
        '/admin/sla-policies',
        '/admin/search-synonyms',
        '/admin/sso',
        '/admin/trackers',
        '/dashboard/workload',
        '/dashboard/follow-through',
        '/knowledge-health',
        '/search-analytics',
        ...records,
      ].map((path) => ({ path })),
      { path: '/sign-in', signedOut: true },
      { path: '/setup', signedOut: true },
      { path: '/status', signedOut: true },
      { path: '/status/confirm?token=x', signedOut: true },
      { path: '/status/unsubscribe?token=x', signedOut: true },
      { path: '/no-such-page', signedOut: true },
      { path: '/incidents/no-such-incident' },
    );
    // The personas are seeded people without a password (the demo signs in as its admin): an
    // admin gives each one, as an admin would for a colleague.
    const users = await q<{ users: { id: string; email: string; role: string }[] }>(`{ users { id email role } }`);
    for (const persona of PERSONAS) {
      const user = users.users.find((u) => u.email === persona.email);
      expect(user?.role, `${persona.email} is seeded as ${persona.role}`).toBe(persona.role);
      const password = strongPassword();
      ok(
        await stack.api.gql(`mutation($u: ID!, $p: String!) { setUserPassword(userId: $u, password: $p) { id } }`, {
          u: user!.id,
          p: password,
        }),
      );
      passwords.set(persona.email, password);
    }
    ({ context: phone, page } = await newContext(PHONE));
    await signInAs(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 900_000);

  afterAll(async () => {
    await phone?.close().catch(() => {});
  }, 60_000);

  it(
    'fits every page into 390 px: no sideways scrolling, no element outside the screen, <details> open or closed',
    async () => {
      shotOnFailure(() => page, 'all-pages');
      // A page added to the app without being added here fails this test.
      const paths = routes.map((r) => r.path.split('?')[0]!);
      const missing = pagePatterns().filter((re) => !paths.some((p) => re.test(p)));
      expect(missing.map(String), 'pages of apps/web/app that this test does not visit').toEqual([]);
      const t0 = Date.now();
      const anonymous = await newContext(PHONE);
      const failures: string[] = [];
      try {
        for (const route of routes) {
          const p = route.signedOut ? anonymous.page : page;
          await open(p, route.path);
          const closed = await measureFit(p);
          if (!fits(closed)) failures.push(describeFit(route.path, closed));
          const opened = await measureFit(p, { openDetails: true });
          if (!fits(opened)) failures.push(describeFit(`${route.path} with every <details> open`, opened));
          if (!fits(closed) || !fits(opened)) await screenshot(p, `phones-overflow-${route.path.replace(/[^a-z0-9]+/gi, '-')}`);
        }
      } finally {
        await anonymous.context.close();
      }
      console.log(`[phones] ${routes.length} pages measured at 390 px in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      expect(failures, `pages wider than the phone:\n${failures.join('\n')}`).toEqual([]);
      expect(errors).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it(
    'names what sticks out, and lets a box that scrolls on its own hold what is wider',
    async () => {
      await open(page, '/incidents/queue');
      await page.evaluate(() => {
        const wide = document.createElement('div');
        wide.id = 'too-wide';
        wide.style.width = '600px';
        wide.textContent = 'a 600 px box';
        const box = document.createElement('div');
        box.id = 'scroll-box';
        box.style.overflowX = 'auto';
        const inner = document.createElement('div');
        inner.style.width = '900px';
        inner.textContent = 'scrolls inside its box';
        box.append(inner);
        document.getElementById('main')!.append(wide, box);
      });
      const report = await measureFit(page);
      expect(fits(report)).toBe(false);
      expect(report.scrollWidth).toBeGreaterThan(PHONE.width);
      expect(report.offenders.map((o) => o.selector)).toEqual([expect.stringContaining('div#too-wide')]);
      expect(report.offenders[0]).toMatchObject({ width: 600, text: 'a 600 px box' });
      expect(describeFit('/incidents/queue', report)).toContain('div#too-wide');
      await page.evaluate(() => document.getElementById('too-wide')!.remove());
      expect(fits(await measureFit(page)), 'the 900 px box inside a scrolling box is no offender').toBe(true);
    },
    STEP_TIMEOUT,
  );

  it(
    'folds the header into one line with a Menu button that works by keyboard',
    async () => {
      shotOnFailure(() => page, 'menu');
      await open(page, '/incidents');
      const header = await page.locator('.site-header').boundingBox();
      const button = page.getByRole('button', { name: 'Menu' });
      const nav = page.getByRole('navigation', { name: 'Main' });
      const buttonBox = await button.boundingBox();
      // One line: the bar is no taller than the button and its padding.
      expect(header!.height, 'closed menu bar height').toBeLessThanOrEqual(buttonBox!.height + 16);
      expect(header!.height).toBeLessThan(60);
      expect(await nav.isVisible()).toBe(false);
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await button.getAttribute('aria-controls')).toBe('site-menu');

      // From the skip link, Tab reaches the brand, then the Menu button; Enter opens it.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Menu');
      await page.keyboard.press('Enter');
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      await nav.waitFor();
      expect(await page.getByRole('link', { name: 'Incidents' }).first().getAttribute('aria-current')).toBe('page');
      const openFit = await measureFit(page);
      expect(fits(openFit), describeFit('/incidents with the menu open', openFit)).toBe(true);
      await screenshot(page, 'phones-menu-open');

      // The next Tab goes into the menu; Escape closes it and puts focus back on the button.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('#site-menu') !== null)).toBe(true);
      await page.keyboard.press('Escape');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await nav.isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.classList.contains('menu-button'))).toBe(true);

      // Reopened by Space, a link followed by keyboard goes there and the menu is closed on the new page.
      await page.keyboard.press('Space');
      await nav.getByRole('link', { name: 'Problems' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/problems$/);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await nav.isVisible()).toBe(false);

      // The account and Sign out are in the menu too.
      await button.click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.getByRole('link', { name: /Your account/ }).waitFor();
      // Tabbing out of the menu's last control folds it away.
      await page.getByRole('button', { name: 'Sign out' }).focus();
      await page.keyboard.press('Tab');
      expect(await button.getAttribute('aria-expanded')).toBe('false');

      // On a wide screen there is no Menu button: the navigation is in the bar.
      await page.setViewportSize(DESKTOP);
      expect(await button.isVisible()).toBe(false);
      expect(await nav.isVisible()).toBe(true);
      await page.setViewportSize(PHONE);
    },
    STEP_TIMEOUT,
  );

  it(
    'shows every SLA clock of a breached incident whole on the screen',
    async () => {
      shotOnFailure(() => page, 'incident-clocks');
      await open(page, `/incidents/${ids.breached}`);
      const clocks = page.locator('.clock');
      expect(await clocks.count()).toBeGreaterThanOrEqual(2);
      const breachedClocks = await page.locator('.clock.level-100').count();
      expect(breachedClocks, 'the incident has a breached clock').toBeGreaterThan(0);
      for (let i = 0; i < (await clocks.count()); i++) {
        const clock = clocks.nth(i);
        const box = (await clock.boundingBox())!;
        expect(box.x, `clock ${i} left edge`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `clock ${i} right edge`).toBeLessThanOrEqual(PHONE.width);
        // Nothing inside the clock is cut off by it either.
        const cut = await clock.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
        expect(cut, `clock ${i} content wider than the clock`).toBe(false);
      }
      await clocks.first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: shotPath('phones-incident-clocks') });
    },
    STEP_TIMEOUT,
  );

  it(
    'shows the queues as cards: nothing to scroll sideways, every cell under its column name',
    async () => {
      shotOnFailure(() => page, 'queues');
      for (const path of ['/incidents/queue', '/incidents', '/reviews/awaiting', '/problems']) {
        await open(page, path);
        const table = page.locator('main table.data').first();
        await table.waitFor();
        const shape = await table.evaluate((t) => {
          const wrap = t.closest('.table-wrap') ?? t.parentElement!;
          const rows = Array.from(t.querySelectorAll('tbody tr'));
          const cells = Array.from(t.querySelectorAll('tbody td'));
          return {
            rowDisplay: rows[0] ? getComputedStyle(rows[0]).display : null,
            rows: rows.length,
            sideways: wrap.scrollWidth - wrap.clientWidth,
            unlabelled: cells.filter((c) => c.getAttribute('data-label') === null).length,
            widest: Math.max(...rows.map((r) => r.getBoundingClientRect().right)),
          };
        });
        expect(shape.rows, `${path} has rows`).toBeGreaterThan(0);
        expect(shape.rowDisplay, `${path}: a row is a card`).toBe('block');
        expect(shape.sideways, `${path}: the table scrolls sideways by`).toBeLessThanOrEqual(0);
        expect(shape.unlabelled, `${path}: cells without their column name`).toBe(0);
        expect(shape.widest).toBeLessThanOrEqual(PHONE.width);
      }
      // A card shows its column names: the work queue's first card says which service and SLA.
      await open(page, '/incidents/queue');
      const first = page.locator('main table.data tbody tr').first();
      expect(await first.locator('td[data-label="Service"]').count()).toBe(1);
      expect(await first.locator('td[data-label="Resolution SLA"] > .pill').count()).toBe(1);
      await screenshot(page, 'phones-work-queue');
    },
    STEP_TIMEOUT,
  );

  it(
    'passes axe at 390 px on the main pages, the menu open included',
    async () => {
      shotOnFailure(() => page, 'axe');
      const found: string[] = [];
      for (const path of [
        '/',
        '/incidents/queue',
        `/incidents/${ids.breached}`,
        '/search?q=payments',
        '/reviews/awaiting',
        '/dashboard',
        '/admin',
      ]) {
        await open(page, path);
        const bad = seriousOrCritical(await runAxe(page));
        if (bad.length) found.push(`${path}:\n${describeViolations(bad)}`);
      }
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      const bad = seriousOrCritical(await runAxe(page));
      if (bad.length) found.push(`menu open:\n${describeViolations(bad)}`);
      expect(found, found.join('\n')).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it(
    "screenshots each persona's main page at 1440 and 390 px, signed in as that persona",
    async () => {
      for (const persona of PERSONAS) {
        const { context, page: p } = await newContext(DESKTOP);
        shotOnFailure(() => p, `persona-${persona.key}`);
        try {
          await signInAs(p, persona.email, passwords.get(persona.email)!);
          await open(p, persona.main);
          expect(await p.locator('.user-role').textContent(), `${persona.key} is signed in with their role`).toMatch(
            { ENGINEER: /Engineer/, PROBLEM_MANAGER: /Problem manager/, VIEWER: /Viewer/, ADMIN: /Admin/ }[persona.role],
          );
          expect(new URL(p.url()).pathname).toBe(persona.main);
          await screenshot(p, `persona-${persona.key}-1440`);
          await p.setViewportSize(PHONE);
          await open(p, persona.main);
          const fit = await measureFit(p);
          expect(fits(fit), describeFit(`${persona.key}: ${persona.main}`, fit)).toBe(true);
          await screenshot(p, `persona-${persona.key}-390`);
        } finally {
          await context.close();
        }
      }
      expect(errors).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});
