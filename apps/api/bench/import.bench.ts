import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrate, openOrm } from '../src/db/orm';
import { csvLine } from '../src/features/imports/csv';
import { importFile, type ImportProgress } from '../src/features/imports/import-file';

/**
 * pnpm bench:import — generates a ServiceNow audit event log (default 120,000 rows: 20,000
 * incidents of 6 rows each, in the column layout of the public "incident management process
 * enriched event log", day-first dates, "?" for empty) and imports it into an EMPTY PostgreSQL
 * database, timing the whole import (read, parse, rebuild, write, commit); three times, each into
 * a new database, the median being the figure. Then imports the same file again (everything
 * unchanged) and checks the counts. It also reports the CPU seconds the importer and the database
 * used, and the machine's CPU pressure: on a shared machine the wall time follows the load.
 *
 *   --rows N        rows to generate (multiple of 6; default 120000)
 *   --seed N        generator seed (default 20261127)
 *   --runs N        imports, each into a new empty database; the median is the figure (default 3)
 *   --database URL  server to create the empty database on (default DATABASE_URL, else
 *                   postgres://postgres@127.0.0.1:5432/postgres)
 *   --embedded      use an in-memory embedded PostgreSQL (PGlite) instead
 *   --target S      fail when the median import takes longer (default 10 seconds)
 *   --keep          keep the databases
 */

const COLUMNS = 'number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at'.split(',');

