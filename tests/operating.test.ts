/// <reference lib="dom" />
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { generateServiceNowSample } from '@ikb/api/src/features/imports/servicenow/servicenow-sample';
import { checkDashboard, type Filter } from './support/analytics-factories';
import { Browser as ApiSession, post } from './support/auth-factories';
import { HAS_CHROMIUM, NO_CHROMIUM_MESSAGE, ROOT, ensureWebBuild, freePort, launchChromium, settle, watchCsp } from './support/browser';
import { snapshot } from './support/db-snapshot';
import type { TestApp } from './support/test-app';

/**
 * The README's "Operating it" steps, in order, as an operator types them, on
 * an empty database of the server DATABASE_URL names (no demo data): `pnpm start` prints a setup
 * link; its page (chromium) creates the first admin; `pnpm cli import servicenow` imports an export
 * while the API runs; the dashboard is exact at once (every figure against a brute force, nothing
 * pending) and the web app shows it so; an alert source made in the web app receives an alert;
 * `pnpm cli db:backup` then `db:restore` into a new empty database gives the same rows, table by
 * table, and the API on the restored database lets the same admin in.
 */

const SERVER = process.env.DATABASE_URL;
const ADMIN = { email: 'ops.lead@example.test', name: 'Ops Lead', password: 'Harbour-Lantern-Quiet-71' };
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 250 });

