import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrate, openOrm } from '../src/db/orm';
import { buildZone, rebuildAll } from '../src/features/analytics/analytics.rollups';
import { csvLine } from '../src/features/imports/file/csv';
import { importFile, type ImportProgress } from '../src/features/imports/import-file';
import {
  dmy,
  EVENT_LOG_COLUMNS,
  generateServiceNowSample,
  LEVEL,
  MATRIX,
  Prng,
  PRIORITY,
} from '../src/features/imports/servicenow/servicenow-sample';
import { generateTableApiSample } from '../src/features/imports/servicenow/servicenow-table-api-sample';
import { loadMappingFile } from '../src/features/imports/file/mapping';
import { generateJiraCsvSample } from './jira-csv-sample';

/**
 * pnpm bench:import — imports a generated ServiceNow audit event log (120,000 rows) into an EMPTY
 * PostgreSQL database and times it, several times, each into a new database; the median is the
 * figure, against a 10 s target. Then imports the same file again (everything unchanged) and checks
 * the counts and the analytics.
 *
 *   --mode cli|function  cli (default): the real command as a user types it, `pnpm cli import
 *                   servicenow <file>` from the repository root, as a child process, timed from
 *                   spawn to exit (process start, migrations check, reading, parsing, rebuilding,
 *                   writing, folding into the analytics, commit, exit), with its phases (the child
 *                   writes them to IKB_IMPORT_PHASES_FILE); function: importFile in this process
 *   --data realistic|event-log|simple|table-api  realistic (default): 5-30 updates per incident (~9,700
 *                   incidents), thousands of callers and assignees, 300 groups, 150 categories with
 *                   3,000 subcategories, 120 services, reopen cycles, holds, and the texts a fuller
 *                   export repeats on every row: titles, descriptions (median 250 characters, up to
 *                   4,000), close notes (servicenow-sample.ts, 113 MB); event-log: the same incidents
 *                   in the public event log's 36 columns only (no texts, no services; 39 MB);
 *                   simple: the simple file, 6 rows per incident in five patterns (36 MB); table-api: the
 *                   realistic incidents as ServiceNow's Table API JSON (sysparm_display_value=all), one
 *                   record per incident (its last state), as `import servicenow <file.json>` reads it;
 *                   jira: the same incidents as a Jira Cloud CSV export (jira-csv-sample.ts), imported by
 *                   `import csv <file> --mapping apps/api/import-mappings/jira-service-management.json`
 *   --rows N        rows to generate (default 120000)
 *   --seed N        generator seed (default 20261205; simple: 20261127)
 *   --file F        import this file instead of generating one
 *   --runs N        imports, each into a new empty database; the median is the figure (default 3)
 *   --zones Z,...   analytics time zones built in each database before the import, as the dashboard
 *                   builds them on first use (default UTC; "" for none): the import folds its incidents
 *                   into their rollups
 *   --verify        after the last run, rebuild the analytics from scratch and require the same rollups
 *   --database URL  server to create the databases on (default DATABASE_URL, else
 *                   postgres://postgres@127.0.0.1:5432/postgres)
 *   --embedded      an in-memory embedded PostgreSQL (PGlite) instead (function mode only)
 *   --target S      fail when the median takes longer (default 10 seconds)
 *   --keep          keep the databases
 *
 * It reports the machine's load (load averages, CPU pressure) before each run: on a shared
 * machine the wall time follows the load, the CPU seconds much less.
 */

const ROOT = resolve(__dirname, '../../..');
const JIRA_MAPPING = join(ROOT, 'apps/api/import-mappings/jira-service-management.json');
const DATA_FILE: Record<string, string> = { 'table-api': 'servicenow-incidents.json', jira: 'jira-incidents.csv' };

/** What importFile is given for the data (function mode): Jira's CSV goes with the shipped mapping. */
function importKind(data: string) {
  return data === 'jira' ? { kind: 'csv' as const, mapping: loadMappingFile(JIRA_MAPPING) } : { kind: 'servicenow' as const };
}

