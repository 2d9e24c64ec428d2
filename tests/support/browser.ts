/// <reference lib="dom" />
// Browser tests: the API in-process on a fresh seeded database (the same harness as the HTTP tests),
// the BUILT web app behind its own server (apps/web/server.mjs; built first when .next is missing or
// stale) pointed at it, and Debian's chromium driven by playwright-core (no browser download).
// Skipped, with the reason, when there is no chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './test-app';

export const ROOT = join(__dirname, '..', '..');
export const WEB_DIR = join(ROOT, 'apps/web');
export const SHOTS_DIR = join(ROOT, 'test-output/browser');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const NO_CHROMIUM_MESSAGE =
  `Browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Install it with \`apt-get install -y ` + `chromium\` (or set CHROMIUM_PATH).`;

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

/**
 * Records every Content-Security-Policy violation of the page in `errors`: Chromium's console
 * message ("Refused to execute inline script ...") and the page's securitypolicyviolation event,
 * so a test that expects no errors also proves the policy let the page work.
 */
export async function watchCsp(page: Page, errors: string[]): Promise<void> {
  page.on('console', (m) => {
    if (/Content Security Policy|securitypolicyviolation/i.test(m.text())) errors.push(`csp: ${m.text()}`);
  });
  // An init script runs outside the page's CSP, before any of the page's own scripts.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `securitypolicyviolation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
}

/** Runs apps/web/scripts/build-if-stale.mjs: `next build` unless .next matches the sources. */
export async function ensureWebBuild(): Promise<{ built: boolean; seconds: number }> {
  const t0 = Date.now();
  const script = join(WEB_DIR, 'scripts/build-if-stale.mjs');
  const out: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [script], {
      cwd: WEB_DIR,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
  /** Whether the process is still running (e.g. after hostile requests). */
  alive: () => boolean;
  close(): Promise<void>;
}

export interface WebOptions {
  /** Shared with the API: the web app then tells the API each browser's address (x-ikb-client-address). */
  proxySecret?: string;
  /** More environment for the web server (TRUSTED_PROXIES, MAX_BODY_BYTES ...); undefined removes a variable. */
  env?: Record<string, string | undefined>;
}

/** The built app behind its own server (apps/web/server.mjs) on a free port, talking to the given API. */
export async function startWeb(apiGraphqlUrl: string, opts: WebOptions = {}): Promise<WebServer> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    API_URL: apiGraphqlUrl,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  // Never inherited: each test says which secret (if any) its web app shares with its API.
  delete env.PROXY_SECRET;
  delete env.TRUSTED_PROXIES;
  if (opts.proxySecret) env.PROXY_SECRET = opts.proxySecret;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // A free port can be taken by another process between freePort() and the server's listen (seen
  // once in a full run: EADDRINUSE): then the server starts again on another one.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      return await launchWeb(port, { ...env, WEB_PORT: String(port) });
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error) || !err.message.includes('EADDRINUSE')) throw err;
    }
  }
}

async function launchWeb(port: number, env: Record<string, string | undefined>): Promise<WebServer> {
  const logs: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [join(WEB_DIR, 'server.mjs'), '--port', String(port)], {
    cwd: WEB_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => logs.push(String(d)));
  child.stderr?.on('data', (d) => logs.push(String(d)));
  // localhost: a secure context, so chromium keeps the API's Secure session cookie over plain http.
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web server exited (${child.exitCode}):\n${logs.join('')}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/sign-in`);
      if (r.status === 200) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`the web server did not answer within 60 s:\n${logs.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    logs: () => logs.join(''),
    alive: () => child.exitCode === null && child.signalCode === null,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
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

/** A PROXY_SECRET for one test's API and web app, as `pnpm start` makes one. */
export function newProxySecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function startBrowserStack(opts: { proxySecret?: string } = {}): Promise<BrowserStack> {
  const build = await ensureWebBuild();
  const proxySecret = opts.proxySecret ?? newProxySecret();
  let t0 = Date.now();
  const api = await startTestApp({ seedDemo: true, proxySecret });
  const apiSeconds = (Date.now() - t0) / 1000;
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  try {
    t0 = Date.now();
    web = await startWeb(api.app.graphqlUrl, { proxySecret });
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
        await watchCsp(page, errors);
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
  // Present, not visible: below 60rem the user menu sits behind the header's Menu button.
  await page.locator('.user-menu').first().waitFor({ state: 'attached' });
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
  // Evaluated through the DevTools protocol, not an inline <script>: the page's CSP would refuse that.
  await page.evaluate(AXE_SOURCE());
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })),
    }));
  });
}

export function seriousOrCritical(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} ${n.html}`).join('\n')}`)
    .join('\n');
}

export interface FakeApiRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The GraphQL operation's name (operationName, or the first name in the query). */
  operation: string | null;
}

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Drop the connection instead of answering (an API that went away). */
  destroy?: boolean;
}

export interface FakeApi {
  graphqlUrl: string;
  requests: FakeApiRequest[];
  /** Answers each request; by default `me` is signed out and everything else an empty result. */
  answer: (req: FakeApiRequest) => FakeAnswer;
  close(): Promise<void>;
}

/** A signed-out `me` as the API answers it. */
export const SIGNED_OUT_ME = { data: { me: { role: null, csrfToken: null, authMethod: null, user: null } } };

/**
 * A stand-in for the API on a free port: records what the web server sends it (headers included)
 * and answers what the test says, so the web app's side of a contract is tested on its own.
 */
export async function startFakeApi(): Promise<FakeApi> {
  const fake: FakeApi = {
    graphqlUrl: '',
    requests: [],
    answer: (req) => (req.operation === 'Me' ? { body: SIGNED_OUT_ME } : { body: { data: null } }),
    close: async () => {},
  };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let operation: string | null = null;
      try {
        const parsed = JSON.parse(body) as { operationName?: string; query?: string };
        operation = parsed.operationName ?? /\b(?:query|mutation)\s+(\w+)/.exec(parsed.query ?? '')?.[1] ?? null;
      } catch {}
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, operation };
      fake.requests.push(request);
      const a = fake.answer(request);
      if (a.destroy) return void req.socket.destroy();
      // A string is sent as it is (text/plain), like a load balancer's own error page.
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? { data: null });
      res.writeHead(a.status ?? 200, { 'content-type': typeof a.body === 'string' ? 'text/plain' : 'application/json', ...a.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  fake.graphqlUrl = `http://127.0.0.1:${port}/graphql`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
