/// <reference lib="dom" />
// Browser tests: the API in-process on a fresh seeded database (the same harness as the HTTP tests),
// the BUILT web app (`next start`, built first when .next is missing or stale) pointed at it, and
// Debian's chromium driven by playwright-core (no browser download). Skipped, with the reason,
// when there is no chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './test-app';

export const ROOT = join(__dirname, '..', '..');
export const WEB_DIR = join(ROOT, 'apps/web');
export const SHOTS_DIR = join(ROOT, 'test-output/browser');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const NO_CHROMIUM_MESSAGE = `Browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`;

/** The flags from STACK.md: headless, no sandbox (root), nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const DEMO_ADMIN = { email: 'admin@example.com', password: process.env.DEMO_ADMIN_PASSWORD || 'review-the-incident-2026' };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs apps/web/scripts/build-if-stale.mjs: `next build` unless .next matches the sources. */
export async function ensureWebBuild(): Promise<{ built: boolean; seconds: number }> {
  const t0 = Date.now();
  const script = join(WEB_DIR, 'scripts/build-if-stale.mjs');
  const out: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: WEB_DIR, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => out.push(String(d)));
    child.stderr.on('data', (d) => out.push(String(d)));
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const log = out.join('');
  if (code !== 0) throw new Error(`The web build failed (exit ${code}):\n${log.slice(-4000)}`);
  return { built: !log.includes('no build needed'), seconds: (Date.now() - t0) / 1000 };
}

export interface WebServer {
  url: string;
  port: number;
  logs: () => string;
  close(): Promise<void>;
}

/** `next start` of the built app on a free port, talking to the given API. */
export async function startWeb(apiGraphqlUrl: string): Promise<WebServer> {
  const port = await freePort();
  const logs: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [join(WEB_DIR, 'scripts/next.mjs'), 'start', '--port', String(port)], {
    cwd: WEB_DIR,
    env: { ...process.env, API_URL: apiGraphqlUrl, WEB_PORT: String(port), NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => logs.push(String(d)));
  child.stderr?.on('data', (d) => logs.push(String(d)));
  // localhost: a secure context, so chromium keeps the API's Secure session cookie over plain http.
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${logs.join('')}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/sign-in`);
      if (r.status === 200) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${logs.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    logs: () => logs.join(''),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface BrowserStack {
  api: TestApp;
  web: WebServer;
  browser: Browser;
  timings: { buildSeconds: number; built: boolean; apiSeconds: number; webSeconds: number };
  /** A new browser context (its own cookies) with a page that records page errors. */
  newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function startBrowserStack(): Promise<BrowserStack> {
  const build = await ensureWebBuild();
  let t0 = Date.now();
  const api = await startTestApp({ seedDemo: true });
  const apiSeconds = (Date.now() - t0) / 1000;
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  try {
    t0 = Date.now();
    web = await startWeb(api.app.graphqlUrl);
    const webSeconds = (Date.now() - t0) / 1000;
    browser = await launchChromium();
    const b = browser;
    const w = web;
    const contexts: BrowserContext[] = [];
    return {
      api,
      web,
      browser,
      timings: { buildSeconds: build.seconds, built: build.built, apiSeconds, webSeconds },
      async newPage() {
        const context = await b.newContext({ viewport: { width: 1366, height: 900 }, baseURL: w.url });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
        return { context, page, errors };
      },
      async close() {
        for (const c of contexts) await c.close().catch(() => {});
        await b.close().catch(() => {});
        await w.close();
        await api.close();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await web?.close().catch(() => {});
    await api.close().catch(() => {});
    throw err;
  }
}

export function shotPath(name: string): string {
  mkdirSync(SHOTS_DIR, { recursive: true });
  return join(SHOTS_DIR, `${name}.png`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = shotPath(name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Waits until no control says it is busy and the page has settled after a refresh. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  // Let React commit what the last click started (busy controls carry aria-busy until the page refreshed).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 60_000 });
  await page.waitForTimeout(250);
}

export async function signIn(page: Page, email: string, password: string, next = '/'): Promise<void> {
  await page.goto(next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

const AXE_SOURCE = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core in the page (WCAG 2.x A and AA rules plus best practices); returns the violations. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE() });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })) }));
  });
}

export function seriousOrCritical(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} ${n.html}`).join('\n')}`).join('\n');
}