// ---------------------------------------------------------------------------------------------
// The simple file: six rows per incident in five patterns, no texts.

type Step = { state: string; dt: number; reassign?: boolean; raise?: boolean };
/** Six rows per incident; the shapes of real tickets: holds, reassignments, reopens, open ones. */
const TEMPLATES: Step[][] = [
  [
    { state: 'New', dt: 5 },
    { state: 'Active', dt: 30 },
    { state: 'Active', dt: 90, raise: true },
    { state: 'Awaiting User Info', dt: 120 },
    { state: 'Resolved', dt: 600 },
    { state: 'Closed', dt: 7200 },
  ],
  [
    { state: 'New', dt: 3 },
    { state: 'Active', dt: 20 },
    { state: 'Resolved', dt: 240 },
    { state: 'Active', dt: 900 },
    { state: 'Resolved', dt: 300 },
    { state: 'Closed', dt: 7200 },
  ],
  [
    { state: 'New', dt: 4 },
    { state: 'Active', dt: 45 },
    { state: 'Active', dt: 60, reassign: true },
    { state: 'Awaiting Vendor', dt: 200 },
    { state: 'Active', dt: 1500 },
    { state: 'Resolved', dt: 400 },
  ],
  [
    { state: 'New', dt: 2 },
    { state: 'Active', dt: 15 },
    { state: 'Active', dt: 30, reassign: true },
    { state: 'Active', dt: 45 },
    { state: 'Awaiting Problem', dt: 300 },
    { state: 'Active', dt: 2000 },
  ],
  [
    { state: 'New', dt: 6 },
    { state: 'Active', dt: 25 },
    { state: 'Active', dt: 40 },
    { state: 'Active', dt: 80, reassign: true },
    { state: 'Resolved', dt: 500 },
    { state: 'Closed', dt: 7200 },
  ],
];

