#!/usr/bin/env node
// End-to-end walkthrough of the web app in Debian's chromium, saving a screenshot per step:
// log an incident, classify, acknowledge, investigate, apply a workaround, resolve, close,
// start a review, fill it, curate the timeline, add a factor, five whys, an action item, publish,
// export Markdown. Signs in as EMAIL / PASSWORD (default: the demo admin).
// Usage: node scripts/walkthrough.mjs [baseUrl] [outDir]. The browser tests (tests/browser.test.ts) cover the same path.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base = 'http://localhost:3000', out = join(import.meta.dirname, '../../../test-output/web/walkthrough')] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(20_000);
const problems = [];
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
let n = 0;
async function shot(name) {
  const file = join(out, `${String(++n).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`step ${n} ${name} -> ${file}`);
}
async function settle() {
  await page.waitForLoadState('load');
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  await page.waitForTimeout(400);
}
async function expectNoFormError(where) {
  const errs = await page.locator('.form-error').allInnerTexts();
  if (errs.length) throw new Error(`${where}: ${errs.join(' | ')}`);
}

try {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(process.env.EMAIL || 'admin@example.com');
  await page.getByLabel('Password').fill(process.env.PASSWORD || 'review-the-incident-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();

  await page.goto(`${base}/incidents/new`);
  await page.getByLabel('Title', { exact: true }).fill('Checkout returns HTTP 502 on card payments');
  await page.getByLabel('Description', { exact: true }).fill('Customers see HTTP 502 at the payment step since 09:40.');
  await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Checkout Web' });
  await page.getByLabel('Impact', { exact: true }).selectOption('1');
  await page.getByLabel('Urgency', { exact: true }).selectOption('1');
  await shot('log-incident-form');
  await page.getByRole('button', { name: 'Log incident' }).click();
  await page.waitForURL(/\/incidents\/INC-\d+/);
  await settle();
  const number = decodeURIComponent(page.url().split('/').pop());
  console.log(`logged ${number}`);
  await shot('incident-new');

  // Classify (the disclosure is open for a NEW incident)
  const classify = page.locator('details', { has: page.locator('summary', { hasText: 'Classify' }) });
  const categorySelect = classify.getByLabel('Category', { exact: true });
  const firstCategory = await categorySelect.locator('option').nth(2).getAttribute('value');
  await categorySelect.selectOption(firstCategory);
  await classify.getByRole('button', { name: 'Save classification' }).click();
  await settle();
  await expectNoFormError('classify');

  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await settle();
  await page.getByRole('button', { name: 'Start investigating' }).click();
  await settle();
  await expectNoFormError('investigate');
  await shot('incident-investigating');

  const apply = page.getByRole('button', { name: /^Apply workaround:/ }).first();
  let applied = false;
  if (await apply.count()) {
    await apply.click();
    await settle();
    await expectNoFormError('apply workaround');
    applied = true;
  }
  const model = page.getByRole('button', { name: /^Apply model:/ }).first();
  if (await model.count()) {
    await model.click();
    await settle();
    await expectNoFormError('apply model');
  }
  await shot('incident-diagnosis');

  await page.locator('summary', { hasText: 'Resolve…' }).click();
  const resolve = page.locator('details', { has: page.locator('summary', { hasText: 'Resolve…' }) });
  await resolve.getByLabel('How was service restored?', { exact: true }).selectOption(applied ? 'WORKAROUND' : 'PERMANENT_FIX');
  if (applied) await resolve.getByLabel('Workaround that restored service', { exact: true }).selectOption({ index: 1 });
  await resolve.getByLabel('Resolution code', { exact: true }).fill('ROLLBACK');
  await resolve.getByLabel('Notes', { exact: true }).fill('Rolled back the payment gateway config.');
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await settle();
  await expectNoFormError('resolve');
  await shot('incident-resolved');

  await page.locator('summary', { hasText: 'Close…' }).click();
  await page.getByLabel('Yes', { exact: true }).check();
  await page.getByRole('button', { name: 'Close…' }).click();
  await page.getByRole('button', { name: 'Yes, close it' }).click();
  await settle();
  await expectNoFormError('close');
  await shot('incident-closed');

  await page.goto(`${base}/reviews/awaiting`);
  await settle();
  await shot('awaiting-review');
  await page.goto(`${base}/incidents/${encodeURIComponent(number)}`);
  await settle();
  await page.getByRole('button', { name: 'Start review' }).click();
  await page.waitForURL(/\/reviews\/[0-9a-f-]{36}$/);
  await settle();
  await shot('review-new');

  const summary = page.locator('#summary');
  await summary
    .getByLabel('Summary', { exact: true })
    .fill('Card payments failed with HTTP 502 for 40 minutes after a gateway configuration change.');
  await summary.getByLabel('Customer impact', { exact: true }).fill('About 1,200 checkouts failed; customers retried or abandoned.');
  await summary.getByLabel('Users affected', { exact: true }).fill('1200');
  await summary.getByLabel('What went well', { exact: true }).fill('Monitoring caught it within 3 minutes.');
  await summary.getByLabel('What went badly', { exact: true }).fill('The change had no canary.');
  await summary.getByLabel('Lessons', { exact: true }).fill('Gateway config changes need a canary stage.');
  await summary.getByRole('button', { name: 'Save review' }).click();
  await settle();
  await expectNoFormError('save review');

  await page.locator('#timeline').getByRole('button', { name: 'Star' }).first().click();
  await settle();
  await page.locator('#timeline').getByRole('button', { name: 'Annotate' }).first().click();
  await page.locator('#timeline').getByLabel('Annotation', { exact: true }).fill('This is where it started.');
  await page.locator('#timeline').getByRole('button', { name: 'Save note' }).click();
  await settle();
  await expectNoFormError('curate');

  await page.locator('#factors summary').click();
  const factors = page.locator('#factors');
  await factors.getByLabel('Kind', { exact: true }).selectOption({ index: 1 });
  await factors.getByLabel('Description', { exact: true }).fill('Configuration change without a canary.');
  await factors.locator('input[name=evidence]').first().check();
  await factors.getByRole('button', { name: 'Add factor' }).click();
  await settle();
  await expectNoFormError('factor');

  const whys = page.locator('#whys');
  await whys.getByLabel('Why 1?', { exact: true }).fill('Why did payments fail?');
  await whys.getByLabel('Because', { exact: true }).fill('The gateway rejected requests after the config change.');
  await whys.getByLabel('A new problem', { exact: true }).check();
  await whys.getByLabel('Problem title', { exact: true }).fill('Gateway config changes are not canaried');
  await whys.getByLabel('Root cause', { exact: true }).fill('Configuration pipeline deploys to all gateways at once.');
  await whys.getByLabel('Root-cause category', { exact: true }).selectOption('CONFIGURATION');
  await whys.getByRole('button', { name: 'Save five whys and root cause' }).click();
  await settle();
  await expectNoFormError('five whys');

  await page.locator('#actions summary').click();
  const actions = page.locator('#actions');
  await actions.getByLabel('Title', { exact: true }).fill('Add a canary stage to the gateway config pipeline');
  await actions.getByLabel('Owner', { exact: true }).selectOption({ index: 1 });
  const due = new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10);
  await actions.getByLabel('Due date', { exact: true }).fill(due);
  await actions.getByRole('button', { name: 'Add action item' }).click();
  await settle();
  await expectNoFormError('action item');
  await shot('review-filled');

  await page.getByRole('button', { name: 'Send to review' }).click();
  await settle();
  await expectNoFormError('send to review');
  await page.getByRole('button', { name: 'Publish' }).click();
  await settle();
  await Promise.race([page.locator('.ok-box', { hasText: 'Published' }).waitFor(), page.locator('.form-error').first().waitFor()]);
  const missing = await page.locator('.form-error').allInnerTexts();
  await shot(missing.length ? 'review-publish-refused' : 'review-published');
  if (missing.length) console.log(`publish refused: ${missing.join(' | ')}`);

  const href = await page.getByRole('link', { name: 'Export Markdown' }).getAttribute('href');
  const md = await page.request.get(base + href);
  const text = await md.text();
  console.log(`export ${md.status()} ${md.headers()['content-disposition']} ${text.length} chars; first line: ${text.split('\n')[0]}`);
  await page.goto(`${base}/incidents/${encodeURIComponent(number)}`);
  await settle();
  await shot('incident-after-review');
} catch (err) {
  await shot('failure');
  console.error(`FAILED: ${err.message}`);
  process.exitCode = 1;
} finally {
  if (problems.length) console.log(problems.join('\n'));
  await browser.close();
}
