/**
 * `pnpm bench:start`: how long the API takes from process spawn to ready, and how much memory a
 * process holds, started the way `pnpm start` starts it now (compiled: `node dist/main.js`) and
 * the way it did before (TypeScript through tsx), on an existing database: PostgreSQL from
 * DATABASE_URL and the embedded one (PGlite, in the API's own process) in a data folder. Also the
 * command line's start (`--help`, no database), from source and compiled.
 *
 *   pnpm bench:start [--runs 5] [--variants tsx,compiled] [--databases server,embedded]
 *                    [--requests 500] [--clients 8] [--cli-runs 5] [--json FILE] [--keep]
 *
 * Variants: `tsx` = what `pnpm start` ran before (`node tsx/dist/cli.mjs src/main.ts`: the tsx CLI
 * starts the API in a second Node process, both counted); `tsx-import` = `node --import tsx
 * src/main.ts` (one process, as the tests ran it); `compiled` = `node dist/main.js` (what `pnpm
 * start`, the API workers and the tests run now); `compiled-maps` = the same with
 * --enable-source-maps. tsx runs with its transform cache warm (its usual state after a first start).
 *
 * Preparation (not timed): a scratch database on the DATABASE_URL server (default
 * postgres://postgres@127.0.0.1:5432/postgres; dropped afterwards) and an embedded one in a
 * temporary folder, each migrated and seeded with the demo organisation (360 incidents), plus an
 * admin API token. Then, `--runs` times, every variant on every database, in a rotating order so
 * that the machine's load falls on all of them alike. Each run:
 * - ready: from spawn to the "GraphQL API ready" line on stdout; readyz: to the first 200 from
 *   GET /readyz (polled every 20 ms from spawn); CPU: the process tree's CPU time at ready (less
 *   sensitive than wall time to other work on the machine);
 * - RSS after start: the process tree's resident memory 1 s after ready;
 * - RSS after load: right after `--requests` GraphQL reads (open incidents, an incident with its
 *   timeline, work queue, problems, search) from `--clients` concurrent keep-alive clients;
 *   peak: the tree's VmHWM then.
 * Every figure is printed with the machine's load average (1 minute) when the run started.
 */
import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrate, openOrm } from '../src/db/orm';
import { seedDemo } from '../src/seed/demo-seed';
import { benchPool, benchToken, createDatabase, databaseUrl, dropDatabase, postJson, scratchName } from './bench-db';
import { OPERATIONS as Q } from './operations';
import { request } from 'undici';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    variants: { type: 'string', default: 'tsx,compiled' },
    databases: { type: 'string', default: 'server,embedded' },
    requests: { type: 'string', default: '500' },
    clients: { type: 'string', default: '8' },
    'cli-runs': { type: 'string', default: '5' },
    json: { type: 'string', default: join(__dirname, '../../../test-output/bench/start.json') },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Number(flags.runs);
const REQUESTS = Number(flags.requests);
const CLIENTS = Number(flags.clients);
const CLI_RUNS = Number(flags['cli-runs']);
const API_DIR = join(__dirname, '..');
const TSX_CLI = join(API_DIR, 'node_modules/tsx/dist/cli.mjs');

const VARIANTS: Record<string, string[]> = {
  tsx: [TSX_CLI, 'src/main.ts'],
  'tsx-import': ['--import', 'tsx', 'src/main.ts'],
  compiled: ['dist/main.js'],
  'compiled-maps': ['--enable-source-maps', 'dist/main.js'],
};
const variants = flags.variants.split(',').map((v) => v.trim());
for (const v of variants) if (!VARIANTS[v]) throw new Error(`--variants: unknown "${v}" (${Object.keys(VARIANTS).join(', ')})`);
const databases = flags.databases.split(',').map((d) => d.trim());
for (const d of databases) if (d !== 'server' && d !== 'embedded') throw new Error(`--databases: server or embedded, not "${d}"`);

// ---- /proc ---------------------------------------------------------------------------------------

/** The pid and every descendant of it (the tsx CLI runs the API in a child). */
function tree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU ms (user + system) of a process, from /proc/PID/stat (ticks of 1/100 s). */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

const sum = (pids: number[], f: (p: number) => number) => pids.reduce((a, p) => a + f(p), 0);

// ---- one start -----------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

interface Sample {
  variant: string;
  database: string;
  load: number;
  readyMs: number;
  readyzMs: number;
  cpuMs: number;
  rssStartMb: number;
  rssLoadMb: number;
  peakMb: number;
  processes: number;
  requestsPerS: number;
}