export function generateEventLog(rows: number, seed: number): { csv: string; incidents: number; problems: number } {
  const rnd = new Prng(seed);
  const incidents = Math.ceil(rows / 6);
  const groups = Array.from({ length: 80 }, (_, i) => `Group ${i + 1}`);
  const resolvers = Array.from({ length: 230 }, (_, i) => `Resolver ${i + 1}`);
  const categories = Array.from({ length: 60 }, (_, i) => `Category ${i + 1}`);
  const problems = Array.from({ length: 1500 }, (_, i) => `PRB${String(i + 1).padStart(7, '0')}`);
  const usedProblems = new Set<string>();
  const start = Date.UTC(2016, 1, 29);
  const lines: string[] = [csvLine(EVENT_LOG_COLUMNS)];
  let written = 0;
  for (let n = 0; n < incidents && written < rows; n++) {
    const number = `INC${String(n + 1).padStart(7, '0')}`;
    const opened = start + Math.floor((rnd.next() * 300 * 86_400_000) / 60_000) * 60_000;
    const category = rnd.pick(categories);
    const subcategory = `Subcategory ${rnd.int(1, 250)}`;
    const symptom = rnd.chance(0.1) ? '?' : `Symptom ${rnd.int(1, 500)}`;
    let impact = rnd.int(1, 3);
    const urgency = rnd.int(1, 3);
    let group = rnd.pick(groups);
    let resolver = rnd.pick(resolvers);
    const caller = `Caller ${rnd.int(1, 5000)}`;
    const problem = rnd.chance(0.15) ? rnd.pick(problems) : '?';
    if (problem !== '?') usedProblems.add(problem);
    const rfc = rnd.chance(0.05) ? `CHG${String(rnd.int(1, 9999)).padStart(7, '0')}` : '?';
    // Knowledge is flagged on some incidents, from some update on.
    const knowledgeFrom = rnd.chance(0.2) ? rnd.int(1, 5) : 99;
    const contact = rnd.pick(['Phone', 'Email', 'Self service']);
    const location = `Location ${rnd.int(1, 200)}`;
    const openedBy = `Opened by ${rnd.int(1, 200)}`;
    const createdBy = `Created by ${rnd.int(1, 200)}`;
    const template = TEMPLATES[n % TEMPLATES.length]!;
    let t = opened;
    let reassignments = 0;
    let reopens = 0;
    let madeSla = true;
    let resolvedAt: number | null = null;
    let closedAt: number | null = null;
    let previous = 'New';
    const budget = [240, 480, 1440, 4320, 10080];
    template.forEach((step, mod) => {
      if (written >= rows) return;
      t += (step.dt + rnd.int(0, step.dt)) * 60_000;
      if (step.reassign) {
        group = rnd.pick(groups);
        resolver = rnd.pick(resolvers);
        reassignments++;
      }
      if (step.raise && impact > 1) impact--;
      if (step.state === 'Active' && (previous === 'Resolved' || previous === 'Closed')) {
        reopens++;
        resolvedAt = null;
      }
      if (step.state === 'Resolved') resolvedAt = t;
      if (step.state === 'Closed') closedAt = t;
      const priority = MATRIX[impact - 1]![urgency - 1]!;
      if ((t - opened) / 60_000 > budget[priority - 1]! && step.state !== 'Closed') madeSla = false;
      const assigned = mod === 0 ? '?' : resolver;
      lines.push(
        csvLine([
          number,
          step.state,
          step.state === 'Closed' ? 'false' : 'true',
          reassignments,
          reopens,
          mod,
          madeSla,
          caller,
          openedBy,
          dmy(opened),
          createdBy,
          dmy(opened + 60_000),
          `Updated by ${rnd.int(1, 900)}`,
          dmy(t),
          contact,
          location,
          category,
          subcategory,
          symptom,
          '?',
          LEVEL[impact - 1],
          LEVEL[urgency - 1],
          PRIORITY[priority - 1],
          group,
          assigned,
          mod >= knowledgeFrom,
          false,
          'Do Not Notify',
          problem,
          rfc,
          '?',
          '?',
          resolvedAt ? `code ${rnd.int(1, 17)}` : '?',
          resolvedAt ? `Resolved by ${resolver.slice(9)}` : '?',
          resolvedAt ? dmy(resolvedAt) : '?',
          closedAt ? dmy(closedAt) : '?',
        ]),
      );
      previous = step.state;
      written++;
    });
  }
  return { csv: `${lines.join('\r\n')}\r\n`, incidents, problems: usedProblems.size };
}

// ---------------------------------------------------------------------------------------------

const TICK = 100; // USER_HZ on Linux

function procCpu(pid: number | 'self', children = false): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime (fields 14, 15); cutime, cstime (16, 17): the CPU of waited-for descendants.
    return (children ? Number(f[13]) + Number(f[14]) : Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return null;
  }
}

