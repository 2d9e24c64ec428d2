/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  DEMO_ADMIN,
  describeViolations,
  runAxe,
  screenshot,
  seriousOrCritical,
  settle,
  signIn,
  watchCsp,
  type BrowserStack,
} from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';
import { ok } from './support/test-app';

/**
 * Issue 23, items 2 and 9, in chromium against the built web app and a seeded API: a published
 * review goes back to draft only after a confirmation (Enter in its reason field does nothing);
 * saving records only what changed; "Send to review" is refused naming the empty sections; the
 * template follows the major flag; Star/Hide only where an entry can be curated; five-whys answers
 * span lines; a due date is checked against the user's own today; naming a problem as root cause
 * links the incident; the problem page shows its status once and offers only the moves its
 * lifecycle and facts allow, asking before the ones that undo progress. axe finds nothing serious.
 */

/** A zone whose day differs from UTC's right now, so that "today" is visibly the user's own. */
const ZONE = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
const todayIn = (timeZone: string, shift = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + shift * 86_400_000),
  );

describeInChromium('reviews and problems in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'ux-reviews' });
  let stack: BrowserStack;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const fx = {} as {
    minor: { id: string; number: string };
    major: { id: string; number: string };
    review: { id: string; number: string };
    majorReview: { id: string };
    problem: { id: string; number: string };
    knownError: { id: string; number: string };
    people: { id: string; name: string }[];
  };

  const gql = async <T>(query: string, variables?: Record<string, unknown>) => ok(await stack.api.gql<T>(query, variables));
  async function resolvedIncident(title: string, input: Record<string, unknown>) {
    const { logIncident: i } = await gql<{ logIncident: { id: string; number: string } }>(
      `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id number } }`,
      { input: { title, description: title, detectedAt: new Date(Date.now() - 600_000).toISOString(), ...input } },
    );
    await gql(`mutation($id: ID!) { transitionIncident(id: $id, input: { to: RESOLVED, resolutionKind: PERMANENT_FIX }) { id } }`, {
      id: i.id,
    });
    return i;
  }

  beforeAll(async () => {
    ({ stack } = suite.session());
    fx.minor = await resolvedIncident('Browser UX: order e-mails delayed', { impact: 1, urgency: 2 });
    fx.major = await resolvedIncident('Browser UX: card payments down', { impact: 1, urgency: 1, major: true });
    fx.people = (await gql<{ users: { id: string; name: string }[] }>(`{ users { id name } }`)).users.slice(0, 2);
    const create = (title: string, ids: string[]) =>
      gql<{ createReview: { id: string; number: string } }>(
        `mutation($input: CreateReviewInput!) { createReview(input: $input) { id number } }`,
        { input: { title, incidentIds: ids } },
      ).then((r) => r.createReview);
    fx.review = await create('Browser UX review of delayed e-mails', [fx.minor.id]);
    fx.majorReview = await create('Browser UX review of the payment outage', [fx.major.id]);
    await gql(`mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { id } }`, {
      id: fx.review.id,
      input: {
        meetingAt: '2026-03-12T14:00:00Z',
        participants: [...fx.people.map((p) => ({ userId: p.id })), { name: 'Mail vendor on-call' }],
      },
    });
    const problem = (input: Record<string, unknown>) =>
      gql<{ createProblem: { id: string; number: string } }>(
        `mutation($input: CreateProblemInput!) { createProblem(input: $input) { id number } }`,
        { input },
      ).then((r) => r.createProblem);
    fx.problem = await problem({ title: 'Browser UX: mail queue has one worker' });
    fx.knownError = await problem({
      title: 'Browser UX: pool too small',
      rootCause: 'Release 4.2 lowered the pool to 50 connections.',
      rootCauseCategory: 'CHANGE',
    });
    await gql(`mutation($id: ID!) { transitionProblem(id: $id, to: KNOWN_ERROR) { id } }`, { id: fx.knownError.id });

    // The user's browser is in a zone whose day is not UTC's.
    context = await stack.browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: stack.web.url, timezoneId: ZONE });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await watchCsp(page, errors);
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 600_000);
  afterAll(async () => {
    await context?.close().catch(() => {});
  }, 60_000);

  // This file's page (its own context, in the user's time zone), not the suite's first one.
  const shotOnFailure = (name: string) => suite.shotOnFailure(name, () => page);
  const history = () => page.getByRole('list', { name: 'Review history' }).getByRole('listitem').allInnerTexts();
  const status = () => page.locator('.page-header .badge.status').innerText();

  async function checkAxeAndShoot(what: string, name: string) {
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await settle(page);
      const bad = seriousOrCritical(await runAxe(page));
      expect(bad, `${what} at ${width} px: ${describeViolations(bad)}`).toEqual([]);
      await screenshot(page, `ux-reviews-${name}-${width}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  it('picks the template by the major flag, and refuses "Send to review" naming the empty sections', async () => {
    shotOnFailure('send');
    await page.goto(`/reviews/${fx.majorReview.id}`);
    await poll(() => page.locator('.page-header').innerText()).toContain('Template: Major incident review');
    await page.goto(`/reviews/${fx.review.id}`);
    // A P2 that is not major gets the standard template.
    await poll(() => page.locator('.page-header').innerText()).toContain('Template: Standard review');
    const missing = page.locator('#missing-sections');
    expect(await missing.innerText()).toContain('Fill in before sending to review:');
    expect(await missing.getByRole('link', { name: 'Summary' }).getAttribute('href')).toBe('#summary');
    expect(await page.locator('#factors .badge', { hasText: 'Required, still empty' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Send to review' }).click();
    await settle(page);
    const alert = page.locator('#pub-h').locator('..').getByRole('alert');
    await poll(() => alert.innerText()).toContain(`${fx.review.number} cannot go to review yet: fill in Summary, Contributing factors`);
    expect(await status()).toBe('Draft');
    await checkAxeAndShoot('review page', 'review');
  });

  it('offers Star and Hide only on entries that can be curated', async () => {
    shotOnFailure('curate');
    await page.goto(`/reviews/${fx.review.id}`);
    const entries = page.getByRole('list', { name: 'Review timeline' }).getByRole('listitem');
    await poll(() => entries.count()).toBeGreaterThan(1);
    const detection = entries.filter({ hasText: 'Impact began / first seen' });
    expect(await detection.count()).toBe(1);
    expect(await detection.getByRole('button').count()).toBe(0);
    expect(await detection.innerText()).toContain('not curated here');
    const others = (await entries.count()) - 1;
    expect(await page.locator('#timeline').getByRole('button', { name: 'Star', exact: true }).count()).toBe(others);
    expect(await page.locator('#timeline').getByRole('button', { name: 'Hide', exact: true }).count()).toBe(others);
    await page.locator('#timeline').getByRole('button', { name: 'Star', exact: true }).first().click();
    await settle(page);
    await poll(() => page.locator('#timeline').getByRole('button', { name: 'Unstar', exact: true }).count()).toBe(1);
    expect(await page.locator('#timeline').getByRole('alert').count()).toBe(0);
  });

  it('saves only what changed: nothing at all, then exactly the title', async () => {
    shotOnFailure('save');
    await page.goto(`/reviews/${fx.review.id}`);
    const before = await history();
    const form = page.locator('#summary form');
    await form.getByRole('button', { name: 'Save review' }).click();
    await poll(() => form.getByRole('status').innerText()).toBe('Nothing changed, nothing saved.');
    await page.reload();
    await settle(page);
    expect(await history()).toEqual(before);

    await form.getByLabel('Title', { exact: true }).fill('Browser UX review: e-mails delayed two hours');
    await form.getByRole('button', { name: 'Save review' }).click();
    await settle(page);
    await poll(async () => (await history()).length).toBe(before.length + 1);
    const added = (await history()).find((h) => !before.includes(h))!;
    expect(added).toContain('Updated title');
    expect(added).not.toMatch(/participants|meetingAt/);
  });

  it('takes five-whys answers over several lines, and links the incident to the problem named as root cause', async () => {
    shotOnFailure('whys');
    await page.goto(`/reviews/${fx.review.id}`);
    const whys = page.locator('#whys');
    await whys.getByLabel('Why 1?', { exact: true }).fill('Why were e-mails late?');
    const because = whys.getByLabel('Because', { exact: true });
    expect(await because.evaluate((e) => e.tagName)).toBe('TEXTAREA');
    await because.fill('The queue had one worker.\n\n- it stalled at 09:10\n- nobody was paged');
    await whys.getByLabel('An existing problem', { exact: true }).check();
    await whys.getByLabel('Find a problem', { exact: true }).fill('mail queue has one worker');
    await whys.getByRole('button', { name: 'Find' }).click();
    await whys.locator('.card-list li', { hasText: fx.problem.number }).getByRole('button', { name: 'Choose' }).click();
    await whys.getByRole('button', { name: 'Save five whys and root cause' }).click();
    await settle(page);
    await poll(() => whys.innerText()).toContain(`Root cause: ${fx.problem.number}`);
    const [row] = await stack.api.sql<{ problem_id: string }>(`select problem_id from incidents where id = $1`, [fx.minor.id]);
    expect(row!.problem_id).toBe(fx.problem.id);
    const [answer] = await stack.api.sql<{ five_whys: { answer: string }[] }>(`select five_whys from reviews where id = $1`, [
      fx.review.id,
    ]);
    expect(answer!.five_whys[0]!.answer).toBe('The queue had one worker.\n\n- it stalled at 09:10\n- nobody was paged');

    await page.goto(`/problems/${encodeURIComponent(fx.problem.number)}`);
    await poll(() => page.locator('#inc-h').locator('..').innerText()).toContain(fx.minor.number);
  });

  it("checks an action item's due date against the user's own today", async () => {
    shotOnFailure('due');
    await page.goto(`/reviews/${fx.review.id}`);
    await page.locator('#actions summary').click();
    const actions = page.locator('#actions');
    const due = actions.getByLabel('Due date', { exact: true });
    await poll(() => due.getAttribute('min')).toBe(todayIn(ZONE));
    await actions.getByLabel('Title', { exact: true }).fill('Add a second mail worker');
    await actions.getByLabel('Owner', { exact: true }).selectOption({ index: 1 });
    await due.fill(todayIn(ZONE, -1));
    await actions.getByRole('button', { name: 'Add action item' }).click();
    expect(await due.evaluate((e) => (e as HTMLInputElement).validity.rangeUnderflow)).toBe(true);
    expect(await actions.innerText()).not.toContain('due ' + todayIn(ZONE, -1));
    // Today where the user is: UTC's day differs, and the API still takes it.
    await due.fill(todayIn(ZONE));
    await actions.getByRole('button', { name: 'Add action item' }).click();
    await settle(page);
    await poll(() => actions.locator('.card-list').innerText()).toContain(`due ${todayIn(ZONE)}`);
    expect(todayIn(ZONE)).not.toBe(todayIn('UTC'));
  });

  it('moves a published review back to draft only after asking, never on Enter', async () => {
    shotOnFailure('draft');
    await gql(`mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { id } }`, {
      id: fx.review.id,
      input: { summary: 'Order e-mails were two hours late.', lessons: 'Page on queue age.' },
    });
    await gql(
      `mutation($id: ID!) { addContributingFactor(reviewId: $id, input: { categoryKey: "CAPACITY", description: "One worker" }) { id } }`,
      {
        id: fx.review.id,
      },
    );
    await page.goto(`/reviews/${fx.review.id}`);
    await page.getByRole('button', { name: 'Send to review' }).click();
    await settle(page);
    await poll(status).toBe('In review');
    await page.getByRole('button', { name: 'Publish' }).click();
    await settle(page);
    await poll(status).toBe('Published');

    await page.getByRole('button', { name: 'Back to draft…' }).click();
    const ask = page.getByRole('group', { name: new RegExp(`Unpublish ${fx.review.number} and move it back to draft\\?`) });
    await poll(() => ask.count()).toBe(1);
    // Focus is on the safe choice; Escape cancels.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await poll(() => ask.count()).toBe(0);

    await page.getByRole('button', { name: 'Back to draft…' }).click();
    const reason = ask.getByLabel('Why back to draft');
    expect(await ask.getByRole('button', { name: 'Move back to draft' }).isDisabled()).toBe(true);
    await reason.fill('The vendor sent its own timeline');
    await reason.press('Enter');
    await page.waitForTimeout(1000);
    await page.reload();
    await settle(page);
    expect(await status()).toBe('Published');

    await page.getByRole('button', { name: 'Back to draft…' }).click();
    await ask.getByLabel('Why back to draft').fill('The vendor sent its own timeline');
    await ask.getByRole('button', { name: 'Move back to draft' }).click();
    await settle(page);
    await poll(status).toBe('Draft');
    await poll(() => history()).toEqual(
      expect.arrayContaining([expect.stringContaining('Published → Draft: The vendor sent its own timeline')]),
    );
  });

  it('asks before retiring a workaround, naming it and what follows', async () => {
    shotOnFailure('retire');
    const { createWorkaround: w } = await gql<{ createWorkaround: { id: string } }>(
      `mutation { createWorkaround(input: { title: "Browser UX: restart the mail worker", steps: "1. Restart it",
        status: ACTIVE }) { id } }`,
    );
    await page.goto(`/workarounds/${w.id}`);
    const badge = page.locator('.page-header .badge.status');
    await poll(() => badge.innerText()).toBe('Active');
    // The header's Retire (the lifecycle panel below has its own).
    await page.locator('.page-header').getByRole('button', { name: 'Retire', exact: true }).click();
    const ask = page.getByRole('group', {
      name: /Retire the workaround “Browser UX: restart the mail worker”\? Search and incident pages/,
    });
    await poll(() => ask.count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Enter');
    await poll(() => ask.count()).toBe(0);
    await page.reload();
    await settle(page);
    expect(await badge.innerText()).toBe('Active');
    await page.locator('.page-header').getByRole('button', { name: 'Retire', exact: true }).click();
    await ask.getByRole('button', { name: 'Retire', exact: true }).click();
    await settle(page);
    await poll(() => badge.innerText()).toBe('Retired');
  });

  it('shows a known error once, offers only the moves its lifecycle allows, and asks before closing', async () => {
    shotOnFailure('problem');
    await page.goto(`/problems/${encodeURIComponent(fx.knownError.number)}`);
    const header = page.locator('.page-header');
    await poll(() => header.innerText()).toContain('Known error');
    expect((await header.innerText()).match(/Known error/g)).toHaveLength(1);
    const life = page.locator('#life-h').locator('..');
    expect(await life.getByRole('button', { name: 'Reopen' }).count()).toBe(0);
    expect(await life.getByRole('button', { name: 'Start fix' }).count()).toBe(1);
    // Resolving needs the fix's change reference: said, not offered.
    expect(await life.getByRole('button', { name: 'Mark resolved' }).count()).toBe(0);
    expect(await life.innerText()).toContain('Mark resolved: not yet.');
    await life.getByRole('button', { name: 'Close', exact: true }).click();
    const ask = life.getByRole('group', { name: new RegExp(`Close ${fx.knownError.number}\\?`) });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => ask.count()).toBe(0);
    await page.reload();
    await settle(page);
    expect(await page.locator('.page-header .badge.status').innerText()).toBe('Known error');
    await checkAxeAndShoot('problem page', 'problem');

    // An open problem without a root cause: no "Mark known error" button, and why.
    await page.goto(`/problems/${encodeURIComponent(fx.problem.number)}`);
    const open = page.locator('#life-h').locator('..');
    await poll(() => open.innerText()).toContain('Mark known error: not yet.');
    expect(await open.getByRole('button', { name: 'Mark known error' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