interface Db {
  name: string;
  env: NodeJS.ProcessEnv;
  token: string;
  ids: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function oneStart(variant: string, db: Db): Promise<Sample> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...db.env,
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    NODE_ENV: 'production',
    RATE_LIMIT_PER_MINUTE: '0',
    API_WORKERS: '1',
  };
  if (!db.env.DATABASE_URL) delete env.DATABASE_URL;
  const load = loadavg()[0]!;
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, VARIANTS[variant]!, { cwd: API_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let readyAt = 0;
  let readyCpu = 0;
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      const s = d.toString();
      if (log.length < 20_000) log += s;
      if (!readyAt && /GraphQL API ready at/.test(s)) {
        readyAt = performance.now() - t0;
        readyCpu = sum(tree(child.pid!), cpuMs);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${variant} exited (${code}) before it was ready:\n${log}`)));
  });
  let readyzAt = 0;
  const readyz = (async () => {
    while (!readyzAt) {
      try {
        const r = await request(`http://127.0.0.1:${port}/readyz`);
        await r.body.dump();
        if (r.statusCode === 200) readyzAt = performance.now() - t0;
      } catch {
        // not listening yet
      }
      if (!readyzAt) await sleep(20);
      if (child.exitCode !== null) return;
    }
  })();
  try {
    await ready;
    await readyz;
    await sleep(1000);
    const pids = tree(child.pid!);
    const rssStart = sum(pids, (p) => statusKb(p, 'VmRSS'));
    const t1 = performance.now();
    await loadRequests(`http://127.0.0.1:${port}/graphql`, db);
    const seconds = (performance.now() - t1) / 1000;
    const after = tree(child.pid!);
    return {
      variant,
      database: db.name,
      load,
      readyMs: Math.round(readyAt),
      readyzMs: Math.round(readyzAt),
      cpuMs: readyCpu,
      rssStartMb: rssStart / 1024,
      rssLoadMb: sum(after, (p) => statusKb(p, 'VmRSS')) / 1024,
      peakMb: sum(after, (p) => statusKb(p, 'VmHWM')) / 1024,
      processes: after.length,
      requestsPerS: REQUESTS / seconds,
    };
  } finally {
    const exited = new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

const TERMS = ['vpn', 'checkout 502', 'certificate', 'database replica', 'login', 'email delivery', 'disk full', 'timeout'];

async function loadRequests(url: string, db: Db): Promise<void> {
  const pool = benchPool(url, CLIENTS);
  const path = new URL(url).pathname;
  const headers = { authorization: `Bearer ${db.token}` };
  let next = 0;
  const one = async (i: number) => {
    const pick = i % 5;
    const [query, variables] =
      pick === 0
        ? [Q.openIncidents, {}]
        : pick === 1
          ? [Q.incident, { id: db.ids[i % db.ids.length] }]
          : pick === 2
            ? [Q.workQueue, {}]
            : pick === 3
              ? [Q.problems, {}]
              : [Q.search, { q: TERMS[i % TERMS.length] }];
    const r = await postJson(pool, path, JSON.stringify({ query, variables }), headers);
    if (r.status !== 200 || r.body.errors?.length)
      throw new Error(`request ${i} failed: ${r.status} ${JSON.stringify(r.body.errors ?? r.body).slice(0, 300)}`);
  };
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < REQUESTS) await one(next++);
    }),
  );
  await pool.close();
}

// ---- preparation ---------------------------------------------------------------------------------

async function prepare(orm: Awaited<ReturnType<typeof openOrm>>): Promise<{ token: string; ids: string[] }> {
  await migrate(orm);
  await seedDemo(orm.em.fork(), { incidents: 360 });
  const token = await benchToken(orm);
  const ids = (await orm.em.getConnection().execute<{ id: string }[]>(`select id from incidents order by number limit 50`)).map(
    (r) => r.id,
  );
  return { token, ids };
}

// ---- the command line ----------------------------------------------------------------------------

