import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { startEmbeddedPostgres } from '@ikb/api/src/db/embedded-postgres';
import { migrate, openOrm } from '@ikb/api/src/db/orm';
import { buildZone, rebuildAll } from '@ikb/api/src/features/analytics/analytics.rollups';
import { AuthService } from '@ikb/api/src/features/auth/auth.service';
import { runImportsCli } from '@ikb/api/src/features/imports/imports.cli';
import { generateServiceNowSample } from '@ikb/api/src/features/imports/servicenow/servicenow-sample';
import { analytics, checkDashboard, loadRaw, type Filter } from './support/analytics-factories';
import type { TestApp } from './support/test-app';

/**
 * Figures right after an import: `pnpm cli import` folds its own incidents into the
 * analytics before it commits, so a dashboard opened right after it shows exact figures, with
 * nothing pending, although no API process (and so no background refresher) ran meanwhile.
 *
 * A realistic ServiceNow audit event log (generated: reopen cycles, holds, reassignments, services,
 * problems, long descriptions) is imported with the CLI's own function into a database no API
 * serves; then an API with its refresher switched off answers the dashboard query, which is
 * compared with a brute-force computation over the raw rows (every figure: counts exactly, means
 * to 1e-6, percentiles within the histograms' documented error) and must say pendingChanges 0.
 * A newer export of the same incidents (updates, timelines continued) is imported the same way and
 * checked again; and the rollups the imports folded in must be identical, cell by cell, to what a
 * rebuild from scratch makes.
 */

const SEED = 20261205;
const START = Date.UTC(2025, 0, 1);