/** Share of time some task waited for a CPU over the last 10 s (Linux pressure stall information). */
function cpuPressure(): string {
  try {
    return `${/avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))![1]} %`;
  } catch {
    return 'n/a';
  }
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

interface Database {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty database (migrated) on the server, or an in-memory embedded one. */
async function emptyDatabase(server: string | null, keep: boolean): Promise<Database> {
  if (!server) {
    const pg = await startEmbeddedPostgres();
    return { url: pg.url, name: 'postgres', drop: () => pg.stop() };
  }
  const name = `ikb_bench_import_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  // Any database on the server will do to create ours (no pg client of our own: the ORM's connection).
  const admin = await openOrm(server);
  await admin.em.getConnection().execute(`create database ${name}`);
  await admin.close(true);
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      if (keep) return;
      const a = await openOrm(server);
      await a.em.getConnection().execute(`drop database if exists ${name} with (force)`);
      await a.close(true);
    },
  };
}

/**
 * CPU seconds of the PostgreSQL backends of a database, sampled every 100 ms while `work` runs
 * (their last sample: a backend that ends between samples loses at most 0.1 s). Same machine only.
 */
async function watchBackends<T>(
  orm: Awaited<ReturnType<typeof openOrm>>,
  database: string | null,
  work: () => Promise<T>,
): Promise<{ value: T; cpu: number | null }> {
  if (!database) return { value: await work(), cpu: null };
  const conn = orm.em.getConnection();
  // The sampling's own statements are counted too (a few milliseconds): in function mode the import
  // runs on a connection of the same pool.
  const start = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = async () => {
    const rows = await conn.execute<{ pid: number }[]>(`select pid from pg_stat_activity where datname = ?`, [database]).catch(() => []);
    for (const { pid } of rows) {
      const c = procCpu(pid);
      if (c === null) continue;
      if (!start.has(pid)) start.set(pid, c);
      last.set(pid, c);
    }
  };
  await sample();
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 100));
      await sample();
    }
  })();
  try {
    const value = await work();
    await sample();
    return { value, cpu: [...last].reduce((s, [pid, c]) => s + c - (start.get(pid) ?? 0), 0) };
  } finally {
    running = false;
    await loop;
  }
}

interface Phase {
  phase: string;
  /** Seconds from the start of the command (cli) or of importFile (function). */
  at: number;
  /** CPU seconds of the importing process from its start (cli) or from importFile's start (function). */
  cpu: number;
}

interface RunResult {
  seconds: number;
  /** CPU seconds of the command and everything it started (pnpm, node), or of this process's import. */
  cpu: number | null;
  dbCpu: number | null;
  load: string;
  pressure: string;
  phases: Phase[];
  created: number;
}

/** The real command, from the repository root, timed from spawn to exit; its phases from the file it writes. */
async function runCli(
  databaseUrl: string,
  file: string,
  phasesFile: string,
  jira = false,
): Promise<{ seconds: number; cpu: number | null; phases: Phase[]; stdout: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, IKB_IMPORT_PHASES_FILE: phasesFile, LOG_LEVEL: 'silent' };
  // As typed at the top of the repository (pnpm sets INIT_CWD there itself).
  delete env.INIT_CWD;
  rmSync(phasesFile, { force: true });
  const cpu0 = procCpu('self', true);
  const t0 = performance.timeOrigin + performance.now();
  const args = jira ? ['cli', 'import', 'csv', file, '--mapping', JIRA_MAPPING] : ['cli', 'import', 'servicenow', file];
  const child = spawn('pnpm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const t1 = performance.timeOrigin + performance.now();
  const cpu1 = procCpu('self', true);
  if (code !== 0) throw new Error(`pnpm cli import exited with ${code}:\n${stdout}\n${stderr}`);
  const phases: Phase[] = [];
  try {
    const trace = JSON.parse(readFileSync(phasesFile, 'utf8')) as {
      processStart: number;
      phases: { phase: string; at: number; cpu: number }[];
    };
    phases.push({ phase: 'process start (pnpm, node)', at: 0, cpu: NaN });
    phases.push({ phase: 'start-up (modules, connection, migrations check)', at: (trace.processStart - t0) / 1000, cpu: 0 });
    for (const p of trace.phases) phases.push({ phase: p.phase, at: (p.at - t0) / 1000, cpu: p.cpu });
    phases.push({
      phase: 'exit (connections closed)',
      at: (trace.phases[trace.phases.length - 1]!.at - t0) / 1000,
      cpu: trace.phases[trace.phases.length - 1]!.cpu,
    });
  } catch {
    // An older command (no phases file): the wall time alone.
  }
  phases.push({ phase: 'end', at: (t1 - t0) / 1000, cpu: NaN });
  return { seconds: (t1 - t0) / 1000, cpu: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null, phases, stdout };
}

async function main() {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      data: { type: 'string' },
      rows: { type: 'string' },
      seed: { type: 'string' },
      file: { type: 'string' },
      runs: { type: 'string' },
      zones: { type: 'string' },
      verify: { type: 'boolean' },
      database: { type: 'string' },
      embedded: { type: 'boolean' },
      target: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const mode = values.mode ?? 'cli';
  const data = values.data ?? 'realistic';
  const rows = Number(values.rows ?? 120_000);
  const seed = Number(values.seed ?? (data === 'simple' ? 20261127 : 20261205));
  const runs = Number(values.runs ?? 3);
  const target = Number(values.target ?? 10);
  const zones = (values.zones ?? 'UTC')
    .split(',')
    .map((z) => z.trim())
    .filter(Boolean);
  if (mode !== 'cli' && mode !== 'function') throw new Error('--mode is cli or function');
  if (!['realistic', 'event-log', 'simple', 'table-api', 'jira'].includes(data))
    throw new Error('--data is realistic, event-log, simple, table-api or jira');
  if (!Number.isInteger(rows) || rows < 6) throw new Error('--rows must be a whole number >= 6');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number >= 1');
  if (mode === 'cli' && values.embedded)
    throw new Error('--embedded goes with --mode function (the command would start its own embedded database)');

  const dir = mkdtempSync(join(tmpdir(), 'ikb-import-bench-'));
  let file = values.file ? resolve(values.file) : join(dir, DATA_FILE[data] ?? 'servicenow-event-log.csv');
  let expected: { incidents: number; problems: number } | null = null;
  let [counted, unit] = [rows, 'rows'];
  if (!values.file) {
    const g0 = Date.now();
    const gen =
      data === 'simple'
        ? generateEventLog(rows, seed)
        : data === 'table-api'
          ? (({ json, ...rest }) => ({ ...rest, csv: json }))(generateTableApiSample(rows, seed))
          : data === 'jira'
            ? generateJiraCsvSample(rows, seed)
            : generateServiceNowSample(rows, seed, { texts: data === 'realistic' });
    writeFileSync(file, gen.csv);
    expected = { incidents: gen.incidents, problems: gen.problems };
    // Table API and Jira files hold one record per incident (its last state), not the history's rows.
    if (DATA_FILE[data]) [counted, unit] = [gen.incidents, 'records'];
    console.log(
      `Generated ${data} data: ${rows.toLocaleString('en-US')} rows of history` +
        `${DATA_FILE[data] ? ` as ${gen.incidents.toLocaleString('en-US')} records, one per incident` : ''} ` +
        `(${gen.incidents.toLocaleString('en-US')} incidents, ${gen.problems} problems) in ` +
        `${Date.now() - g0} ms: ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)`,
    );
  } else {
    file = resolve(values.file);
    console.log(`File: ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)`);
  }
  const server = values.embedded ? null : (values.database ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const how = mode === 'cli' ? '`pnpm cli import servicenow <file>` from the repository root, spawn to exit' : 'importFile in this process';
  console.log(
    `Mode: ${how}; analytics zones built before: ${zones.join(', ') || 'none'}; ` +
      `machine: ${process.platform} ${process.arch}, Node ${process.version}`,
  );

  if (mode === 'cli') {
    // `pnpm cli` builds the API first when its sources changed: once here, not inside a timed run.
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.INIT_CWD;
    const code = await new Promise<number | null>((r) =>
      spawn('pnpm', ['cli', '--help'], { cwd: ROOT, env, stdio: 'ignore' }).on('close', r),
    );
    if (code !== 0) throw new Error(`pnpm cli --help exited with ${code}`);
  }
  const results: RunResult[] = [];
  const problems: string[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const db = await emptyDatabase(server, !!values.keep);
      const orm = await openOrm(db.url);
      try {
        await migrate(orm);
        for (const z of zones) await buildZone(orm.em, z);
        if (run === 1) {
          const version = (await orm.em.getConnection().execute<{ v: string }[]>('select version() as v'))[0]!.v;
          console.log(
            `Database: a new empty database per run (${server ? 'PostgreSQL server' : 'embedded PGlite'}): ${version.split(',')[0]}`,
          );
        }
        // The pool's connections exist once used: warm them (function mode samples them).
        await Promise.all(Array.from({ length: 3 }, () => orm.em.getConnection().execute('select 1')));
        const before = { load: load(), pressure: cpuPressure() };
        let result: RunResult;
        if (mode === 'cli') {
          const { value: r, cpu: dbCpu } = await watchBackends(orm, server ? db.name : null, () =>
            runCli(db.url, file, join(dir, 'phases.json'), data === 'jira'),
          );
          const created = Number(/incidents created: +([\d,]+)/.exec(r.stdout)?.[1]?.replace(/,/g, '') ?? NaN);
          result = { seconds: r.seconds, cpu: r.cpu, dbCpu, ...before, phases: r.phases, created };
        } else {
          const phases: Phase[] = [];
          const t0 = Date.now();
          const cpu0 = process.cpuUsage();
          const onProgress = (p: ImportProgress) => {
            if (phases[phases.length - 1]?.phase !== p.phase) {
              const c = process.cpuUsage(cpu0);
              phases.push({ phase: p.phase, at: (Date.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 });
            }
          };
          const { value: s, cpu: dbCpu } = await watchBackends(orm, server ? db.name : null, () =>
            importFile(orm.em.fork(), { ...importKind(data), file, onProgress }),
          );
          const cpu = process.cpuUsage(cpu0);
          phases.push({ phase: 'end', at: (Date.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 });
          result = { seconds: (Date.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, dbCpu, ...before, phases, created: s.created };
        }
        results.push(result);
        console.log(
          `Run ${run}: ${result.seconds.toFixed(2)} s = ` +
            `${Math.round(counted / result.seconds).toLocaleString('en-US')} ${unit}/s (CPU: ` +
            `${mode === 'cli' ? 'command' : 'importer'} ${result.cpu?.toFixed(2) ?? 'n/a'} s, PostgreSQL ` +
            `${result.dbCpu?.toFixed(2) ?? 'n/a'} s; load average before ${result.load}, CPU pressure ${result.pressure})`,
        );

        const conn = orm.em.getConnection();
        const count = async (sql: string) => Number((await conn.execute<{ n: string }[]>(sql))[0]!.n);
        const counts = {
          incidents: await count('select count(*) as n from incidents'),
          events: await count('select count(*) as n from incident_events'),
          clocks: await count('select count(*) as n from sla_clocks'),
          problems: await count('select count(*) as n from problems'),
          searchDocuments: await count(`select count(*) as n from search_documents where kind = 'INCIDENT'`),
          searchable: await count(`select count(*) as n from incidents where status in ('RESOLVED','CLOSED','REVIEWED')`),
          verdicts: await count('select count(*) as n from incidents where recorded_resolution_sla_verdict is not null'),
          facts: await count('select count(*) as n from analytics.facts'),
          queued: await count('select count(*) as n from analytics.queue'),
          cells: await count('select count(*) as n from analytics.rollups'),
        };
        if (expected && (counts.incidents !== expected.incidents || result.created !== expected.incidents))
          problems.push(
            `run ${run}: expected ${expected.incidents} incidents created, got ${result.created} (${counts.incidents} in the database)`,
          );
        if (expected && counts.problems !== expected.problems)
          problems.push(`run ${run}: expected ${expected.problems} problems, got ${counts.problems}`);
        if (counts.clocks !== 2 * counts.incidents) problems.push(`run ${run}: expected 2 clocks per incident, got ${counts.clocks}`);
        if (counts.searchDocuments !== counts.searchable)
          problems.push(`run ${run}: expected ${counts.searchable} incident search documents, got ${counts.searchDocuments}`);
        if (counts.facts !== counts.incidents || counts.queued !== 0)
          problems.push(
            `run ${run}: the analytics are not current: ${counts.facts} facts for ${counts.incidents} ` +
              `incidents, ${counts.queued} changes queued`,
          );
        if (zones.length && !counts.cells) problems.push(`run ${run}: no rollup cells in the built zones`);
        if (run === runs) {
          console.log(
            `  in the database: ${counts.incidents} incidents, ${counts.events} events, ${counts.clocks} SLA ` +
              `clocks, ${counts.problems} problems, ${counts.searchDocuments} incident search documents ` +
              `(${counts.searchable} resolved or closed), ${counts.verdicts} recorded SLA verdicts; analytics: ` +
              `${counts.facts} facts, ${counts.cells} rollup cells, ${counts.queued} changes queued`,
          );
          if (values.verify && zones.length) {
            const digest = async () =>
              (
                await conn.execute<{ d: string }[]>(`select md5(string_agg(r::text, '|' order by r::text)) as d from analytics.rollups r`)
              )[0]!.d;
            const folded = await digest();
            const t1 = Date.now();
            await rebuildAll(orm.em);
            const rebuilt = await digest();
            console.log(
              `  analytics rebuilt from scratch in ${((Date.now() - t1) / 1000).toFixed(2)} s: rollups ` +
                `${folded === rebuilt ? 'identical to' : 'DIFFERENT from'} what the import folded in`,
            );
            if (folded !== rebuilt) problems.push('the rollups the import folded in differ from a full rebuild');
          }
          // The same file once more: nothing may change.
          const t1 = Date.now();
          let unchanged: number;
          if (mode === 'cli') {
            const again = await runCli(db.url, file, join(dir, 'phases-again.json'), data === 'jira');
            unchanged = Number(/incidents unchanged: +([\d,]+)/.exec(again.stdout)?.[1]?.replace(/,/g, '') ?? NaN);
          } else unchanged = (await importFile(orm.em.fork(), { ...importKind(data), file })).unchanged;
          const seconds = (Date.now() - t1) / 1000;
          const eventsAfter = await count('select count(*) as n from incident_events');
          console.log(
            `Same file again: ${seconds.toFixed(2)} s (${Math.round(counted / seconds).toLocaleString('en-US')} ` +
              `${unit}/s): ${unchanged} unchanged; events ${counts.events} -> ${eventsAfter}`,
          );
          if (unchanged !== counts.incidents || eventsAfter !== counts.events)
            problems.push('the second import of the same file changed something');
        }
      } finally {
        await orm.close(true);
        await db.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...results].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const clock =
    mode === 'cli'
      ? 'seconds from spawn; CPU seconds of the node process'
      : 'seconds from the start of importFile; CPU seconds of this process';
  console.log(`\nPhases of the median run (${clock}):`);
  const ph = median.phases;
  for (let i = 0; i < ph.length - 1; i++) {
    const p = ph[i]!;
    const next = ph[i + 1]!;
    const cpu =
      Number.isFinite(p.cpu) && Number.isFinite(next.cpu) && next.cpu >= p.cpu
        ? `cpu ${(next.cpu - p.cpu).toFixed(2).padStart(5)} s`
        : '            ';
    console.log(`  ${p.at.toFixed(2).padStart(6)} s  +${(next.at - p.at).toFixed(2).padStart(5)} s  ${cpu}  ${p.phase}`);
  }
  console.log(
    `\nMedian of ${runs}: ${median.seconds.toFixed(2)} s for ${counted.toLocaleString('en-US')} ${unit} = ` +
      `${Math.round(counted / median.seconds).toLocaleString('en-US')} ${unit}/s (runs: ` +
      `${results.map((r) => r.seconds.toFixed(2)).join(', ')} s; minimum ${sorted[0]!.seconds.toFixed(2)} ` +
      `s); load average now ${load()}`,
  );
  if (median.seconds > target) problems.push(`the median took ${median.seconds.toFixed(2)} s, over the ${target} s target`);
  if (problems.length) {
    console.error(`\nFAILED:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`OK: under the ${target} s target (${(target / median.seconds).toFixed(1)}x margin)`);
  process.exit(0);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