/** CPU ms of the children this process has waited for (cutime + cstime), from /proc/self/stat. */
function childrenCpuMs(): number {
  const f = readFileSync('/proc/self/stat', 'utf8');
  const fields = f.slice(f.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function cliRuns(): { name: string; wallMs: number[]; cpuMs: number[]; load: number[] }[] {
  const cases: { name: string; args: string[] }[] = [
    {
      name: 'before: node --max-semi-space-size=64 --import tsx src/cli/main.ts --help',
      args: ['--max-semi-space-size=64', '--import', 'tsx', 'src/cli/main.ts', '--help'],
    },
    { name: 'compiled: node dist/cli.js --help', args: ['dist/cli.js', '--help'] },
    { name: 'now: node bin/cli.mjs --help (launcher: build check + compiled CLI)', args: ['bin/cli.mjs', '--help'] },
  ];
  const out = cases.map((c) => ({ name: c.name, wallMs: [] as number[], cpuMs: [] as number[], load: [] as number[] }));
  for (let run = 0; run < CLI_RUNS; run++) {
    cases.forEach((c, i) => {
      for (let attempt = 0; ; attempt++) {
        // Other work may edit the sources meanwhile: the launcher is measured when it finds the build fresh.
        spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale', '--quiet'], { cwd: API_DIR });
        const load = loadavg()[0]!;
        const cpu0 = childrenCpuMs();
        const t0 = performance.now();
        const r = spawnSync(process.execPath, c.args, { cwd: API_DIR, encoding: 'utf8', env: { ...process.env, DEBUG: '' } });
        const wall = performance.now() - t0;
        if (r.status !== 0) throw new Error(`${c.name} failed: ${r.stderr}`);
        if (/\[build\] building/.test(r.stderr) && attempt < 3) continue;
        out[i]!.wallMs.push(Math.round(wall));
        out[i]!.cpuMs.push(childrenCpuMs() - cpu0);
        out[i]!.load.push(load);
        break;
      }
    });
  }
  return out;
}

// ---- report --------------------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const range = (xs: number[], f: (n: number) => string) => `${f(median(xs))} (${f(Math.min(...xs))}-${f(Math.max(...xs))})`;
const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const mb = (n: number) => `${n.toFixed(0)} MB`;

async function main() {
  console.log(
    `bench:start on ${cpus().length}x ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: API_DIR, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the API build failed');

  const dbs: Db[] = [];
  const cleanup: (() => Promise<void>)[] = [];
  try {
    if (databases.includes('server')) {
      const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
      const name = scratchName('ikb_bench_start');
      await createDatabase(serverUrl, name);
      if (!flags.keep) cleanup.push(() => dropDatabase(serverUrl, name));
      const url = databaseUrl(serverUrl, name);
      const orm = await openOrm(url);
      const { token, ids } = await prepare(orm).finally(() => orm.close(true));
      dbs.push({ name: 'DATABASE_URL', env: { DATABASE_URL: url }, token, ids });
      console.log(`prepared ${name} on ${new URL(serverUrl).host}`);
    }
    if (databases.includes('embedded')) {
      const dataDir = mkdtempSync(join(tmpdir(), 'ikb-bench-start-'));
      if (!flags.keep) cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const pg = await startEmbeddedPostgres({ dataDir });
      try {
        const orm = await openOrm(pg.url);
        const { token, ids } = await prepare(orm).finally(() => orm.close(true));
        dbs.push({ name: 'embedded', env: { DATA_DIR: dataDir, DATABASE_URL: '' }, token, ids });
      } finally {
        await pg.stop();
      }
      console.log(`prepared the embedded database in ${dataDir}`);
    }

    const samples: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const db of dbs) {
        // Rotate the order, so no variant always runs first (or last) after a preparation or a pause.
        const order = variants.map((_, i) => variants[(i + run) % variants.length]!);
        for (const v of order) {
          const s = await oneStart(v, db);
          samples.push(s);
          console.log(
            `run ${run + 1} ${db.name.padEnd(12)} ${v.padEnd(13)} load ${s.load.toFixed(2).padStart(5)}  ready ` +
              `${ms(s.readyMs).padStart(9)}  readyz ${ms(s.readyzMs).padStart(9)}  CPU ${ms(s.cpuMs).padStart(9)}  ` +
              `RSS ${mb(s.rssStartMb)} -> ${mb(s.rssLoadMb)} (peak ${mb(s.peakMb)}, ${s.processes} ` +
              `process${s.processes > 1 ? 'es' : ''})  ${s.requestsPerS.toFixed(0)} req/s`,
          );
        }
      }
    }

    console.log(`\nMedian (min-max) of ${RUNS} runs; ${REQUESTS} requests from ${CLIENTS} clients between the two RSS readings`);
    console.log(
      '| database | variant | ready (stdout line) | /readyz 200 | CPU to ready | RSS after start | RSS ' +
        'after load | peak RSS | load average at the runs |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const db of dbs) {
      for (const v of variants) {
        const s = samples.filter((x) => x.database === db.name && x.variant === v);
        console.log(
          `| ${db.name} | ${v} | ${range(
            s.map((x) => x.readyMs),
            ms,
          )} | ${range(
            s.map((x) => x.readyzMs),
            ms,
          )} | ${range(
            s.map((x) => x.cpuMs),
            ms,
          )} | ${range(
            s.map((x) => x.rssStartMb),
            mb,
          )} | ${range(
            s.map((x) => x.rssLoadMb),
            mb,
          )} | ${range(
            s.map((x) => x.peakMb),
            mb,
          )} | ${s.map((x) => x.load.toFixed(1)).join(', ')} |`,
        );
      }
    }

    let cli: ReturnType<typeof cliRuns> = [];
    if (CLI_RUNS > 0) {
      cli = cliRuns();
      console.log(`\nCommand line, \`--help\` (no database), ${CLI_RUNS} runs each, interleaved:`);
      console.log('| command | wall | CPU (all processes) | load average |');
      console.log('| --- | ---: | ---: | --- |');
      for (const c of cli)
        console.log(`| ${c.name} | ${range(c.wallMs, ms)} | ${range(c.cpuMs, ms)} | ${c.load.map((l) => l.toFixed(1)).join(', ')} |`);
    }

    mkdirSync(dirname(flags.json), { recursive: true });
    writeFileSync(
      flags.json,
      `${JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: cpus().length, samples, cli }, null, 1)}\n`,
    );
    console.log(`\n(all samples in ${flags.json})`);
  } finally {
    for (const c of cleanup.reverse()) await c().catch((err) => console.error(`cleanup: ${(err as Error).message}`));
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
