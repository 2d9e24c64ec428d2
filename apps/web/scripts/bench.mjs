#!/usr/bin/env node
// `pnpm bench:web`: page-load figures of the built web app on the seeded demo data, in Debian's
// chromium. For each page: time to first contentful paint, time until the charts are drawn (the first
// .recharts-surface in the DOM) where the page has charts, and the compressed JavaScript sent (sum of
// the encoded body sizes of script responses, lazy chunks included, with a cold cache).
//
// By default it starts everything itself: the API (tsx apps/api/src/main.ts) on a fresh embedded
// database in a temporary folder with the demo seed, then the built web app (its own server.mjs, built
// first when .next is stale), the two sharing a random PROXY_SECRET as `pnpm start` does. Options:
//   --runs N          measured loads per page (default 7; one more warm-up load is not counted)
//   --api URL         use a running API (GraphQL URL) instead of starting one; it must hold the demo seed
//   --web URL         use a running web app instead of starting one (then --api is not needed)
//   --json FILE       also write the figures as JSON (default test-output/bench/web.json)
// Exits non-zero when a target is missed: charts drawn within 1500 ms, dashboard JS under 300 KB.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildIfStale } from './build-if-stale.mjs';

const web = fileURLToPath(new URL('..', import.meta.url));
const root = join(web, '../..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(opt('runs', '7'));
const JSON_OUT = opt('json', join(root, 'test-output/bench/web.json'));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ADMIN = { email: 'admin@example.com', password: process.env.DEMO_ADMIN_PASSWORD || 'review-the-incident-2026' };
const TARGET_CHARTS_MS = 1500;
const TARGET_DASHBOARD_JS_KB = 300;
const HAS_DASHBOARD = existsSync(join(web, 'app/(app)/dashboard/page.tsx'));
// Shared by the API and the web app started here, so the API sees each browser's address.
const PROXY_SECRET = process.env.PROXY_SECRET || randomBytes(32).toString('base64url');

const children = [];
const cleanups = [];
async function shutdown() {
  for (const c of children.reverse()) {
    if (c.exitCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
  for (const f of cleanups) f();
}
process.on('SIGINT', () => shutdown().then(() => process.exit(130)));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, what, ms, child) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} did not answer at ${url} within ${ms / 1000} s`);
}

function start(name, argv, cwd, env) {
  const child = spawn(process.execPath, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  child.on('exit', (code) => {
    if (code && code !== 0 && !child.killed) console.error(`[bench] ${name} exited ${code}\n${log.join('').slice(-3000)}`);
  });
  children.push(child);
  return child;
}

async function startApi() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ikb-bench-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const t0 = Date.now();
  const env = {
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    PROXY_SECRET,
  };
  const child = start('api', [join(root, 'apps/api/node_modules/tsx/dist/cli.mjs'), 'src/main.ts'], join(root, 'apps/api'), {
    ...env,
    DATABASE_URL: '',
  });
  await waitFor(`http://127.0.0.1:${port}/readyz`, 'the API', 300_000, child);
  console.log(`[bench] API with the demo seed on an embedded database ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return `http://127.0.0.1:${port}/graphql`;
}

async function startWeb(apiUrl) {
  if (buildIfStale({ log: (l) => console.log(`[bench] ${l}`) }) !== 0) throw new Error('web build failed');
  const port = await freePort();
  const child = start('web', [join(web, 'server.mjs'), '--port', String(port)], web, {
    API_URL: apiUrl,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PROXY_SECRET,
  });
  await waitFor(`http://127.0.0.1:${port}/sign-in`, 'the web app', 60_000, child);
  return `http://localhost:${port}`;
}

async function signIn(base) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($i: SignInInput!) { signIn(input: $i) { csrfToken } }', variables: { i: ADMIN } }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ikb_session='));
  if (!cookie) throw new Error(`sign-in failed: ${await res.text()}`);
  return cookie.split(';')[0].slice('ikb_session='.length);
}

