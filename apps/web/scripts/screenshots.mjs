#!/usr/bin/env node
// Screenshots of pages of a running web app, with Debian's chromium (no browser download).
// Usage: node scripts/screenshots.mjs [baseUrl] [outDir] path[=name] ...
// Default base http://localhost:3000, out ../../test-output/web. Fails on a page that answers >= 500.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base = 'http://localhost:3000', out = join(import.meta.dirname, '../../../test-output/web'), ...paths] = process.argv.slice(2);
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
{
  // Signed in as EMAIL / PASSWORD (default: the demo admin); the session cookie stays in the context.
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(process.env.EMAIL || 'admin@example.com');
  await page.getByLabel('Password').fill(process.env.PASSWORD || 'review-the-incident-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.close();
}
let failed = 0;
for (const spec of paths.length ? paths : ['/']) {
  const [path, name = path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'] = spec.split('=');
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  const t0 = Date.now();
  const res = await page.goto(base + path, { waitUntil: 'load' });
  await page.waitForTimeout(800);
  const ms = Date.now() - t0;
  const file = join(out, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const status = res?.status() ?? 0;
  if (status >= 500) failed++;
  console.log(`${status} ${ms}ms ${path} -> ${file}${errors.length ? `\n  console errors: ${errors.join(' | ')}` : ''}`);
  await page.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
