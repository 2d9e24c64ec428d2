import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createService, logIncident } from './support/factories';
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
 * The dashboard as issue 23 asks for it, in chromium against the built web app and a seeded API:
 * a CSV of each chart's own figures (checked against the API), a PNG of a chart, the page's print
 * stylesheet (its PDF), the partial current bucket, "no data" distinct from 0 %, problem titles,
 * the cost's currency, SLA compliance and time to resolve by service and by team with their
 * definitions, and the phone layout (first chart in the first screen, no sideways scroll).
 */

// The page's own default view (apps/web/lib/dashboard.ts): the 12 months up to today included, in UTC.
const FILTER = (() => {
  const now = new Date();
  const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, now.getUTCDate()));
  return {
    from: day(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1),
    to: day(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1),
    timeZone: 'UTC',
  };
})();
const FORMULA_NAME = `=2+3 formula service ${Date.now() % 100000}`;
const NO_VERDICT_NAME = `No verdict service ${Date.now() % 100000}`;

/** The CSV's table (after its "what this is" lines and the blank line), as rows of fields. */
function parseCsv(text: string): { about: Map<string, string>; header: string[]; rows: string[][] } {
  const lines: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const body = text.replace(/^\ufeff/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      lines.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  const blank = lines.findIndex((l) => l.length === 1 && l[0] === '');
  return {
    about: new Map(lines.slice(0, blank).map((l) => [l[0]!, l[1]!])),
    header: lines[blank + 1]!,
    rows: lines.slice(blank + 2),
  };
}

describeInChromium('the dashboard: exports, marks and phone layout', () => {
  const suite = useBrowserStack({ shots: '' });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ stack, page, errors } = suite.session());
    // Two services of our own: one whose only incident breached its resolution target (0 %), one
    // whose only incident has no verdict yet (no data); the first one's name looks like a formula.
    const zero = await createService(stack.api, { name: FORMULA_NAME });
    const none = await createService(stack.api, { name: NO_VERDICT_NAME });
    const breached = await logIncident(stack.api, { serviceId: zero.id, impact: 3, urgency: 3 });
    await logIncident(stack.api, { serviceId: none.id, impact: 3, urgency: 3 });
    await stack.api.sql(`update incidents set recorded_resolution_sla_verdict = 'BREACHED' where id = $1`, [breached.id]);
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    // The seed's and our changes are folded in the background: wait until the API has none pending.
    const deadline = Date.now() + 300_000;
    for (;;) {
      const a = ok(
        await stack.api.gql<{ analytics: { pendingChanges: number } }>(
          `query($f: AnalyticsFilter!) { analytics(filter: $f) { pendingChanges } }`,
          { f: FILTER },
        ),
      );
      if (a.analytics.pendingChanges === 0) break;
      if (Date.now() > deadline) throw new Error('the analytics did not catch up within 5 minutes');
      await new Promise((r) => setTimeout(r, 2000));
    }
  }, 900_000);

  const card = (id: string) => page.locator(`section[data-chart="${id}"]`);

  async function api<T>(selection: string): Promise<T> {
    return ok(
      await stack.api.gql<{ analytics: T }>(`query($f: AnalyticsFilter!) { analytics(filter: $f) { ${selection} } }`, { f: FILTER }),
    ).analytics;
  }

  // CSV downloads are links to the API's tables (through the web app's /export); PNGs are drawn here.
  async function downloadText(
    name: string | RegExp,
    role: 'link' | 'button' = 'link',
  ): Promise<{ name: string; text: string; bytes: Buffer }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole(role, { name }).click()]);
    const path = await download.path();
    const bytes = readFileSync(path);
    return { name: download.suggestedFilename(), text: bytes.toString('utf8'), bytes };
  }

  it('draws every chart at 1440 px, the new by-service and by-team ones with their definitions, and passes axe', async () => {
    shotOnFailure('ux-dashboard-1440');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/dashboard');
    await card('volume').locator('.recharts-surface').first().waitFor();
    // Charts further down are drawn while the page is idle, or when scrolled to.
    await poll(() => page.locator('section[data-chart] .chart-box[data-drawn="false"]').count()).toBe(0);
    const cards = await page.locator('section[data-chart]').evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')));
    expect(cards).toEqual(
      expect.arrayContaining([
        'volume',
        'ttr',
        'sla-priority',
        'sla-time',
        'problems',
        'cost',
        'sla-service',
        'sla-team',
        'ttr-service',
        'ttr-team',
        'backlog',
        'mtta',
        'reuse',
      ]),
    );
    for (const [id, definition] of [
      ['sla-service', 'SLA compliance:'],
      ['sla-team', 'SLA compliance:'],
      ['ttr-service', 'Time to resolve (MTTR):'],
      ['ttr-team', 'Time to resolve (MTTR):'],
    ] as const) {
      expect(await card(id).locator('.metric-note').innerText(), id).toContain(definition);
      await card(id).locator('.recharts-surface').first().waitFor();
      expect(await card(id).locator('path.recharts-rectangle').count(), `${id} draws bars`).toBeGreaterThan(0);
    }
    // On a wide screen the filters show open, without the summary line.
    expect(await page.locator('.dashboard-filters select[name="range"]').isVisible()).toBe(true);
    await settle(page);
    await screenshot(page, 'ux-dashboard-1440');
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('downloads a CSV of exactly the figures drawn, matching the API, with the metric, the filters and formulas defused', async () => {
    shotOnFailure('ux-dashboard-csv');
    const a = await api<{
      timeToResolve: { byService: { key: { name: string }; count: number; medianHours: number | null; p90Hours: number | null }[] };
      resolutionSla: { byService: { key: { name: string }; ratio: number | null; total: number }[] };
    }>(`timeToResolve { byService { key { name } count medianHours p90Hours } }
        resolutionSla { byService { key { name } ratio total } }`);

    const ttr = await downloadText('Download CSV: Time to resolve by service: median and p90');
    expect(ttr.name).toMatch(/^time-to-resolve-by-service_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const t = parseCsv(ttr.text);
    expect(t.about.get('Metric')).toMatch(/^Time to resolve \(MTTR\): /);
    expect(t.about.get('Filters')).toMatch(/^Incidents opened .* \(UTC\); service: all; category: all; team: all; priority: all$/);
    expect(t.header).toEqual(['Service', 'Resolved incidents', 'Median time to resolve (hours)', 'p90 time to resolve (hours)']);
    expect(t.rows).toHaveLength(a.timeToResolve.byService.length);
    for (const s of a.timeToResolve.byService) {
      const name = s.key.name.startsWith('=') ? `'${s.key.name}` : s.key.name;
      const row = t.rows.find((r) => r[0] === name);
      expect(row, name).toBeDefined();
      expect(Number(row![1])).toBe(s.count);
      // No resolved incident: an empty field (no data), never 0.
      if (s.medianHours === null) expect(row![2]).toBe('');
      else expect(Number(row![2])).toBeCloseTo(s.medianHours, 5);
      if (s.p90Hours === null) expect(row![3]).toBe('');
      else expect(Number(row![3])).toBeCloseTo(s.p90Hours, 5);
    }
    expect(
      t.rows.some((r) => r[2] === ''),
      'our two services have nothing resolved',
    ).toBe(true);

    const sla = parseCsv((await downloadText('Download CSV: SLA compliance by service')).text);
    expect(sla.header).toEqual([
      'Service',
      'Response met (%)',
      'Response verdicts (met + breached)',
      'Resolution met (%)',
      'Resolution verdicts (met + breached)',
    ]);
    for (const s of a.resolutionSla.byService) {
      const row = sla.rows.find((r) => r[0] === (s.key.name.startsWith('=') ? `'${s.key.name}` : s.key.name))!;
      expect(row[3], s.key.name).toBe(s.ratio === null ? '' : String(Math.round(s.ratio * 100 * 1e6) / 1e6));
      expect(Number(row[4])).toBe(s.total);
    }
    // The formula-looking name is text in a spreadsheet; 0 % stays 0 and no verdict stays empty.
    expect(sla.rows.find((r) => r[0] === `'${FORMULA_NAME}`)?.[3]).toBe('0');
    expect(sla.rows.find((r) => r[0] === NO_VERDICT_NAME)?.[3]).toBe('');
    expect(sla.rows.some((r) => r[0]!.startsWith('='))).toBe(false);

    // The volume CSV says which bucket is partial.
    const vol = parseCsv((await downloadText(/Download CSV: Incident volume/)).text);
    expect(vol.header.at(-1)).toBe('Partial bucket');
    expect(vol.rows.at(-1)!.at(-1)).toMatch(/^partial: up to .* \(still in progress\)$/);
    // The first month is cut by the range unless the range starts on the 1st; those between are whole.
    expect(vol.rows[0]!.at(-1)).toMatch(/^$|^partial: .* only \(cut by the range\)$/);
    expect(vol.rows.slice(1, -1).every((r) => r.at(-1) === '')).toBe(true);
  });

  it('downloads a chart as a valid PNG, and prints the page (its PDF) with every chart and without the controls', async () => {
    shotOnFailure('ux-dashboard-png');
    const png = await downloadText(/Download PNG: Incident volume/, 'button');
    expect(png.name).toMatch(/\.png$/);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.bytes.readUInt32BE(16), 'width').toBeGreaterThan(600);
    expect(png.bytes.readUInt32BE(20), 'height').toBeGreaterThan(400);

    await page.goto('/dashboard');
    await card('volume').locator('.recharts-surface').first().waitFor();
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await poll(() => page.locator('.chart-box[data-drawn="false"]').count()).toBe(0);
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.dashboard-filters').isVisible()).toBe(false);
    expect(await page.locator('.chart-downloads').first().isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
  });

  it('marks the current bucket partial, keeps no data apart from 0 %, names problems and shows the currency', async () => {
    shotOnFailure('ux-dashboard-marks');
    await page.goto('/dashboard');
    const volume = card('volume');
    await volume.locator('.recharts-surface').first().waitFor();
    // The month in progress: pale, dashed bars and the note under the chart.
    expect(await volume.locator('[data-partial]').innerText()).toMatch(/partial: up to .* \(still in progress\)/);
    expect(await volume.locator('path.recharts-rectangle[stroke-dasharray="4 2"]').count()).toBeGreaterThan(0);
    const ttr = card('ttr');
    await ttr.locator('.recharts-surface').first().waitFor();
    expect(await ttr.locator('[data-partial]').count()).toBe(1);
    expect(
      await ttr.locator('.recharts-line path[stroke-dasharray="2 4"]').count(),
      'a dashed segment into the partial month',
    ).toBeGreaterThan(0);

    // SLA by service: 0 % is a figure, no verdict is "no data", in the table and in the chart.
    const sla = card('sla-service');
    await sla.scrollIntoViewIfNeeded();
    await sla.locator('.recharts-surface').first().waitFor();
    const api0 = await api<{ resolutionSla: { byService: { key: { name: string }; ratio: number | null }[] } }>(
      `resolutionSla { byService { key { name } ratio } }`,
    );
    expect(api0.resolutionSla.byService.find((s) => s.key.name === FORMULA_NAME)?.ratio).toBe(0);
    expect(api0.resolutionSla.byService.find((s) => s.key.name === NO_VERDICT_NAME)?.ratio).toBeNull();
    const row = (name: string) => sla.locator('table tbody tr', { hasText: name });
    expect(await row(FORMULA_NAME).locator('td').nth(1).textContent()).toMatch(/^0\.0 %/);
    expect(await row(NO_VERDICT_NAME).locator('td').nth(1).textContent()).toMatch(/^no data/);
    expect(await row(NO_VERDICT_NAME).locator('td.no-data').count()).toBe(2);
    expect(await sla.locator('svg .recharts-label-list text', { hasText: 'no data' }).count()).toBeGreaterThan(0);

    // Problems by number and title.
    const p = await api<{ topRecurringProblems: { problem: { number: string; title: string } }[] }>(
      `topRecurringProblems(first: 8) { problem { number title } }`,
    );
    expect(p.topRecurringProblems.length).toBeGreaterThan(0);
    const problems = card('problems');
    await problems.scrollIntoViewIfNeeded();
    await problems.locator('.recharts-surface').first().waitFor();
    // Axis ticks are drawn in a layer of the chart's SVG of their own: read the whole SVG's text.
    const axis = await problems.locator('.recharts-wrapper > svg').first().textContent();
    const first = p.topRecurringProblems[0]!.problem;
    expect(axis).toContain(first.number);
    expect(axis).toContain(first.title.slice(0, 20));

    // Cost in the currency (EUR: no organisation setting), by Intl.NumberFormat.
    const currency = (await api<{ cost: { currency: string } }>(`cost { currency }`)).cost.currency;
    expect(currency).toBe('EUR');
    expect(await card('cost').locator('.panel-head').innerText()).toMatch(/total €[\d,]+/);
    expect(errors).toEqual([]);
  });

  it('on a 390 px phone: the first chart within the first screen, the filters folded, no sideways scroll', async () => {
    const phone = await stack.browser.newContext({
      viewport: { width: 390, height: 844 },
      baseURL: stack.web.url,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const p = await phone.newPage();
    try {
      await signIn(p, DEMO_ADMIN.email, DEMO_ADMIN.password, '/dashboard');
      await p.goto('/dashboard');
      const chart = p.locator('section[data-chart="volume"] .recharts-surface').first();
      await chart.waitFor();
      const top = await chart.evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
      await screenshot(p, 'ux-dashboard-390-first-screen');
      expect(top, 'the first chart starts within the first screen').toBeLessThan(844);
      expect(await p.locator('details.dashboard-filters').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(await p.locator('details.dashboard-filters > summary').innerText()).toMatch(/Filters.*Last 12 months/s);
      expect(await p.locator('.dashboard-filters select[name="range"]').isVisible()).toBe(false);
      await p.locator('details.dashboard-filters > summary').click();
      expect(await p.locator('.dashboard-filters select[name="range"]').isVisible()).toBe(true);
      await p.locator('details.dashboard-filters > summary').click();
      await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await poll(() => p.locator('.chart-box[data-drawn="false"]').count()).toBe(0);
      const widths = await p.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(widths.scroll, 'no horizontal scroll').toBeLessThanOrEqual(widths.client);
      await p.evaluate(() => window.scrollTo(0, 0));
      await settle(p);
      await screenshot(p, 'ux-dashboard-390');
      const bad = seriousOrCritical(await runAxe(p));
      expect(bad, describeViolations(bad)).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