if (!HAS_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `pnpm <args>` at the top of the repository, as typed in a shell (no INIT_CWD left by the pnpm that runs vitest). */
function pnpm(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
  delete childEnv.INIT_CWD;
  return new Promise((resolve) => {
    const child = execFile(
      'pnpm',
      args,
      { cwd: ROOT, env: childEnv, encoding: 'utf8', timeout: 300_000, maxBuffer: 20_000_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
        resolve({ code, stdout, stderr: stderr.replace(/^\[build\] .*\n/gm, '') });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function createDatabase(made: string[]): Promise<string> {
  const name = `ikb_operating_${randomBytes(5).toString('hex')}`;
  const c = new Client({ connectionString: SERVER });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  made.push(name);
  const u = new URL(SERVER!);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `pnpm start` with its own process group, so that stopping it stops the API and web servers it started. */
function pnpmStart(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; stop: () => Promise<number | null> } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.INIT_CWD;
  const child = spawn('pnpm', ['start'], { cwd: ROOT, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  child.stdout!.on('data', (d) => out.push(String(d)));
  child.stderr!.on('data', (d) => out.push(String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => out.join(''),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {}
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {}
      }, 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The GraphQL client the analytics checks take: the admin's own API token on this API. */
function tokenClient(graphqlUrl: string, token: string, sql: Client): TestApp {
  return {
    gql: async (query: string, variables?: Record<string, unknown>) => {
      const r = await post(graphqlUrl, query, variables, { authorization: `Bearer ${token}` });
      return { status: r.status, ...r.body };
    },
    sql: async (text: string, params?: unknown[]) => (await sql.query(text, params as unknown[])).rows,
  } as unknown as TestApp;
}

describe.skipIf(!HAS_CHROMIUM || !SERVER)(
  !HAS_CHROMIUM
    ? NO_CHROMIUM_MESSAGE
    : !SERVER
      ? 'operating it: needs DATABASE_URL (a PostgreSQL server), as the README steps do'
      : 'operating it, as the README says, on an empty database',
  () => {
    const made: string[] = [];
    let dir: string;
    let databaseUrl: string;
    let sql: Client;
    let app: ReturnType<typeof pnpmStart> | undefined;
    let apiPort: number;
    let webPort: number;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const errors: string[] = [];
    let apiToken: string;
    let exportFile: string;
    let backupFile: string;
    let restored: RunningApp | undefined;

    const graphqlUrl = () => `http://127.0.0.1:${apiPort}/graphql`;
    const cli = (args: string[], url = databaseUrl, input?: string) => pnpm(['cli', ...args], { DATABASE_URL: url }, input);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ikb-operating-'));
      // A realistic event log of the last seven months: the dashboard's default range (12 months) holds all of it.
      const sample = generateServiceNowSample(1_500, 19, { start: Date.now() - 210 * 86_400_000, days: 180 });
      exportFile = join(dir, 'incident-event-log.csv');
      writeFileSync(exportFile, sample.csv);
      backupFile = join(dir, 'ikb.dump');
      await ensureWebBuild();
      databaseUrl = await createDatabase(made);
      sql = new Client({ connectionString: databaseUrl });
      apiPort = await freePort();
      webPort = await freePort();
      browser = await launchChromium();
      context = await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL: `http://localhost:${webPort}` });
      page = await context.newPage();
      page.setDefaultTimeout(30_000);
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      await watchCsp(page, errors);
    }, 600_000);

    afterAll(async () => {
      await context?.close().catch(() => {});
      await browser?.close().catch(() => {});
      await app?.stop();
      await restored?.close().catch(() => {});
      await sql?.end().catch(() => {});
      if (made.length) {
        const c = new Client({ connectionString: SERVER });
        await c.connect();
        for (const name of made) await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      }
      rmSync(dir, { recursive: true, force: true });
    }, 120_000);

    it('1-2. `pnpm start` on the empty database prints a setup link, whose page creates the first admin', async () => {
      const webUrl = `http://localhost:${webPort}`;
      app = pnpmStart({
        DATABASE_URL: databaseUrl,
        API_PORT: String(apiPort),
        WEB_PORT: String(webPort),
        PUBLIC_WEB_URL: webUrl,
        LOG_LEVEL: 'info',
        RATE_LIMIT_PER_MINUTE: '0',
      });
      const started = app;
      await expect.poll(() => started.output(), { timeout: 240_000, interval: 500 }).toMatch(/Web app: +http:\/\/localhost:\d+/);
      expect(started.child.exitCode, started.output()).toBeNull();
      await sql.connect();
      const [{ incidents }] = (await sql.query(`select count(*)::int as incidents from incidents`)).rows;
      expect(incidents, 'no demo data on a server database').toBe(0);
      const link = new RegExp(`${webUrl.replace(/[.:/]/g, '\\$&')}/setup\\?token=[\\w-]+`).exec(started.output())?.[0];
      expect(link, started.output()).toBeTruthy();
      expect(started.output()).toContain('no admin account yet');

      await page.goto(link!);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Name').fill(ADMIN.name);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      await page.getByLabel('Password again').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Create the admin account' }).click();
      await page.waitForURL((u) => u.pathname === '/', { timeout: 60_000 });
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(await page.locator('.user-role').innerText()).toBe('Admin');

      // The admin's own API token (what a script or this test uses), made from a password session.
      const session = new ApiSession(graphqlUrl());
      const signed = await session.signIn(ADMIN.email, ADMIN.password);
      expect(signed.body.errors, JSON.stringify(signed.body)).toBeUndefined();
      const created = await session.gql<{ createOwnApiToken: { secret: string } }>(
        `mutation { createOwnApiToken(name: "operating test", role: ADMIN) { secret } }`,
      );
      expect(created.body.errors, JSON.stringify(created.body)).toBeUndefined();
      apiToken = created.body.data!.createOwnApiToken.secret;
    }, 400_000);

    it('3. `pnpm cli import servicenow` while the API runs: the dashboard is exact at once, in the API and in the web app', async () => {
      const run = await cli(['import', 'servicenow', exportFile]);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/incidents created: +\d{2,}/);
      const [{ incidents, queued }] = (
        await sql.query(`select (select count(*)::int from incidents) as incidents, (select count(*)::int from analytics.queue) as queued`)
      ).rows;
      expect(incidents).toBeGreaterThan(50);
      expect(queued, 'nothing left for the refresher').toBe(0);

      // Every figure of the dashboard against a brute force over the raw rows, with nothing pending.
      const today = new Date().toISOString().slice(0, 10);
      const filter: Filter = {
        from: new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00Z',
        to: `${today}T00:00:00Z`,
        timeZone: 'UTC',
      };
      filter.to = new Date(Date.parse(filter.to) + 86_400_000).toISOString();
      const a = await checkDashboard(tokenClient(graphqlUrl(), apiToken, sql), filter);
      expect(a.incidentCount).toBe(incidents);

      // The web app's dashboard (default: the last 12 months, UTC) says the same, and nothing about catching up.
      await page.goto('/dashboard');
      await settle(page);
      const html = await page.content();
      expect(html).toContain('data-pending-changes="0"');
      expect(await page.getByTestId('analytics-catching-up').count()).toBe(0);
      expect(await page.locator('main').innerText()).toContain(`${incidents.toLocaleString('en-GB')} incidents opened`);

      // Importing the same file again changes nothing.
      const again = await cli(['import', 'servicenow', exportFile]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/incidents created: +0\b/);
      expect((await sql.query(`select count(*)::int as n from incidents`)).rows[0].n).toBe(incidents);

      // Admin → Imports lists both runs, newest first.
      await page.goto('/admin/imports');
      const rows = page.locator('[data-testid="import-runs"] tbody tr');
      await poll(() => rows.count()).toBe(2);
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-outcome')))).toEqual(['IMPORTED', 'IMPORTED']);
      expect(await rows.nth(1).innerText()).toContain('incident-event-log.csv');
    }, 400_000);

    it('4. an alert source made in the web app receives an alert', async () => {
      await page.goto('/admin/alert-sources');
      const form = page.getByRole('form', { name: 'Add an alert source' });
      await form.getByLabel('Name').fill('Production Alertmanager');
      await form.getByRole('button', { name: 'Add alert source' }).click();
      const box = page.getByTestId('secret-once');
      await box.waitFor();
      const token = await box.locator('input[data-secret]').inputValue();
      expect(token).toMatch(/^ikb_ing_/);
      const before = (await sql.query(`select count(*)::int as n from incidents`)).rows[0].n;
      const sent = await fetch(`http://127.0.0.1:${apiPort}/ingest/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ alerts: [{ title: 'Checkout p99 above 2 s', severity: 'critical', fingerprint: 'checkout/latency' }] }),
      });
      expect(sent.status, await sent.clone().text()).toBe(200);
      expect((await sql.query(`select count(*)::int as n from incidents`)).rows[0].n).toBe(before + 1);
      await page.reload();
      const row = page.locator('tr[data-source="Production Alertmanager"]');
      await row.waitFor();
      await poll(() => row.locator('[data-stat="alertsReceived"]').innerText()).toBe('1');
      expect(await row.locator('[data-stat="incidents"]').innerText()).toBe('1');
      expect(errors).toEqual([]);
    }, 120_000);

    it('5. `pnpm cli db:backup`, then `db:restore` into a new empty database: the same rows, and the same admin signs in', async () => {
      // Stopped first, so that nothing changes between the backup and the comparison (a backup of a running API
      // works too: docs/operations.md).
      await app!.stop();
      app = undefined;
      // The launcher's children may take a moment to go on a loaded machine: the port refuses within 10 s.
      const refused = async () => {
        for (let i = 0; i < 50; i++) {
          if (
            !(await fetch(`http://127.0.0.1:${apiPort}/readyz`).then(
              () => true,
              () => false,
            ))
          )
            return true;
          await new Promise((r) => setTimeout(r, 200));
        }
        return false;
      };
      expect(await refused(), 'the API stopped with pnpm start').toBe(true);
      const backup = await cli(['db:backup', backupFile]);
      expect(backup.code, `${backup.stdout}\n${backup.stderr}`).toBe(0);
      const target = await createDatabase(made);
      const restore = await cli(['db:restore', backupFile], target);
      expect(restore.code, `${restore.stdout}\n${restore.stderr}`).toBe(0);
      const [was, is] = [await snapshot(databaseUrl), await snapshot(target)];
      expect(Object.keys(was).length).toBeGreaterThan(40);
      expect(is).toEqual(was);

      // The API on the restored database: no setup link (the admin is there), the admin and the token work.
      const lines: string[] = [];
      restored = await startApp({
        databaseUrl: target,
        port: 0,
        seedDemo: false,
        rateLimitPerMinute: 0,
        log: (l) => lines.push(l),
        firstAdmin: { publicWebUrl: 'http://localhost:3000' },
      });
      expect(lines.join('\n')).not.toContain('/setup?token=');
      const session = new ApiSession(restored.graphqlUrl);
      expect((await session.signIn(ADMIN.email, ADMIN.password)).body.errors).toBeUndefined();
      const me = await post(
        restored.graphqlUrl,
        `{ me { user { email role } } alertSources { name alertsReceived } }`,
        {},
        { authorization: `Bearer ${apiToken}` },
      );
      expect(me.body.data).toEqual({
        me: { user: { email: ADMIN.email, role: 'ADMIN' } },
        alertSources: [{ name: 'Production Alertmanager', alertsReceived: 1 }],
      });
    }, 400_000);
  },
);
