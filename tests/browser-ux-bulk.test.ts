import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import {
  DEMO_ADMIN,
  describeViolations,
  HAS_CHROMIUM,
  NO_CHROMIUM_MESSAGE,
  runAxe,
  screenshot,
  seriousOrCritical,
  settle,
  signIn,
  startBrowserStack,
  type BrowserStack,
} from './support/browser';
import { createTeam, incidentIn, logIncident } from './support/factories';
import { createProblem, ROOT_CAUSE } from './support/knowledge-factories';

/**
 * Bulk actions beyond the incident register, in chromium against the built web app and a seeded API:
 * the work queue (acknowledge, refused as a whole when one row cannot take it, assign to me), awaiting
 * review (one review for several incidents, then one more added to it) and problems (owner / team,
 * a status move refused by name, then applied). Each change asks first where it moves a status, then
 * refreshes the list, clears the selection and says what changed in a live region. Axe and
 * screenshots at 1440 and 390 px, where the lists must not scroll sideways.
 */

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 250 });

describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? 'bulk actions in chromium' : NO_CHROMIUM_MESSAGE, () => {
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  let adminId: string;
  let team: { id: string; name: string };
  const token = `uxbulk${randomUUID().slice(0, 8)}`;
  const queued: { id: string; number: string }[] = [];
  const awaiting: { id: string; number: string }[] = [];
  const problems: { id: string; number: string }[] = [];

  const count = (form: Locator) => form.locator('.bulk-count').innerText();
  const shotOnFailure = (name: string) => onTestFailed(async () => void (await screenshot(page, `ux-bulk-${name}-FAILED`).catch(() => {})));

  beforeAll(async () => {
    stack = await startBrowserStack();
    ({ page, errors } = await stack.newPage());
    const t = stack.api;
    [{ id: adminId }] = await t.sql<{ id: string }>(`select id from users where email = $1`, [DEMO_ADMIN.email]);
    team = await createTeam(t, { name: `Team ${token}` });
    for (let n = 0; n < 3; n++) queued.push(await logIncident(t, { title: `${token} queue ${n}`, teamId: team.id }));
    for (let n = 0; n < 3; n++) awaiting.push(await incidentIn(t, 'RESOLVED', { title: `${token} awaiting ${n}`, major: true }));
    // Waiting longest, so the awaiting list (longest first, 200 at most) shows them whatever the demo holds.
    await t.sql(
      `update incidents set detected_at = now() - interval '3 years', opened_at = now() - interval '3 years',
         resolved_at = now() - interval '3 years' + interval '1 hour' where id = any($1::uuid[])`,
      [awaiting.map((a) => a.id)],
    );
    problems.push(await createProblem(t, { title: `${token} problem undocumented` }));
    for (let n = 0; n < 2; n++)
      problems.push(await createProblem(t, { title: `${token} problem ${n}`, rootCause: ROOT_CAUSE, rootCauseCategory: 'CHANGE' }));
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password, '/incidents/queue');
  }, 900_000);
  afterAll(async () => {
    await stack?.close();
  }, 60_000);

  it('acknowledges the queue rows at once after asking; refuses the whole batch when one cannot take it; assigns to me', async () => {
    shotOnFailure('queue');
    await page.goto(`/incidents/queue?team=${team.id}`);
    await settle(page);
    const bar = page.getByRole('form', { name: 'Change the selected incidents' });
    // Keyboard: the select-all checkbox takes Space.
    await page.getByRole('checkbox', { name: 'Select every incident on this page' }).focus();
    await page.keyboard.press('Space');
    await poll(() => count(bar)).toBe('3 selected');
    await bar.getByLabel('Action').selectOption('acknowledge');
    await bar.getByRole('button', { name: 'Apply to 3' }).click();
    // A status move asks first, naming how many.
    await bar.getByText('Acknowledge 3 incidents? There is no undo.').waitFor();
    await bar.getByRole('button', { name: 'Yes, apply to 3' }).click();
    await bar.getByRole('status').filter({ hasText: '3 incidents acknowledged.' }).waitFor();
    const acked = async () =>
      Number(
        (
          await stack.api.sql<{ n: string }>(
            `select count(*) as n from incidents where id = any($1::uuid[]) and acknowledged_at is not null`,
            [queued.map((q) => q.id)],
          )
        )[0]!.n,
      );
    expect(await acked()).toBe(3);
    // The selection cleared.
    await poll(() => count(bar)).toBe('Select incidents below to change several at once.');
    expect(await page.locator('input[form="queue-bulk"]:checked').count()).toBe(0);

    // Acknowledged twice: refused, every row named, nothing changed.
    await page.getByRole('checkbox', { name: `Select ${queued[0]!.number}` }).check();
    await page.getByRole('checkbox', { name: `Select ${queued[1]!.number}` }).check();
    await bar.getByRole('button', { name: 'Apply to 2' }).click();
    await bar.getByRole('button', { name: 'Yes, apply to 2' }).click();
    const alert = bar.getByRole('alert');
    await alert.waitFor();
    const refusal = await alert.innerText();
    expect(refusal).toContain('Nothing was changed: 2 of 2 selected incidents were refused.');
    expect(refusal).toContain(`${queued[0]!.number} was already acknowledged`);
    expect(refusal).toContain(`${queued[1]!.number} was already acknowledged`);
    await screenshot(page, 'ux-bulk-queue-refused');

    await page.getByRole('checkbox', { name: `Select ${queued[1]!.number}` }).uncheck();
    await bar.getByLabel('Action').selectOption('mine');
    await bar.getByRole('button', { name: 'Apply to 1' }).click();
    await bar.getByRole('status').filter({ hasText: '1 incident assigned to you.' }).waitFor();
    const [row] = await stack.api.sql<{ assignee_id: string }>(`select assignee_id from incidents where id = $1`, [queued[0]!.id]);
    expect(row!.assignee_id).toBe(adminId);
    // The list refreshed: the row shows its new assignee.
    await poll(() => page.locator('table.data tbody tr', { hasText: queued[0]!.number }).innerText()).toContain('Admin');
  });

  it('starts one review for several incidents awaiting review, then adds another to it', async () => {
    shotOnFailure('awaiting');
    await page.goto('/reviews/awaiting');
    await settle(page);
    const bar = page.getByRole('form', { name: 'Review the selected incidents' });
    for (const a of awaiting.slice(0, 2)) await page.getByRole('checkbox', { name: `Select ${a.number}` }).check();
    await poll(() => count(bar)).toBe('2 selected');
    await bar.getByLabel('Title').fill(`${token} joint review`);
    await bar.getByRole('button', { name: 'Apply to 2' }).click();
    const started = bar.getByRole('status').filter({ hasText: /^Review \S+ started for 2 incidents\.$/ });
    await started.waitFor();
    const [review] = await stack.api.sql<{ id: string; n: string }>(
      `select r.id, (select count(*) from review_incidents ri where ri.review_id = r.id) as n from reviews r where r.title = $1`,
      [`${token} joint review`],
    );
    expect(Number(review!.n)).toBe(2);
    expect(await page.locator('input[form="awaiting-bulk"]:checked').count()).toBe(0);
    await bar.getByRole('link', { name: /^Open / }).waitFor();

    await page.getByRole('checkbox', { name: `Select ${awaiting[2]!.number}` }).check();
    await bar.getByLabel('Action').selectOption('add');
    await bar.getByLabel('Review', { exact: true }).selectOption(review!.id);
    await bar.getByRole('button', { name: 'Apply to 1' }).click();
    await bar.getByRole('status').filter({ hasText: `1 incident added to ` }).waitFor();
    const [after] = await stack.api.sql<{ n: string }>(`select count(*) as n from review_incidents where review_id = $1`, [review!.id]);
    expect(Number(after!.n)).toBe(3);
  });

  it('assigns problems to a team, and refuses a status move by name before applying it to the legal rows', async () => {
    shotOnFailure('problems');
    await page.goto(`/problems?q=${token}`);
    await settle(page);
    const bar = page.getByRole('form', { name: 'Change the selected problems' });
    await page.getByRole('checkbox', { name: 'Select every problem on this page' }).check();
    await poll(() => count(bar)).toBe('3 selected');
    await bar.getByLabel('Team', { exact: true }).selectOption(team.id);
    await bar.getByRole('button', { name: 'Apply to 3' }).click();
    await bar
      .getByRole('status')
      .filter({ hasText: `3 problems assigned to ${team.name}.` })
      .waitFor();
    const teams = await stack.api.sql<{ team_id: string }>(`select team_id from problems where id = any($1::uuid[])`, [
      problems.map((p) => p.id),
    ]);
    expect(teams.map((r) => r.team_id)).toEqual([team.id, team.id, team.id]);
    await poll(() => page.locator('table.data tbody tr', { hasText: team.name }).count()).toBe(3);

    await page.getByRole('checkbox', { name: 'Select every problem on this page' }).check();
    await bar.getByLabel('Action').selectOption('transition');
    await bar.getByLabel('New status').selectOption('KNOWN_ERROR');
    await bar.getByRole('button', { name: 'Apply to 3' }).click();
    await bar.getByText('Move 3 problems to Known error? There is no undo.').waitFor();
    await bar.getByRole('button', { name: 'Yes, apply to 3' }).click();
    const alert = bar.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(
      `${problems[0]!.number}: a problem becomes known error only with a documented root cause (at least 10 characters)`,
    );
    const statuses = async () =>
      (
        await stack.api.sql<{ status: string }>(`select status from problems where id = any($1::uuid[]) order by number`, [
          problems.map((p) => p.id),
        ])
      ).map((r) => r.status);
    expect(await statuses()).toEqual(['OPEN', 'OPEN', 'OPEN']);
    await screenshot(page, 'ux-bulk-problems-refused');

    await page.getByRole('checkbox', { name: `Select ${problems[0]!.number}` }).uncheck();
    await bar.getByRole('button', { name: 'Apply to 2' }).click();
    await bar.getByRole('button', { name: 'Yes, apply to 2' }).click();
    await bar.getByRole('status').filter({ hasText: '2 problems moved to Known error.' }).waitFor();
    expect(await statuses()).toEqual(['OPEN', 'KNOWN_ERROR', 'KNOWN_ERROR']);
  });

  it('passes axe with a selection on each list, and fits 390 px without scrolling sideways', async () => {
    shotOnFailure('axe');
    const lists = [
      { name: 'queue', path: `/incidents/queue?team=${team.id}`, box: `Select ${queued[2]!.number}` },
      { name: 'awaiting', path: '/reviews/awaiting', box: 'Select every incident awaiting review' },
      { name: 'problems', path: `/problems?q=${token}`, box: `Select ${problems[0]!.number}` },
      { name: 'known-errors', path: '/problems/known-errors', box: 'Select every known error on this page' },
    ];
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const list of lists) {
        await page.goto(list.path);
        await settle(page);
        const box = page.getByRole('checkbox', { name: list.box });
        if (list.name === 'known-errors' && !(await box.count())) continue; // none in the demo: nothing to select
        await box.check();
        await poll(() => page.locator('.bulk-count').innerText()).toMatch(/^\d+ selected$/);
        const bad = seriousOrCritical(await runAxe(page));
        expect(bad, `${list.name} at ${width}: ${describeViolations(bad)}`).toEqual([]);
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(sideways, `${list.name} at ${width} scrolls sideways by`).toBeLessThanOrEqual(0);
        await screenshot(page, `ux-bulk-${list.name}-${width}`);
      }
    }
    expect(errors).toEqual([]);
  });
});
