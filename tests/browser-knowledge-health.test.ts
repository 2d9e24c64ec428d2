/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_ADMIN, describeViolations, runAxe, screenshot, seriousOrCritical, type BrowserStack } from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';
import { parseCsv } from './support/csv';
import { applyWorkaround, createProblem, createWorkaround, incidentIn, ROOT_CAUSE, transitionProblem } from './support/knowledge-factories';
import { uniq } from './support/uniq';

/**
 * In chromium (issue 27): the one-click "Helped?" after applying a workaround on the incident page,
 * and the knowledge-health page (grouped by owner, filtered, exported as CSV with the filter and
 * formula-safe cells).
 */
describeInChromium('knowledge health and feedback in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'knowledge-health', signInAs: DEMO_ADMIN });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;

  beforeAll(() => {
    ({ stack, page } = suite.session());
  });

  it('says whether an applied workaround helped, in one click, and remembers it', async () => {
    shotOnFailure('helped');
    const api = stack.api;
    const title = uniq('Recycle the connection pool');
    const w = await createWorkaround(api, { status: 'ACTIVE', title });
    const inc = await incidentIn(api, 'INVESTIGATING');
    await applyWorkaround(api, inc.id, w.id);
    await page.goto(`/incidents/${encodeURIComponent(inc.number)}`);
    const group = page.getByRole('group', { name: `Did “${title}” help?` });
    await group.getByLabel(`Why it helped or not: ${title}`).fill('Errors stopped within a minute');
    await group.getByRole('button', { name: 'Yes' }).click();
    await poll(() => group.getByText('Thanks: recorded as helped.').count()).toBe(1);
    const rows = await api.sql<{ helpful: boolean; reason: string; context: string; email: string }>(
      `select f.helpful, f.reason, f.context, u.email from knowledge_feedback f join users u on u.id = f.user_id
        where f.item_id = $1 and f.incident_id = $2`,
      [w.id, inc.id],
    );
    expect(rows).toEqual([{ helpful: true, reason: 'Errors stopped within a minute', context: 'APPLIED', email: DEMO_ADMIN.email }]);
    await page.reload();
    const again = page.getByRole('group', { name: `Did “${title}” help?` });
    expect(await again.getByRole('button', { name: 'Yes' }).getAttribute('aria-pressed')).toBe('true');
    // Changing one's mind replaces the vote.
    await again.getByRole('button', { name: 'No' }).click();
    await poll(() => again.getByText('Thanks: recorded as did not help.').count()).toBe(1);
    expect(await api.sql(`select helpful from knowledge_feedback where item_id = $1`, [w.id])).toEqual([{ helpful: false }]);
  }, 180_000);

  it('lists what needs attention by owner, filters it, and exports the filtered list as formula-safe CSV', async () => {
    shotOnFailure('health');
    const api = stack.api;
    const owner = (await api.sql<{ id: string; name: string }>(`select id, name from users where email = $1`, [DEMO_ADMIN.email]))[0]!;
    const title = `=HYPERLINK("http://evil.example") ${uniq('pool')}`;
    const p = await createProblem(api, { rootCause: ROOT_CAUSE, rootCauseCategory: 'CHANGE', ownerId: owner.id, title });
    await createWorkaround(api, { status: 'ACTIVE', problemIds: [p.id] });
    await transitionProblem(api, p.id, 'KNOWN_ERROR');
    await api.sql(`update knowledge_items set review_by = now() - interval '3 days' where item_id = $1`, [p.id]);

    await page.goto('/knowledge-health');
    expect(await page.getByRole('link', { name: 'Knowledge health' }).count()).toBeGreaterThan(0);
    const section = page.getByRole('region', { name: `Owner: ${owner.name}` });
    const item = section.getByTestId('health-item').filter({ hasText: title });
    expect(await item.innerText()).toContain('Stale: review date passed');
    expect(await item.getByTestId('effectiveness').innerText()).toContain('not enough data');

    await page.getByLabel('Kind').selectOption('KNOWN_ERROR');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/kind=KNOWN_ERROR/);
    const items = await page.getByTestId('health-item').allInnerTexts();
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((t) => t.includes('Known error'))).toBe(true);
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    await screenshot(page, 'knowledge-health');

    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toBe('/export/knowledge-health?kind=KNOWN_ERROR');
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    const csv = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(csv[0]!.slice(0, 5)).toEqual(['Owner', 'Kind', 'Title', 'State', 'Needs attention']);
    const row = csv.find((r) => r[2]?.includes('HYPERLINK'))!;
    expect(row[2]).toBe(`'${title}`);
    expect(row[0]).toBe(owner.name);
    expect(csv.slice(1).every((r) => r[1] === 'Known error')).toBe(true);
    expect(Number(res.headers()['x-export-rows'])).toBe(csv.length - 1);

    // Marking it reviewed takes it off the list.
    await page.goto('/knowledge-health?kind=KNOWN_ERROR');
    await page.getByRole('button', { name: `Mark reviewed: ${title}` }).click();
    await poll(() => page.getByTestId('health-item').filter({ hasText: title }).count()).toBe(0);
  }, 180_000);

  it('answers hostile export filters with an error, never a 5xx', async () => {
    for (const q of ['owner=not-a-uuid', 'team=%00', `service=${'x'.repeat(5000)}`, 'kind=DROP%20TABLE', 'after=-1']) {
      const res = await page.request.get(`/export/knowledge-health?${q}`);
      expect(res.status(), q).toBeLessThan(500);
    }
  }, 60_000);
});