interface Db {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on DATABASE_URL's server, or an embedded one. */
async function freshDatabase(): Promise<Db> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const pg = await startEmbeddedPostgres();
    return { url: pg.url, drop: () => pg.stop() };
  }
  const name = `ikb_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = new Client({ connectionString: server });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

let db: Db;
let orm: Awaited<ReturnType<typeof openOrm>>;
let sqlClient: Client;
let dir: string;
let app: RunningApp | undefined;
let older: string;
let newer: string;

const sql = async <T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> =>
  (await sqlClient.query(text, params as unknown[])).rows as T[];

/** `pnpm cli import servicenow <file>` as a function (what cli/main.ts runs), on the test database. */
async function cliImport(file: string): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportsCli('import', ['servicenow', file], (fn) => fn(orm.em.fork()), {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  expect(code, err.join('\n')).toBe(0);
  return out.join('\n');
}

/** The API, started only to read (its background refresher off), with an admin token. */
async function api(): Promise<TestApp> {
  app ??= await startApp({ databaseUrl: db.url, port: 0, seedDemo: false, rateLimitPerMinute: 0, analytics: { intervalMs: 0 } });
  const running = app;
  const auth = new AuthService(running.orm.em.fork());
  const email = `reader-${randomBytes(3).toString('hex')}@example.test`;
  const user = await auth.createUserAccount({ email, name: 'Dashboard reader', role: 'ADMIN' });
  const token = (await auth.createToken({ id: user.id }, 'ADMIN', 'import rollups test')).secret;
  return {
    app: running,
    // A new connection per request: the brute force between two queries can outlast the server's
    // keep-alive timeout, and a reused connection the server is closing answers ECONNRESET.
    gql: (query: string, variables?: Record<string, unknown>) =>
      new Promise((resolve, reject) => {
        const body = JSON.stringify({ query, variables });
        const req = request(
          running.graphqlUrl,
          {
            method: 'POST',
            agent: false,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, ...JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    sql,
  } as unknown as TestApp;
}

/** Every rollup cell, in one digest (zone, key, measures and histograms). */
async function rollupDigest(): Promise<{ digest: string; cells: number }> {
  const [r] = await sql<{ digest: string; cells: number }>(
    `select md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as digest, count(*)::int as cells from analytics.rollups r`,
  );
  return r!;
}

/** Every stored workload span (decision 0009), in one digest. */
async function holdingsDigest(): Promise<{ digest: string; rows: number }> {
  const [r] = await sql<{ digest: string; rows: number }>(
    `select md5(coalesce(string_agg(h::text, '|' order by h::text), '')) as digest, count(*)::int as rows from analytics.workload_spans h`,
  );
  return r!;
}

/** Whole months, cut days at both ends (read from the facts), a filter on one dimension. */
const FILTERS = (serviceId: string): [string, Filter][] => [
  ['UTC, built before the import', { from: '2025-01-09T00:00:00Z', to: '2025-04-21T00:00:00Z', timeZone: 'UTC' }],
  ['Europe/Berlin', { from: '2024-12-31T23:00:00Z', to: '2025-05-10T22:00:00Z', timeZone: 'Europe/Berlin' }],
  ['one service', { from: '2025-01-09T00:00:00Z', to: '2025-04-21T00:00:00Z', timeZone: 'UTC', serviceIds: [serviceId] }],
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ikb-import-rollups-'));
  // ~2,500 update rows, ~200 incidents over four months; the older export stops at each incident's fourth update.
  const sample = generateServiceNowSample(2_500, SEED, { start: START, days: 120 });
  const lines = sample.csv.split('\r\n');
  const seq = lines[0]!.split(',').indexOf('sys_mod_count');
  const rows = lines.slice(1).filter(Boolean);
  // Descriptions hold line breaks inside quotes: split records, not lines (the generator quotes them all).
  const records: string[] = [];
  for (const line of rows) {
    const open = records.length && (records[records.length - 1]!.split('"').length - 1) % 2 === 1;
    if (open) records[records.length - 1] += `\r\n${line}`;
    else records.push(line);
  }
  const seqOf = (record: string) => Number(record.split(',')[seq]);
  expect(records.length).toBe(2_500);
  older = join(dir, 'incident-event-log-march.csv');
  newer = join(dir, 'incident-event-log-may.csv');
  writeFileSync(older, `${[lines[0], ...records.filter((r) => seqOf(r) < 4)].join('\r\n')}\r\n`);
  writeFileSync(newer, sample.csv);

  db = await freshDatabase();
  orm = await openOrm(db.url);
  await migrate(orm);
  sqlClient = new Client({ connectionString: db.url });
  await sqlClient.connect();
  // The dashboard was opened once on the empty database: its zone has (empty) rollups to fold into.
  await buildZone(orm.em, 'UTC');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await sqlClient?.end();
  await orm?.close(true);
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('an import folds its incidents into the analytics before it reports done', () => {
  it('with no API process running, the dashboard right after the import is exact and has nothing pending', async () => {
    const summary = await cliImport(older);
    expect(summary).toMatch(/incidents created: +\d{3}/);
    const [{ incidents, facts, queued }] = await sql<{ incidents: number; facts: number; queued: number }>(
      `select (select count(*)::int from incidents) as incidents, (select count(*)::int from analytics.facts) as facts, (select
        count(*)::int from analytics.queue) as queued`,
    );
    expect(incidents).toBeGreaterThan(150);
    expect(facts, 'every imported incident has its analytics facts').toBe(incidents);
    expect(queued, 'nothing is left for a refresher').toBe(0);
    expect((await rollupDigest()).cells, 'the UTC zone has cells').toBeGreaterThan(0);
    expect((await holdingsDigest()).rows, 'who held the imported incidents and the time logged').toBeGreaterThan(100);

    const t = await api();
    const raw = await loadRaw(t);
    expect(raw.incidents.filter((i) => i.service_id).length).toBeGreaterThan(100);
    expect(raw.incidents.filter((i) => i.reopen_count > 0).length, 'reopen cycles').toBeGreaterThan(0);
    expect(raw.incidents.filter((i) => i.problem_id).length, 'problems').toBeGreaterThan(10);
    const service = raw.incidents.find((i) => i.service_id)!.service_id!;
    for (const [name, f] of FILTERS(service)) {
      const a = await checkDashboard(t, f, raw);
      expect(a.pendingChanges, name).toBe(0);
      expect(a.incidentCount, name).toBeGreaterThan(0);
    }
    expect((await analytics(t, FILTERS(service)[0]![1])).source, 'the unfiltered dashboard reads the rollups').toBe('ROLLUP');
  });

  it('a newer export (updates, timelines continued) is folded in the same way, exactly as a rebuild would make it', async () => {
    const summary = await cliImport(newer);
    expect(summary).toMatch(/incidents updated: +\d{2,}/);
    expect((await sql(`select count(*)::int as n from analytics.queue`))[0].n).toBe(0);

    const t = await api();
    const raw = await loadRaw(t);
    const service = raw.incidents.find((i) => i.service_id)!.service_id!;
    // The Berlin zone was built by the first test's query: the import kept it current too.
    expect((await sql(`select zone from analytics.zones order by zone`)).map((r) => r.zone)).toEqual(['Europe/Berlin', 'UTC']);
    for (const [name, f] of FILTERS(service)) {
      const a = await checkDashboard(t, f, raw);
      expect(a.pendingChanges, name).toBe(0);
    }

    // Cell by cell, what the imports folded in is what a rebuild from every incident makes.
    const folded = await rollupDigest();
    const held = await holdingsDigest();
    await rebuildAll(orm.em);
    expect(await rollupDigest()).toEqual(folded);
    expect(await holdingsDigest(), 'and the same workload spans').toEqual(held);
  });
});
