#!/usr/bin/env node
// `pnpm bench:web`: page-load figures of the built web app on the seeded demo data, in Debian's
// chromium. For each page: time to first contentful paint, time until the charts of the first
// screen are drawn (every chart card whose top is inside the 1366 x 900 viewport holds its SVG;
// cards further down are drawn as they are scrolled to), and the compressed JavaScript sent (sum of
// the encoded body sizes of script responses, lazy chunks included, with a cold cache). And where the
// time goes: the API's own time for the page's operations, the server's time to first byte, the
// main thread's script time (CDP Performance metrics) and the time from DOMContentLoaded to charts.
//
// It measures on a settled machine: before the first load it waits until the seed's analytics are
// folded in (pendingChanges 0) and the 1-minute load average has come down (below the CPU count, or
// no longer falling, at most --settle seconds), and it reports the load average at both ends.
//
// By default it starts everything itself: the API (tsx apps/api/src/main.ts) on a fresh embedded
// database in a temporary folder with the demo seed, then the built web app (its own server.mjs, built
// first when .next is stale), the two sharing a random PROXY_SECRET as `pnpm start` does. Options:
//   --runs N          measured loads per page (default 7; one more warm-up load is not counted)
//   --api URL         use a running API (GraphQL URL) instead of starting one; it must hold the demo seed
//   --web URL         use a running web app instead of starting one (then --api is not needed)
//   --json FILE       also write the figures as JSON (default test-output/bench/web.json)
//   --baseline DIR    another checkout (e.g. a worktree of main): its built web app is started on the
//                     same API and loaded alternately with this one, page by page; the ratio is reported
//   --settle S        longest wait for the load average to settle (default 180)
// Exits non-zero when a target is missed: first-screen charts drawn within 1500 ms, dashboard JS under 300 KB.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
const BASELINE = opt('baseline');
const SETTLE_S = Number(opt('settle', '180'));
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
  await waitFor(`http://127.0.0.1:${port}/readyz`, 'the API', 900_000, child);
  console.log(`[bench] API with the demo seed on an embedded database ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return `http://127.0.0.1:${port}/graphql`;
}

