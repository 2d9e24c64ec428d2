/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
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
 * Issue 23, items 3 and 7, in chromium against the built web app and the demo seed: the incident
 * page offers only suggestions with evidence beyond the service, each with its strength, score and
 * reason; Apply asks first in a modal dialog (focus on Cancel, Escape cancels); applying a
 * workaround to an open incident shows it in flight without moving the success rate. The log form
 * previews the priority from the organisation's (non-default) matrix as impact and urgency are
 * chosen, saves that priority, and lists open incidents that look the same while the title is
 * typed. axe finds nothing serious on either page; screenshots at 1440 and 390 px.
 */

const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 390, height: 844 };

describeInChromium('diagnosis help and logging an incident (chromium)', () => {
  const suite = useBrowserStack({ shots: 'ux-diagnosis' });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  const ids: Record<string, string> = {};

  async function log(input: Record<string, unknown>): Promise<{ id: string; number: string }> {
    const lookups = ok(
      await stack.api.gql<{ services: { id: string; name: string }[]; categories: { children: { id: string; name: string }[] }[] }>(
        `query { services { id name } categories { children { id name } } }`,
      ),
    );
    const service = (name: string) => lookups.services.find((s) => s.name === name)!.id;
    const category = (name: string) => lookups.categories.flatMap((c) => c.children).find((c) => c.name === name)!.id;
    const { serviceName, categoryName, ...rest } = input as { serviceName?: string; categoryName?: string };
    return ok(
      await stack.api.gql<{ logIncident: { id: string; number: string } }>(
        `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id number } }`,
        {
          input: {
            source: 'USER_REPORT',
            ...rest,
            ...(serviceName ? { serviceId: service(serviceName) } : {}),
            ...(categoryName ? { categoryId: category(categoryName) } : {}),
          },
        },
      ),
    ).logIncident;
  }

  async function expectNoSeriousAxe(what: string) {
    const violations = await runAxe(page);
    const bad = seriousOrCritical(violations);
    console.log(`[axe] ${what}: ${violations.length} violation(s), ${bad.length} serious or critical`);
    expect(bad, describeViolations(bad)).toEqual([]);
  }

  async function shots(name: string) {
    await page.setViewportSize(WIDE);
    await screenshot(page, `${name}-1440`);
    await page.setViewportSize(NARROW);
    await screenshot(page, `${name}-390`);
    await page.setViewportSize(WIDE);
  }

  beforeAll(async () => {
    ({ stack, page, errors } = suite.session());
    await page.setViewportSize(WIDE);
    await signIn(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    const crash = await log({
      title: 'Pods in CrashLoopBackOff after node pool upgrade',
      description: 'Several workloads crash-looping on the new node pool; OOMKilled with the new container runtime memory accounting.',
      serviceName: 'Kubernetes Platform',
      categoryName: 'Compute',
    });
    const checkout = await log({
      title: 'Checkout returns HTTP 502 for card payments (diagnosis test)',
      description: 'Customers see 502 at the payment step; payments-api pods restart under load.',
      serviceName: 'Payments API',
      categoryName: 'Application error',
    });
    const tls = await log({
      title: 'TLS certificate expired on api.example.com',
      impact: 1,
      urgency: 1,
      serviceName: 'Kubernetes Platform',
    });
    ids.crash = crash.number;
    ids.checkout = checkout.number;
    ids.tls = tls.number;
  }, 600_000);

  const diagnosis = () => page.locator('section', { has: page.locator('#diag-h') });

  it('offers the crash-looping pods incident nothing that shares only the service', async () => {
    shotOnFailure('crash-loop');
    await page.goto(`/incidents/${ids.crash}`);
    await settle(page);
    const text = await diagnosis().innerText();
    // The demo's WAL known error runs on the same platform: before, it came with a one-click Apply.
    expect(text).not.toContain('WAL archive retention not enforced on replicas');
    expect(text).not.toContain('Purge WAL archives');
    expect(text).toContain('sharing the service alone is not enough');
    expect(errors).toEqual([]);
  });

  it('shows each suggestion with its strength, score and reason', async () => {
    shotOnFailure('suggestions');
    await page.goto(`/incidents/${ids.checkout}`);
    await settle(page);
    const knownError = page
      .getByRole('list', { name: 'Matching known errors' })
      .locator(':scope > li', { hasText: 'payments-api exhausts its connection pool under peak load' });
    await poll(() => knownError.count()).toBe(1);
    expect(await knownError.locator('.badge.strength').innerText()).toMatch(/^Strong match · \d+/);
    expect(await knownError.locator('.badge.strength').getAttribute('title')).toContain('same service 15');
    expect(await knownError.locator('.why').innerText()).toMatch(/title mentions "502"/);
    expect(await knownError.locator('.why').innerText()).toMatch(/same service: Payments API/);
    const model = page
      .getByRole('list', { name: 'Suggested incident models' })
      .locator(':scope > li', { hasText: 'Checkout 5xx during peak' });
    expect(await model.locator('.badge.strength').innerText()).toMatch(/^(Strong|Possible) match · \d+/);
    await page.locator('#diag-h').scrollIntoViewIfNeeded();
    await expectNoSeriousAxe('incident page with suggestions');
    await shots('ux-diagnosis-incident-suggestions');
  });

  it('asks before applying: focus on Cancel, Escape cancels, nothing changes', async () => {
    shotOnFailure('confirm');
    const apply = page.getByRole('button', { name: 'Apply workaround: Roll back payments-api and recycle pods' }).first();
    const held = diagnosis().locator('tr', { hasText: 'Roll back payments-api and recycle pods' }).locator('td').nth(2);
    const before = await held.innerText();
    await apply.click();
    const dialog = page.getByRole('dialog', { name: /Apply the workaround “Roll back payments-api and recycle pods” to INC-/ });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(`This records on ${ids.checkout}`);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await expectNoSeriousAxe('apply confirmation');
    await screenshot(page, 'ux-diagnosis-apply-confirm-1440');
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Apply workaround: Roll back payments-api and recycle pods',
    );
    await settle(page);
    expect(await page.locator('section', { has: page.locator('#know-h') }).innerText()).toContain('None yet.');
    expect(await held.innerText()).toBe(before);

    // Confirmed this time: applied, and in flight without moving the success rate.
    await apply.click();
    await dialog.getByRole('button', { name: 'Apply workaround' }).click();
    await settle(page);
    await poll(() => page.locator('section', { has: page.locator('#know-h') }).innerText()).toContain(
      'Roll back payments-api and recycle pods',
    );
    const after = await held.innerText();
    const rate = (s: string) => s.split(' · ')[0];
    const inFlight = (s: string) => Number(/(\d+) in flight/.exec(s)?.[1] ?? 0);
    expect(rate(after)).toBe(rate(before));
    expect(inFlight(after)).toBe(inFlight(before) + 1);
    expect(errors).toEqual([]);
  });

  it('previews the priority from the organisation matrix and saves that priority', async () => {
    shotOnFailure('log-priority');
    // Not the default matrix: impact 1 x urgency 2 is P1 here (P2 by default).
    ok(
      await stack.api.gql(`mutation($rows: [[Int!]!]!) { setPriorityMatrix(input: { rows: $rows }) { rows } }`, {
        rows: [
          [1, 1, 2],
          [2, 3, 4],
          [2, 4, 5],
        ],
      }),
    );
    await page.goto('/incidents/new');
    const preview = page.getByTestId('priority-preview');
    expect(await preview.innerText()).toContain('choose impact and urgency');
    expect(await page.getByLabel('Impact', { exact: true }).inputValue()).toBe('');
    await page.getByLabel('Impact', { exact: true }).selectOption('1');
    expect(await preview.innerText()).toContain('choose impact and urgency');
    await page.getByLabel('Urgency', { exact: true }).selectOption('2');
    await poll(() => preview.innerText()).toContain('P1 Critical');
    expect(await preview.innerText()).toContain('impact 1 × urgency 2');
    await page.getByLabel('Impact', { exact: true }).selectOption('3');
    await poll(() => preview.innerText()).toContain('P4 Low');
    await page.getByLabel('Impact', { exact: true }).selectOption('1');
    await poll(() => preview.innerText()).toContain('P1 Critical');
    await page.getByLabel('Title', { exact: true }).fill('Card terminals offline in the Lyon store');
    await page.getByRole('button', { name: 'Log incident' }).click();
    await page.waitForURL(/\/incidents\/INC-\d+$/);
    const number = decodeURIComponent(page.url().split('/').pop()!);
    const saved = ok(
      await stack.api.gql<{ incidentByNumber: { priority: number } }>(`query($n: String!) { incidentByNumber(number: $n) { priority } }`, {
        n: number,
      }),
    );
    expect(saved.incidentByNumber.priority).toBe(1);
  });

  it('lists open incidents that look the same while the title is typed', async () => {
    shotOnFailure('log-duplicates');
    await page.goto('/incidents/new');
    let requests = 0;
    const count = (r: { url(): string; method(): string; postData(): string | null }) => {
      if (r.url().endsWith('/graphql') && r.method() === 'POST' && r.postData()?.includes('PossibleDuplicates')) requests++;
    };
    page.on('request', count);
    const typed = 'TLS certificate expired on api';
    await page.getByLabel('Title', { exact: true }).pressSequentially(typed, { delay: 40 });
    const list = page.getByRole('list', { name: 'Open incidents that look the same' });
    await poll(() => list.locator('li', { hasText: ids.tls }).count()).toBe(1);
    page.off('request', count);
    expect(requests, 'typing is debounced: fewer requests than keystrokes').toBeLessThan(typed.length / 3);
    expect(await list.locator('li', { hasText: ids.tls }).innerText()).toMatch(/P1 Critical/);
    await page.getByLabel('Impact', { exact: true }).selectOption('2');
    await page.getByLabel('Urgency', { exact: true }).selectOption('2');
    await poll(() => page.getByTestId('priority-preview').innerText()).toContain('P3');
    await expectNoSeriousAxe('log form with preview and duplicates');
    await shots('ux-diagnosis-log-form');
    await list.getByRole('link', { name: new RegExp(ids.tls!) }).click();
    await page.waitForURL(new RegExp(`/incidents/${ids.tls}$`));
    expect(errors).toEqual([]);
  });

  it('refuses a hostile title with a clear error naming the field, and keeps what was typed', async () => {
    shotOnFailure('log-hostile');
    await page.goto('/incidents/new');
    const hostile = 'Disk full on db-01\u202e10-bd no lluf ksiD';
    await page.getByLabel('Title', { exact: true }).fill(hostile);
    await page.getByLabel('Impact', { exact: true }).selectOption('2');
    await page.getByLabel('Urgency', { exact: true }).selectOption('2');
    // The duplicate check is refused too, and says so without breaking the form.
    await poll(() => page.locator('.duplicate-check').innerText()).toMatch(/did not answer: .*title/i);
    await page.getByRole('button', { name: 'Log incident' }).click();
    // Said next to the Title field (FieldErrors), which is marked invalid.
    await poll(() => page.locator('.field-error').first().innerText()).toMatch(/title.*bidirectional control character/i);
    expect(await page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toMatch(/\/incidents\/new$/);
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(hostile);
    expect(errors).toEqual([]);
  });
});