class Prng {
  constructor(private s: number) {}
  next(): number {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const LEVEL = ['1 - High', '2 - Medium', '3 - Low'];
const PRIORITY = ['1 - Critical', '2 - High', '3 - Moderate', '4 - Low', '5 - Planning'];
const MATRIX = [[1, 2, 3], [2, 3, 4], [3, 4, 5]];

/** d/m/yyyy HH:mm, as the public event log writes dates. */
function dmy(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

type Step = { state: string; dt: number; reassign?: boolean; raise?: boolean };
/** Six rows per incident; the shapes of real tickets: holds, reassignments, reopens, open ones. */
const TEMPLATES: Step[][] = [
  [{ state: 'New', dt: 5 }, { state: 'Active', dt: 30 }, { state: 'Active', dt: 90, raise: true }, { state: 'Awaiting User Info', dt: 120 }, { state: 'Resolved', dt: 600 }, { state: 'Closed', dt: 7200 }],
  [{ state: 'New', dt: 3 }, { state: 'Active', dt: 20 }, { state: 'Resolved', dt: 240 }, { state: 'Active', dt: 900 }, { state: 'Resolved', dt: 300 }, { state: 'Closed', dt: 7200 }],
  [{ state: 'New', dt: 4 }, { state: 'Active', dt: 45 }, { state: 'Active', dt: 60, reassign: true }, { state: 'Awaiting Vendor', dt: 200 }, { state: 'Active', dt: 1500 }, { state: 'Resolved', dt: 400 }],
  [{ state: 'New', dt: 2 }, { state: 'Active', dt: 15 }, { state: 'Active', dt: 30, reassign: true }, { state: 'Active', dt: 45 }, { state: 'Awaiting Problem', dt: 300 }, { state: 'Active', dt: 2000 }],
  [{ state: 'New', dt: 6 }, { state: 'Active', dt: 25 }, { state: 'Active', dt: 40 }, { state: 'Active', dt: 80, reassign: true }, { state: 'Resolved', dt: 500 }, { state: 'Closed', dt: 7200 }],
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
  const lines: string[] = [csvLine(COLUMNS)];
  let written = 0;
  for (let n = 0; n < incidents && written < rows; n++) {
    const number = `INC${String(n + 1).padStart(7, '0')}`;
    const opened = start + Math.floor(rnd.next() * 300 * 86_400_000 / 60_000) * 60_000;
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
    const template = TEMPLATES[n % TEMPLATES.length];
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
      const priority = MATRIX[impact - 1][urgency - 1];
      if ((t - opened) / 60_000 > budget[priority - 1] && step.state !== 'Closed') madeSla = false;
      const assigned = mod === 0 ? '?' : resolver;
      lines.push(csvLine([
        number, step.state, step.state === 'Closed' ? 'false' : 'true', reassignments, reopens, mod, madeSla, caller, openedBy,
        dmy(opened), createdBy, dmy(opened + 60_000), `Updated by ${rnd.int(1, 900)}`, dmy(t), contact,
        location, category, subcategory, symptom, '?', LEVEL[impact - 1], LEVEL[urgency - 1], PRIORITY[priority - 1], group, assigned,
        mod >= knowledgeFrom, false, 'Do Not Notify', problem, rfc, '?', '?', resolvedAt ? `code ${rnd.int(1, 17)}` : '?', resolvedAt ? `Resolved by ${resolver.slice(9)}` : '?',
        resolvedAt ? dmy(resolvedAt) : '?', closedAt ? dmy(closedAt) : '?',
      ]));
      previous = step.state;
      written++;
    });
  }
  return { csv: `${lines.join('\r\n')}\r\n`, incidents, problems: usedProblems.size };
}

/** CPU seconds (user + system) of the PostgreSQL backends serving a database, read from /proc (same machine only). */
async function backendCpu(orm: Awaited<ReturnType<typeof openOrm>>, database: string): Promise<number | null> {
  try {
    const rows = await orm.em.getConnection().execute<{ pid: number }[]>(`select pid from pg_stat_activity where datname = ?`, [database]);
    const tick = 100; // USER_HZ on Linux
    let total = 0;
    for (const { pid } of rows) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    }
    return total;
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

interface RunResult {
  seconds: number;
  importerCpu: number;
  dbCpu: number | null;
  pressure: string;
  phases: { phase: string; at: number; cpu: number }[];
  ok: string[];
}

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      database: { type: 'string' },
      embedded: { type: 'boolean' },
      target: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const rows = Number(values.rows ?? 120_000);
  const seed = Number(values.seed ?? 20261127);
  const runs = Number(values.runs ?? 3);
  const target = Number(values.target ?? 10);
  if (!Number.isInteger(rows) || rows < 6) throw new Error('--rows must be a whole number >= 6');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number >= 1');

  const dir = mkdtempSync(join(tmpdir(), 'ikb-import-bench-'));
  const file = join(dir, 'servicenow-event-log.csv');
  const g0 = Date.now();
  const gen = generateEventLog(rows, seed);
  writeFileSync(file, gen.csv);
  console.log(`Generated ${rows.toLocaleString('en-US')} rows (${gen.incidents.toLocaleString('en-US')} incidents, ${gen.problems} problems) in ${Date.now() - g0} ms: ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)`);
  const server = values.embedded ? null : (values.database ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

  const results: RunResult[] = [];
  const problems: string[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const db = await emptyDatabase(server, !!values.keep);
      const orm = await openOrm(db.url);
      try {
        await migrate(orm);
        if (run === 1) {
          const version = (await orm.em.getConnection().execute<{ v: string }[]>('select version() as v'))[0].v;
          console.log(`Database: a new empty database per run (${server ? 'PostgreSQL server' : 'embedded PGlite'}): ${version.split(',')[0]}`);
        }
        const phases: { phase: string; at: number; cpu: number }[] = [];
        const onProgress = (p: ImportProgress) => {
          if (phases[phases.length - 1]?.phase !== p.phase) {
            const c = process.cpuUsage();
            phases.push({ phase: p.phase, at: Date.now(), cpu: (c.user + c.system) / 1e6 });
          }
        };
        // The pool's connections exist once used: warm them so their CPU counters are read before and after.
        await Promise.all(Array.from({ length: 3 }, () => orm.em.getConnection().execute('select 1')));
        const pressure = cpuPressure();
        const dbCpu0 = server ? await backendCpu(orm, db.name) : null;
        const cpu0 = process.cpuUsage();
        const t0 = Date.now();
        const first = await importFile(orm.em.fork(), { kind: 'servicenow', file, onProgress });
        const seconds = (Date.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const dbCpu1 = server ? await backendCpu(orm, db.name) : null;
        const conn = orm.em.getConnection();
        const count = async (sql: string) => Number((await conn.execute<{ n: string }[]>(sql))[0].n);
        const counts = {
          incidents: await count('select count(*) as n from incidents'),
          events: await count('select count(*) as n from incident_events'),
          clocks: await count('select count(*) as n from sla_clocks'),
          problems: await count('select count(*) as n from problems'),
          searchDocuments: await count(`select count(*) as n from search_documents where kind = 'INCIDENT'`),
          searchable: await count(`select count(*) as n from incidents where status in ('RESOLVED','CLOSED','REVIEWED')`),
          verdicts: await count('select count(*) as n from incidents where recorded_resolution_sla_verdict is not null'),
        };
        const result: RunResult = { seconds, importerCpu: (cpu.user + cpu.system) / 1e6, dbCpu: dbCpu0 !== null && dbCpu1 !== null ? dbCpu1 - dbCpu0 : null, pressure, phases: phases.map((p) => ({ phase: p.phase, at: p.at - t0, cpu: p.cpu - (cpu0.user + cpu0.system) / 1e6 })), ok: [] };
        results.push(result);
        console.log(`Run ${run}: ${seconds.toFixed(2)} s = ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s (CPU: importer ${result.importerCpu.toFixed(2)} s, PostgreSQL ${result.dbCpu?.toFixed(2) ?? 'n/a'} s; machine CPU pressure before ${pressure})`);
        if (counts.incidents !== gen.incidents || first.created !== gen.incidents) problems.push(`run ${run}: expected ${gen.incidents} incidents, got ${counts.incidents}`);
        if (counts.problems !== gen.problems) problems.push(`run ${run}: expected ${gen.problems} problems, got ${counts.problems}`);
        if (counts.clocks !== 2 * counts.incidents) problems.push(`run ${run}: expected 2 clocks per incident, got ${counts.clocks}`);
        if (counts.searchDocuments !== counts.searchable) problems.push(`run ${run}: expected ${counts.searchable} incident search documents, got ${counts.searchDocuments}`);
        if (run === runs) {
          console.log(`  created ${first.created}, updated ${first.updated}, unchanged ${first.unchanged}, problems created ${first.problemsCreated}, rejected ${first.rejectedRows}; ${first.events.toLocaleString('en-US')} timeline events; ${first.teamsCreated} teams, ${first.usersCreated} people, ${first.categoriesCreated} categories created`);
          console.log(`  in the database: ${counts.incidents} incidents, ${counts.events} events, ${counts.clocks} SLA clocks, ${counts.problems} problems, ${counts.searchDocuments} incident search documents (${counts.searchable} resolved or closed), ${counts.verdicts} recorded SLA verdicts`);
          // The same file once more: nothing may change.
          const t1 = Date.now();
          const second = await importFile(orm.em.fork(), { kind: 'servicenow', file });
          const again = (Date.now() - t1) / 1000;
          const eventsAfter = await count('select count(*) as n from incident_events');
          console.log(`Same file again: ${again.toFixed(2)} s (${Math.round(rows / again).toLocaleString('en-US')} rows/s): created ${second.created}, updated ${second.updated}, unchanged ${second.unchanged}; events ${counts.events} -> ${eventsAfter}`);
          if (second.unchanged !== gen.incidents || eventsAfter !== counts.events) problems.push('the second import of the same file changed something');
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
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  console.log('\nPhases of the median run (wall seconds and importer CPU seconds from the start of the import):');
  for (const p of median.phases) console.log(`  ${(p.at / 1000).toFixed(2).padStart(6)} s  cpu ${p.cpu.toFixed(2).padStart(5)} s  ${p.phase}`);
  console.log(`\nMedian of ${runs}: ${median.seconds.toFixed(2)} s for ${rows.toLocaleString('en-US')} rows = ${Math.round(rows / median.seconds).toLocaleString('en-US')} rows/s (runs: ${results.map((r) => r.seconds.toFixed(2)).join(', ')} s)`);
  if (median.seconds > target) problems.push(`the median import took ${median.seconds.toFixed(2)} s, over the ${target} s target`);
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