async function gqlAs(base, session, query) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `ikb_session=${session}` },
    body: JSON.stringify({ query }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One cold load: a new context (empty cache) holding only the session cookie. */
async function load(browser, base, session, path, charts) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.addCookies([{ name: 'ikb_session', value: session, url: base, httpOnly: true, secure: true, sameSite: 'Lax' }]);
  // When the first chart surface enters the DOM, relative to the navigation start.
  // And when the last one does (all charts drawn).
  await context.addInitScript(() => {
    let seen = 0;
    new MutationObserver(() => {
      const n = document.querySelectorAll('.recharts-surface').length;
      if (n > seen) {
        seen = n;
        window.__chartsAt ??= performance.now();
        window.__chartsLastAt = performance.now();
        window.__chartsCount = n;
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const response = await page.goto(base + path, { waitUntil: 'load' });
  if (!response || response.status() >= 400) throw new Error(`${path} answered ${response?.status()}`);
  if (new URL(page.url()).pathname.startsWith('/sign-in')) throw new Error(`${path} redirected to sign-in`);
  if (charts) await page.waitForFunction(() => window.__chartsAt !== undefined, null, { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  const m = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    const nav = performance.getEntriesByType('navigation')[0];
    const scripts = performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'script' || /\.js(\?|$)/.test(r.name));
    return {
      fcp,
      chartsAt: window.__chartsAt ?? null,
      allChartsAt: window.__chartsLastAt ?? null,
      chartCount: window.__chartsCount ?? 0,
      ttfb: nav ? nav.responseStart : null,
      domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
      jsEncoded: scripts.reduce((a, r) => a + r.encodedBodySize, 0),
      jsDecoded: scripts.reduce((a, r) => a + r.decodedBodySize, 0),
      jsFiles: scripts.length,
      html: nav ? nav.encodedBodySize : null,
    };
  });
  await context.close();
  if (errors.length) throw new Error(`${path}: ${errors.join('; ')}`);
  return m;
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    console.error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
    process.exit(2);
  }
  let base = opt('web');
  if (!base) base = await startWeb(opt('api') ?? (await startApi()));
  const session = await signIn(base);
  // The incident page measured: the open incident with the longest timeline among the first 50.
  const data = await gqlAs(
    base,
    session,
    '{ incidents(first: 50, filter: { status: [INVESTIGATING, TRIAGED, ON_HOLD, NEW] }) { nodes { number timeline { id } } } }',
  );
  const incident = data.incidents.nodes.sort((a, b) => b.timeline.length - a.timeline.length)[0];
  if (!incident) throw new Error('no open incident in the seed');

  const pages = [
    HAS_DASHBOARD ? { name: 'dashboard', path: '/dashboard', charts: true } : { name: 'home (overview)', path: '/', charts: false },
    {
      name: `incident page (${incident.number}, ${incident.timeline.length} events)`,
      path: `/incidents/${incident.number}`,
      charts: false,
    },
  ];
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
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
  const results = [];
  try {
    for (const p of pages) {
      await load(browser, base, session, p.path, p.charts); // warm-up: the server's first render of the route
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await load(browser, base, session, p.path, p.charts));
      results.push({
        page: p.name,
        path: p.path,
        runs: runs.length,
        fcpMs: median(runs.map((r) => r.fcp)),
        chartsMs: p.charts ? median(runs.map((r) => r.chartsAt)) : null,
        allChartsMs: p.charts ? median(runs.map((r) => r.allChartsAt)) : null,
        charts: p.charts ? median(runs.map((r) => r.chartCount)) : 0,
        ttfbMs: median(runs.map((r) => r.ttfb)),
        domContentLoadedMs: median(runs.map((r) => r.domContentLoaded)),
        jsKbCompressed: median(runs.map((r) => r.jsEncoded)) / 1024,
        jsKbUncompressed: median(runs.map((r) => r.jsDecoded)) / 1024,
        jsFiles: median(runs.map((r) => r.jsFiles)),
        htmlKbCompressed: (median(runs.map((r) => r.html)) ?? 0) / 1024,
        fcpRangeMs: [Math.min(...runs.map((r) => r.fcp)), Math.max(...runs.map((r) => r.fcp))],
      });
    }
  } finally {
    await browser.close();
  }

  const f = (x, d = 0) => (x == null ? '—' : x.toFixed(d));
  const load1 = loadavg()[0];
  console.log(
    `\nweb page loads, median of ${RUNS} cold loads each (new browser context, empty cache), ` +
      `${cpus().length} CPUs, Node ${process.version}, load average ${load1.toFixed(1)} at the end`,
  );
  if (load1 > cpus().length)
    console.log(`(the machine was busy: load average ${load1.toFixed(1)} on ${cpus().length} CPUs; timings are pessimistic)`);
  console.log(
    '| page | first contentful paint | first chart drawn | all charts drawn ' +
      '| TTFB | DOMContentLoaded | JS compressed (files) | JS uncompressed |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.page} | ${f(r.fcpMs)} ms (${f(r.fcpRangeMs[0])}-${f(r.fcpRangeMs[1])}) ` +
        `| ${r.chartsMs == null ? 'no charts' : `${f(r.chartsMs)} ms`} ` +
        `| ${r.allChartsMs == null ? '—' : `${f(r.allChartsMs)} ms (${r.charts})`} ` +
        `| ${f(r.ttfbMs)} ms | ${f(r.domContentLoadedMs)} ms | ${f(r.jsKbCompressed, 1)} KB (${r.jsFiles}) ` +
        `| ${f(r.jsKbUncompressed, 1)} KB |`,
    );
  }
  const failures = [];
  for (const r of results) {
    if (r.allChartsMs != null && r.allChartsMs > TARGET_CHARTS_MS)
      failures.push(`${r.page}: charts drawn in ${f(r.allChartsMs)} ms (target ${TARGET_CHARTS_MS} ms)`);
  }
  const dash = results.find((r) => r.path === '/dashboard');
  if (dash && dash.jsKbCompressed >= TARGET_DASHBOARD_JS_KB)
    failures.push(`dashboard: ${f(dash.jsKbCompressed, 1)} KB of compressed JS (target under ${TARGET_DASHBOARD_JS_KB} KB)`);
  if (!dash) console.log('\n(no /dashboard in this build: the home page is measured instead, and it draws no charts)');
  mkdirSync(dirname(JSON_OUT), { recursive: true });
  writeFileSync(
    JSON_OUT,
    JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        runs: RUNS,
        node: process.version,
        cpus: cpus().length,
        loadAverage: loadavg(),
        results,
        failures,
      },
      null,
      2,
    ),
  );
  console.log(`\nfigures written to ${JSON_OUT}`);
  if (failures.length) {
    console.log(`\nTARGETS MISSED:\n${failures.join('\n')}`);
    process.exitCode = 1;
  } else console.log('\nall targets met');
}

main()
  .catch((err) => {
    console.error(`[bench] ${err.stack ?? err}`);
    process.exitCode = 1;
  })
  .finally(() => shutdown());
