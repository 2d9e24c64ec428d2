import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './support/auth-factories';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * API_WORKERS=2: main.ts migrates once, then runs two API processes on one port, replaces one that
 * dies, and stops them all on SIGTERM. The API runs in its own process on this file's database.
 */

const READY = /\[api (\d+)\] GraphQL API ready at (\S+)\/graphql/;

/**
 * The workers: live processes whose parent is `pid` and that run the API (cluster.fork runs
 * dist/main.js again). Not a zombie left by a worker that died and is not yet reaped, nor any other
 * helper process (an earlier run under tsx counted esbuild's service process as a third worker).
 */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const [state, parent] = readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return Number(parent) === pid && state !== 'Z' && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes('dist/main.js');
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until<T>(what: string, fn: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('API_WORKERS: several API processes on one port', () => {
  let t: TestApp;
  let api: ApiProcess;
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let lines: string[] = [];
  let url = '';
  let token = '';

  beforeAll(async () => {
    t = await startTestApp();
    token = (await t.tokenForRole('ENGINEER')).token;
    // child.pid is the primary, its children the workers.
    api = await startApiProcess(t.app.databaseUrl, { env: { API_WORKERS: '2' }, ready: 2 });
    ({ child, exited, lines, url } = api);
    const ready = lines.map((l) => READY.exec(l)).filter((m) => m !== null);
    expect(new Set(ready.map((m) => m[1])).size).toBe(2);
    // One port for both (node:cluster shares the listening socket).
    expect(new Set(ready.map((m) => m[2])).size).toBe(1);
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await t?.close();
  });

  const logIncident = (title: string) =>
    post<{ logIncident: { id: string; number: string } }>(
      `${url}/graphql`,
      `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id number } }`,
      { input: { title, source: 'MONITORING', impact: 2, urgency: 2 } },
      { authorization: `Bearer ${token}` },
    );

  it('migrated once in the primary, then two workers serve reads and writes on the same port', async () => {
    expect(lines.filter((l) => /starting 2 worker processes/.test(l))).toHaveLength(1);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => logIncident(`Worker check ${i}`)));
    for (const r of results) expect([r.status, r.body.errors]).toEqual([200, undefined]);
    const rows = await t.sql<{ n: number }>(`select count(*)::int as n from incidents where title like 'Worker check %'`);
    expect(rows[0]!.n).toBe(12);
    // Every write went through one transaction with its audit row, whichever worker took it.
    const audit = await t.sql<{ n: number }>(
      `select count(*)::int as n from audit_log where operation = 'logIncident' and target_id::text = any($1)`,
      [results.map((r) => r.body.data!.logIncident.id)],
    );
    expect(audit[0]!.n).toBe(12);
  });

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const workers = childrenOf(child.pid!);
    expect(workers).toHaveLength(2);
    const readyBefore = lines.filter((l) => READY.test(l)).length;
    process.kill(workers[0]!, 'SIGKILL');
    // The other worker answers while the replacement starts. A kept-alive connection to the dead
    // worker is reset: the client retries on a new one (nothing was written by the reset attempt).
    const during = await logIncident('Worker check while one is down').catch(() => logIncident('Worker check while one is down'));
    expect(during.status).toBe(200);
    await until('a replacement worker', () => (lines.filter((l) => READY.test(l)).length > readyBefore ? true : undefined), 90_000);
    expect(lines.some((l) => /worker \d+ \(pid \d+\) exited \(SIGKILL\); starting another/.test(l))).toBe(true);
    const now = childrenOf(child.pid!);
    expect(now).toHaveLength(2);
    expect(now).not.toContain(workers[0]);
    expect((await logIncident('Worker check after replacement')).status).toBe(200);
  }, 120_000);

  it('SIGTERM stops every worker and then the primary, exit code 0', async () => {
    const workers = childrenOf(child.pid!);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workers)
      expect(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')).toBe(false);
  }, 60_000);
});