async function startWeb(apiUrl, dir = web) {
  if (dir === web) {
    if (buildIfStale({ log: (l) => console.log(`[bench] ${l}`) }) !== 0) throw new Error('web build failed');
  } else {
    const r = spawnSync(process.execPath, [join(dir, 'scripts/build-if-stale.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`baseline web build failed (${dir})`);
  }
  const port = await freePort();
  const child = start(dir === web ? 'web' : 'baseline web', [join(dir, 'server.mjs'), '--port', String(port)], dir, {
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

async function gqlAs(base, session, query, variables) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `ikb_session=${session}` },
    body: JSON.stringify({ query, variables }),
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
  // When each chart card gets its chart (its first SVG surface), relative to the navigation start;
  // and when the first and the last surface of any kind appear.
  await context.addInitScript(() => {
    let seen = 0;
    window.__cardAt = {};
    new MutationObserver(() => {
      const n = document.querySelectorAll('.recharts-surface').length;
      if (n > seen) {
        seen = n;
        window.__chartsAt ??= performance.now();
        window.__chartsLastAt = performance.now();
        window.__chartsCount = n;
        for (const card of document.querySelectorAll('[data-chart]')) {
          const id = card.getAttribute('data-chart');
          if (window.__cardAt[id] === undefined && card.querySelector('.recharts-surface')) window.__cardAt[id] = performance.now();
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const response = await page.goto(base + path, { waitUntil: 'load' });
  if (!response || response.status() >= 400) throw new Error(`${path} answered ${response?.status()}`);
  if (new URL(page.url()).pathname.startsWith('/sign-in')) throw new Error(`${path} redirected to sign-in`);
  if (charts) {
    // Every card of the first screen (top inside the viewport) drawn; the empty ones (no data to draw) count as drawn.
    await page.waitForFunction(
      () => {
        // Builds that draw every card after hydration only have placeholders (no data-chart) until then.
        const first = [...document.querySelectorAll('[data-chart]')].filter((c) => c.getBoundingClientRect().top < window.innerHeight);
        return (
          first.length > 0 && first.every((c) => window.__cardAt[c.getAttribute('data-chart')] !== undefined || c.querySelector('.empty'))
        );
      },
      null,
      { timeout: 30_000 },
    );
  }
  await page.waitForLoadState('networkidle');
  const perf = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
  const m = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    const nav = performance.getEntriesByType('navigation')[0];
    const scripts = performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'script' || /\.js(\?|$)/.test(r.name));
    const cards = [...document.querySelectorAll('[data-chart]')];
    const first = cards.filter((c) => c.getBoundingClientRect().top < window.innerHeight).map((c) => c.getAttribute('data-chart'));
    const firstAt = first.map((id) => window.__cardAt[id]).filter((x) => x !== undefined);
    return {
      fcp,
      chartsAt: window.__chartsAt ?? null,
      allChartsAt: window.__chartsLastAt ?? null,
      firstScreenAt: firstAt.length ? Math.max(...firstAt) : null,
      firstScreenCards: first.length,
      cards: cards.length,
      cardsDrawn: Object.keys(window.__cardAt).length,
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
  return {
    ...m,
    scriptMs: (perf.ScriptDuration ?? 0) * 1000,
    taskMs: (perf.TaskDuration ?? 0) * 1000,
    layoutMs: (perf.LayoutDuration ?? 0) * 1000,
  };
}

/** The dashboard's own operations, as the page sends them with its default view (last 12 months, UTC, by month). */
function dashboardOperations() {
  const text = readFileSync(join(web, 'graphql/analytics.graphql'), 'utf8');
  const today = new Date();
  const start = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate() + 1));
  const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1));
  const filter = { from: start.toISOString(), to: end.toISOString(), timeZone: 'UTC' };
  return [
    { name: 'Dashboard', query: text, variables: { filter, bucket: 'MONTH', stackBy: 'PRIORITY' } },
    { name: 'DashboardFilterOptions', query: text, variables: {} },
  ].filter((op) => text.includes(`query ${op.name}(`) || text.includes(`query ${op.name} {`));
}

async function timeOperations(base, session, runs) {
  const out = [];
  for (const op of dashboardOperations()) {
    const ms = [];
    for (let i = 0; i < runs + 1; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `ikb_session=${session}` },
        body: JSON.stringify({ query: op.query, operationName: op.name, variables: op.variables }),
      });
      const body = await res.json();
      if (body.errors) throw new Error(`${op.name}: ${JSON.stringify(body.errors)}`);
      if (i > 0) ms.push(performance.now() - t0);
    }
    out.push({ operation: op.name, medianMs: median(ms) });
  }
  return out;
}

/**
 * Waits for a settled machine: the seed's analytics folded in (the API's background refresh
 * otherwise competes with the browser), then the 1-minute load average below the CPU count or no
 * longer falling over 20 s, for at most SETTLE_S seconds.
 */
async function settle(base, session) {
  const t0 = Date.now();
  // pendingChanges counts the queue whatever the range (the API allows at most 3,700 days).
  const day = 86_400_000;
  const range = `from: "${new Date(Date.now() - 3000 * day).toISOString()}", to: "${new Date(Date.now() + day).toISOString()}"`;
  const q = `{ analytics(filter: { ${range} }) { pendingChanges } }`;
  for (;;) {
    const pending = (await gqlAs(base, session, q)).analytics.pendingChanges;
    if (pending === 0) break;
    if (Date.now() - t0 > 600_000) throw new Error(`the analytics still had ${pending} changes to fold in after 10 minutes`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const folded = (Date.now() - t0) / 1000;
  const cores = cpus().length;
  const t1 = Date.now();
  let previous = loadavg()[0];
  while (loadavg()[0] > cores && Date.now() - t1 < SETTLE_S * 1000) {
    await new Promise((r) => setTimeout(r, 20_000));
    const now = loadavg()[0];
    if (now >= previous - 0.1) break;
    previous = now;
  }
  const load = loadavg()[0];
  console.log(
    `[bench] analytics folded in after ${folded.toFixed(0)} s; waited ${((Date.now() - t1) / 1000).toFixed(0)} s more for the load ` +
      `average: ${load.toFixed(1)} on ${cores} CPUs when measuring starts`,
  );
  return load;
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    console.error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
    process.exit(2);
  }
  let base = opt('web');
  let baseline = null;
  if (!base) {
    const api = opt('api') ?? (await startApi());
    base = await startWeb(api);
    if (BASELINE) baseline = await startWeb(api, join(resolve(BASELINE), 'apps/web'));
  }
  const session = await signIn(base);
  // The incident page measured: the open incident with the longest timeline among the first 50.
  const data = await gqlAs(
    base,
    session,
    '{ incidents(first: 50, filter: { status: [INVESTIGATING, TRIAGED, ON_HOLD, NEW] }) { nodes { number timeline { id } } } }',
  );
  const incident = data.incidents.nodes.sort((a, b) => b.timeline.length - a.timeline.length)[0];
  if (!incident) throw new Error('no open incident in the seed');
  const loadAtStart = await settle(base, session);
  const operations = HAS_DASHBOARD ? await timeOperations(base, session, RUNS) : [];

  const pages = [
    HAS_DASHBOARD ? { name: 'dashboard', path: '/dashboard', charts: true } : { name: 'home (overview)', path: '/', charts: false },
    {
      name: `incident page (${incident.number}, ${incident.timeline.length} events)`,
      path: `/incidents/${incident.number}`,
      charts: false,
    },
  ];
  const targets = [{ name: 'this build', base }, ...(baseline ? [{ name: `baseline (${BASELINE})`, base: baseline }] : [])];
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
      const runs = new Map(targets.map((t) => [t.name, []]));
      for (const t of targets) await load(browser, t.base, session, p.path, p.charts); // warm-up: the server's first render
      // Alternately, so that both see the same machine.
      for (let i = 0; i < RUNS; i++) for (const t of targets) runs.get(t.name).push(await load(browser, t.base, session, p.path, p.charts));
      for (const t of targets) results.push(summarise(p, t.name, runs.get(t.name)));
    }
  } finally {
    await browser.close();
  }

  const f = (x, d = 0) => (x == null ? '—' : x.toFixed(d));
  const load1 = loadavg()[0];
  console.log(
    `\nweb page loads, median of ${RUNS} cold loads each (new browser context, empty cache), ` +
      `${cpus().length} CPUs, Node ${process.version}, ` +
      `load average ${loadAtStart.toFixed(1)} at the start, ${load1.toFixed(1)} at the end`,
  );
  if (load1 > cpus().length)
    console.log(`(the machine was busy: load average ${load1.toFixed(1)} on ${cpus().length} CPUs; timings are pessimistic)`);
  const ops = operations.map((o) => `${o.operation} ${f(o.medianMs)} ms`).join(', ');
  if (operations.length) console.log(`API time of the dashboard's operations (median of ${RUNS}): ${ops}`);
  console.log(
    '| page | build | first contentful paint | first chart drawn | first-screen charts drawn | last surface (cards drawn) ' +
      '| TTFB | DOMContentLoaded | script (main thread) | JS compressed (files) | JS uncompressed |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const range = r.firstScreenRangeMs ? `${f(r.firstScreenRangeMs[0])}-${f(r.firstScreenRangeMs[1])}` : '';
    console.log(
      `| ${r.page} | ${r.target} | ${f(r.fcpMs)} ms (${f(r.fcpRangeMs[0])}-${f(r.fcpRangeMs[1])}) ` +
        `| ${r.chartsMs == null ? 'no charts' : `${f(r.chartsMs)} ms`} ` +
        `| ${r.firstScreenMs == null ? '—' : `${f(r.firstScreenMs)} ms (${r.firstScreenCards} cards; ${range})`} ` +
        `| ${r.allChartsMs == null ? '—' : `${f(r.allChartsMs)} ms (${r.cardsDrawn} of ${r.cards})`} ` +
        `| ${f(r.ttfbMs)} ms | ${f(r.domContentLoadedMs)} ms | ${f(r.scriptMs)} ms | ${f(r.jsKbCompressed, 1)} KB (${r.jsFiles}) ` +
        `| ${f(r.jsKbUncompressed, 1)} KB |`,
    );
  }
  const mine = results.filter((r) => r.target === 'this build');
  if (baseline)
    for (const r of mine) {
      const b = results.find((x) => x.path === r.path && x.target !== r.target);
      if (r.firstScreenMs != null && b?.firstScreenMs)
        console.log(`ratio ${r.page}: first-screen charts ${(r.firstScreenMs / b.firstScreenMs).toFixed(2)} x the baseline's`);
      if (b?.fcpMs) console.log(`ratio ${r.page}: FCP ${(r.fcpMs / b.fcpMs).toFixed(2)} x the baseline's`);
    }
  const failures = [];
  for (const r of mine) {
    if (r.firstScreenMs != null && r.firstScreenMs > TARGET_CHARTS_MS)
      failures.push(`${r.page}: first-screen charts drawn in ${f(r.firstScreenMs)} ms (target ${TARGET_CHARTS_MS} ms)`);
  }
  const dash = mine.find((r) => r.path === '/dashboard');
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
        loadAverageAtStart: loadAtStart,
        loadAverage: loadavg(),
        operations,
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

function summarise(p, target, runs) {
  const med = (k) => median(runs.map((r) => r[k]));
  return {
    page: p.name,
    target,
    path: p.path,
    runs: runs.length,
    fcpMs: med('fcp'),
    chartsMs: p.charts ? med('chartsAt') : null,
    firstScreenMs: p.charts ? med('firstScreenAt') : null,
    firstScreenRangeMs: p.charts ? [Math.min(...runs.map((r) => r.firstScreenAt)), Math.max(...runs.map((r) => r.firstScreenAt))] : null,
    firstScreenCards: p.charts ? med('firstScreenCards') : 0,
    allChartsMs: p.charts ? med('allChartsAt') : null,
    cards: med('cards'),
    cardsDrawn: med('cardsDrawn'),
    charts: p.charts ? med('chartCount') : 0,
    ttfbMs: med('ttfb'),
    domContentLoadedMs: med('domContentLoaded'),
    scriptMs: med('scriptMs'),
    taskMs: med('taskMs'),
    jsKbCompressed: med('jsEncoded') / 1024,
    jsKbUncompressed: med('jsDecoded') / 1024,
    jsFiles: med('jsFiles'),
    htmlKbCompressed: (med('html') ?? 0) / 1024,
    fcpRangeMs: [Math.min(...runs.map((r) => r.fcp)), Math.max(...runs.map((r) => r.fcp))],
    raw: runs.map((r) => ({ fcp: r.fcp, firstScreen: r.firstScreenAt, lastSurface: r.allChartsAt, ttfb: r.ttfb, script: r.scriptMs })),
  };
}

main()
  .catch((err) => {
    console.error(`[bench] ${err.stack ?? err}`);
    process.exitCode = 1;
  })
  .finally(() => shutdown());
