/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_ADMIN, describeViolations, runAxe, seriousOrCritical, signIn, watchCsp, type BrowserStack } from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';
import { ok } from './support/test-app';

/**
 * Issue 25 part 5 in chromium: the review page's "Meeting invitation" panel lists who the calendar
 * invitation goes to and who cannot be invited (a name outside the directory), and sending without
 * SMTP (the browser stack sets none) says so in words. Sending over SMTP is tested in
 * tests/review-notifications.test.ts.
 */
describeInChromium('review meeting invitation in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'review-invitation' });
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  let reviewId: string;
  let people: { id: string; name: string; email: string }[];

  const gql = async <T>(query: string, variables?: Record<string, unknown>) => ok(await stack.api.gql<T>(query, variables));

  beforeAll(async () => {
    ({ stack, page, errors } = suite.session());
    await watchCsp(page, errors);
    const { logIncident: i } = await gql<{ logIncident: { id: string } }>(
      `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`,
      { input: { title: 'Browser invite: search is slow', description: 'Slow', impact: 2, urgency: 2 } },
    );
    await gql(`mutation($id: ID!) { transitionIncident(id: $id, input: { to: RESOLVED, resolutionKind: PERMANENT_FIX }) { id } }`, {
      id: i.id,
    });
    people = (await gql<{ users: { id: string; name: string; email: string }[] }>(`{ users { id name email } }`)).users
      .filter((u) => !u.email.endsWith('.invalid'))
      .slice(0, 2);
    reviewId = (
      await gql<{ createReview: { id: string } }>(`mutation($input: CreateReviewInput!) { createReview(input: $input) { id } }`, {
        input: { title: 'Browser invite review', incidentIds: [i.id], facilitatorId: people[0]!.id },
      })
    ).createReview.id;
    await gql(`mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { id } }`, {
      id: reviewId,
      input: {
        meetingAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        meetingMinutes: 30,
        participants: [{ userId: people[1]!.id }, { name: 'Vendor on-call' }],
      },
    });
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  }, 600_000);

  it('shows who gets the invitation and who cannot, and says when e-mail is not set up', async () => {
    suite.shotOnFailure('panel');
    await page.goto(`/reviews/${reviewId}`);
    const panel = page.locator('section#invitation');
    await panel.getByRole('heading', { name: 'Meeting invitation' }).waitFor();
    const list = panel.getByRole('list', { name: 'Invitation goes to' });
    await poll(() => list.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining(`${people[0]!.email}>, organizer`),
      expect.stringContaining(people[1]!.email),
    ]);
    expect(await panel.locator('#invite-unreachable').innerText()).toBe('Cannot be invited (no e-mail address): Vendor on-call.');
    expect(await panel.innerText()).toContain('30 minutes');
    expect(await panel.locator('#invite-last').innerText()).toBe('Not sent yet.');
    await panel.getByRole('button', { name: 'Send calendar invitation' }).click();
    await poll(() => panel.getByRole('alert').allInnerTexts()).toEqual([expect.stringContaining('E-mail is not set up on this server')]);
    const bad = seriousOrCritical(await runAxe(page));
    expect(bad, describeViolations(bad)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
