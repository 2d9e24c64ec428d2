/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_ADMIN, describeViolations, runAxe, screenshot, seriousOrCritical, settle, type BrowserStack } from './support/browser';
import { describeInChromium, poll, useBrowserStack } from './support/browser-suite';
import { uniq } from './support/uniq';

/**
 * In chromium, what admins tripped over (issue 23): a time zone picked from a list with the
 * keyboard instead of typed, SLA targets entered and read back in hours and minutes with the P1
 * "response longer than resolution" mistake refused next to its field, and a policy retired (after
 * a confirmation dialog) and restored. axe checks each state; screenshots at 1440 and 390 px.
 */

describeInChromium('SLA administration in the web app (chromium)', () => {
  const suite = useBrowserStack({ shots: 'ux-admin', signInAs: DEMO_ADMIN });
  const { shotOnFailure } = suite;
  let stack: BrowserStack;
  let page: Page;
  let errors: string[];
  const policyName = uniq('Gold support');

  beforeAll(() => {
    ({ stack, page, errors } = suite.session());
  });

  async function expectAxeClean(name: string) {
    const violations = await runAxe(page);
    const bad = seriousOrCritical(violations);
    console.log(`[axe] ${name}: ${violations.length} violation(s), ${bad.length} serious or critical`);
    expect(bad, `serious or critical accessibility violations on ${name}:\n${describeViolations(bad)}`).toEqual([]);
  }

  const policyPanel = (): Locator => page.locator('section.panel', { has: page.getByRole('heading', { level: 2, name: policyName }) });
  const policyRow = async () =>
    (
      await stack.api.sql<{ id: string; retired_at: Date | null }>(`select id, retired_at from sla_policies where name = $1`, [policyName])
    )[0];

  it('picks a calendar time zone with the keyboard from a filtered list that shows offsets, and saves it', async () => {
    shotOnFailure('zone');
    await page.goto('/admin/calendars');
    const panel = page.locator('section[aria-labelledby="new-h"]');
    const name = uniq('Kathmandu office');
    await panel.getByLabel('Name', { exact: true }).fill(name);
    const zone = panel.getByLabel('Time zone', { exact: true });
    // The browser's list arrives after hydration, grouped by region.
    await poll(() => zone.locator('optgroup').count()).toBeGreaterThan(5);

    await panel.getByLabel('Filter time zones').focus();
    await page.keyboard.type('kathm');
    await page.keyboard.press('Tab');
    await poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    // Left are the zone chosen so far (the browser's own) and Kathmandu: arrow down to it.
    await poll(() => zone.locator('option').count()).toBeLessThanOrEqual(2);
    for (let i = 0; i < 2 && (await zone.inputValue()) !== 'Asia/Kathmandu'; i++) await page.keyboard.press('ArrowDown');
    await poll(() => zone.inputValue()).toBe('Asia/Kathmandu');
    expect(await zone.locator('option:checked').innerText()).toBe('Kathmandu (UTC+05:45)');
    await expectAxeClean('calendars, zone filtered');

    await panel.getByRole('button', { name: 'Add calendar' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.getByRole('heading', { level: 2, name }).count()).toBe(1);
    const [row] = await stack.api.sql<{ time_zone: string }>(`select time_zone from business_calendars where name = $1`, [name]);
    expect(row!.time_zone).toBe('Asia/Kathmandu');
    const saved = page.locator('section.panel', { has: page.getByRole('heading', { level: 2, name }) });
    await poll(() => saved.locator('.panel-head').innerText()).toContain('Asia/Kathmandu (UTC+05:45 now)');
    // Editing shows the saved zone selected.
    await saved.getByText('Edit hours and holidays').click();
    await poll(() => saved.getByLabel('Time zone', { exact: true }).inputValue()).toBe('Asia/Kathmandu');
    expect(errors).toEqual([]);
  });

  it('refuses a P1 response target longer than the resolution target next to the field, then saves h/min and shows them back', async () => {
    shotOnFailure('targets');
    await page.goto('/admin/sla-policies');
    const form = page.locator('section[aria-labelledby="new-h"] form');
    await form.getByLabel('Name', { exact: true }).fill(policyName);
    const part = (p: number, kind: 'response' | 'resolution', unit: 'days' | 'hours' | 'minutes') =>
      form.getByLabel(`P${p} ${kind} ${unit}`, { exact: true });
    for (const [kind, hours] of [
      ['response', '2'],
      ['resolution', '1'],
    ] as const) {
      await part(1, kind, 'days').fill('0');
      await part(1, kind, 'hours').fill(hours);
      await part(1, kind, 'minutes').fill('0');
    }
    await form.getByRole('button', { name: 'Add policy' }).click();

    const message = 'P1: the response target (2 h) is longer than the resolution target (1 h)';
    const note = form.getByText(message);
    await poll(() => note.isVisible()).toBe(true);
    // Next to the field: the field is marked invalid, described by the message, and has the focus.
    const hours = part(1, 'response', 'hours');
    expect(await hours.getAttribute('aria-invalid')).toBe('true');
    expect(await hours.getAttribute('aria-describedby')).toBe(await note.getAttribute('id'));
    expect(await hours.evaluate((el) => el === document.activeElement)).toBe(true);
    const cell = form.locator('td').filter({ has: page.getByLabel('P1 response hours', { exact: true }) });
    expect(await cell.innerText()).toContain(message);
    expect(await policyRow()).toBeUndefined();
    await expectAxeClean('SLA policies, P1 refused');

    await hours.fill('1');
    await part(1, 'response', 'minutes').fill('30');
    await part(1, 'resolution', 'hours').fill('4');
    await poll(() => cell.innerText()).toContain('= 1 h 30 min');
    await form.getByRole('button', { name: 'Add policy' }).click();
    await poll(() => policyPanel().count()).toBe(1);

    const [saved] = await stack.api.sql<{ targets: Record<string, { responseMinutes: number; resolutionMinutes: number }> }>(
      `select v.targets from sla_policy_versions v join sla_policies p on p.id = v.policy_id where p.name = $1`,
      [policyName],
    );
    expect(saved!.targets['1']).toEqual({ responseMinutes: 90, resolutionMinutes: 240 });
    const p1 = policyPanel().locator('table').first().getByRole('row', { name: /^P1/ });
    expect(await p1.innerText()).toMatch(/1 h 30 min\s+4 h/);
    // The edit form starts from the same hours and minutes.
    await policyPanel().getByText('Edit (new version)').click();
    const edit = policyPanel().locator('form');
    expect(await edit.getByLabel('P1 response hours', { exact: true }).inputValue()).toBe('1');
    expect(await edit.getByLabel('P1 response minutes', { exact: true }).inputValue()).toBe('30');
    expect(await edit.getByLabel('P5 resolution days', { exact: true }).inputValue()).toBe('6');
    expect(errors).toEqual([]);
  });

  it('asks before retiring, refuses while a service uses the policy, then retires and restores it', async () => {
    shotOnFailure('retire');
    await page.goto('/admin/sla-policies');
    await settle(page);
    const serviceSelect = page.getByLabel('SLA policy of Checkout Web', { exact: true });
    await serviceSelect.selectOption({ label: policyName });
    await settle(page);
    await poll(() => policyPanel().innerText()).toContain('Services with this policy: Checkout Web.');

    const dialog = page.getByRole('dialog', { name: `Retire “${policyName}”?` });
    await policyPanel()
      .getByRole('button', { name: `Retire ${policyName}` })
      .click();
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await dialog.innerText()).toContain('Still used by Checkout Web');
    await expectAxeClean('SLA policies, retire dialog');
    await dialog.getByRole('button', { name: 'Retire policy' }).click();
    await poll(() => dialog.getByRole('alert').innerText()).toContain(`"${policyName}" is still used by service "Checkout Web"`);
    // Escape closes it and nothing changed.
    await page.keyboard.press('Escape');
    await poll(() => dialog.isVisible()).toBe(false);
    expect((await policyRow())!.retired_at).toBeNull();

    await page.getByLabel('SLA policy of Checkout Web', { exact: true }).selectOption({ label: 'Default policy' });
    await settle(page);
    await policyPanel()
      .getByRole('button', { name: `Retire ${policyName}` })
      .click();
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Retire policy' }).click();
    await poll(async () => (await policyRow())!.retired_at).not.toBeNull();
    await poll(() => policyPanel().count()).toBe(0);
    const audit = await stack.api.sql(`select 1 from audit_log where operation = 'retireSlaPolicy' and target_id = $1`, [
      (await policyRow())!.id,
    ]);
    expect(audit).toHaveLength(1);
    // Not offered to services any more.
    expect(await page.getByLabel('SLA policy of Checkout Web', { exact: true }).locator('option', { hasText: policyName }).count()).toBe(0);

    await page.getByRole('link', { name: /^Show retired policies \(\d+\)$/ }).click();
    await poll(() => policyPanel().count()).toBe(1);
    expect(await policyPanel().locator('.badge', { hasText: 'Retired' }).count()).toBe(1);
    await expectAxeClean('SLA policies, retired shown');
    await policyPanel()
      .getByRole('button', { name: `Restore ${policyName}` })
      .click();
    await poll(async () => (await policyRow())!.retired_at).toBeNull();
    await poll(() => policyPanel().locator('.badge', { hasText: 'Retired' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('lays the SLA policies page out at 1440 and 390 px without sideways scrolling', async () => {
    shotOnFailure('layout');
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto('/admin/sla-policies');
      await settle(page);
      await screenshot(page, `ux-admin-sla-policies-${width}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `page wider than ${width} px`).toBeLessThanOrEqual(0);
    }
    await expectAxeClean('SLA policies at 390 px');
    await page.setViewportSize({ width: 1366, height: 900 });
  });
});
