import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  BackupError,
  checkTarget,
  describeLevel,
  detectBackupFile,
  humanSize,
  levelNotes,
  partialName,
  publish,
  refuseKind,
  removeQuietly,
  seconds,
  type BackupLog,
} from './backup-common';

/**
 * Backups of a PostgreSQL server database with the server's own tools: pg_dump writes a
 * custom-format archive (compressed, from one consistent snapshot, so the API may keep running),
 * pg_restore loads it into an empty database in a single transaction (all or nothing).
 *
 * The password never goes on a command line (where `ps` shows it): the URL is passed without it
 * and the password in the child's PGPASSWORD.
 */

export interface PgTool {
  path: string;
  major: number;
  version: string;
}

/** Where the client tools may be, in order of preference: PATH, `pg_config --bindir`, the usual packages' folders. */
function candidateDirs(): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0 && pgConfig.stdout.trim()) dirs.push(pgConfig.stdout.trim());
  const glob = (parent: string, pattern: RegExp, sub: string) => {
    try {
      return readdirSync(parent)
        .filter((d) => pattern.test(d))
        .sort((a, b) => Number(b.replace(/\D+/g, '')) - Number(a.replace(/\D+/g, '')))
        .map((d) => join(parent, d, sub));
    } catch {
      return [];
    }
  };
  dirs.push(
    ...glob('/usr/lib/postgresql', /^\d+$/, 'bin'), // Debian, Ubuntu
    ...glob('/usr', /^pgsql-\d+$/, 'bin'), // RHEL, Fedora (PGDG)
    ...glob('/opt/homebrew/opt', /^postgresql@\d+$/, 'bin'), // macOS, Homebrew
    ...glob('/usr/local/opt', /^postgresql@\d+$/, 'bin'),
  );
  return [...new Set(dirs)];
}

function toolVersion(path: string): PgTool | undefined {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const m = /\(PostgreSQL\)\s+((\d+)(?:\.\d+)*)/.exec(r.stdout ?? '');
  if (r.status !== 0 || !m) return undefined;
  return { path, version: m[1]!, major: Number(m[2]) };
}

const installHint = (major: number) =>
  `Install the PostgreSQL ${major} client tools (Debian/Ubuntu: apt-get install postgresql-client-${major}; RHEL: dnf install ` +
  `postgresql${major}; macOS: brew install postgresql@${major}) and put their bin folder on PATH.`;

/**
 * The first pg_dump / pg_restore found whose major version is at least `minMajor` (pg_dump refuses
 * a server newer than itself; an older pg_restore cannot read a newer archive). `dirs` replaces the
 * search path (tests).
 */
export function findPgTool(tool: 'pg_dump' | 'pg_restore', minMajor: number, opts: { dirs?: string[] } = {}): PgTool {
  const found: PgTool[] = [];
  for (const dir of opts.dirs ?? candidateDirs()) {
    const path = join(dir, tool);
    try {
      accessSync(path, constants.X_OK);
    } catch {
      continue;
    }
    const t = toolVersion(path);
    if (!t) continue;
    if (t.major >= minMajor) return t;
    found.push(t);
  }
  if (found.length === 0) {
    throw new BackupError(
      `${tool} was not found (looked on PATH, in \`pg_config --bindir\` and the usual install folders). ${installHint(minMajor)}`,
    );
  }
  const list = found.map((t) => `${t.version} (${t.path})`).join(', ');
  throw new BackupError(
    `${tool} is older than the server: found ${list}, the server is PostgreSQL ${minMajor}; ${tool} must be version ${minMajor} or ` +
      `newer. ${installHint(minMajor)}`,
  );
}

/** The URL without its password, and the environment that carries the password instead. */
export function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv; label: string } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
  return { dbname: u.toString(), env, label: `"${database}" on ${u.host || 'localhost'}` };
}

type Query = <T = Record<string, unknown>>(sql: string) => Promise<T[]>;

/** A connection of its own (no entity discovery, no migrations, no CREATE DATABASE): backups change nothing. */
async function withConnection<T>(url: string, label: string, fn: (q: Query) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init({
    clientUrl: url,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    ensureDatabase: false,
    pool: { min: 0, max: 1 },
    debug: false,
  });
  const q: Query = async (sql) => {
    try {
      return (await orm.em.getConnection().execute(sql)) as never;
    } catch (err) {
      throw connectionError(err, label);
    }
  };
  try {
    return await fn(q);
  } finally {
    await orm.close(true);
  }
}

function connectionError(err: unknown, label: string): Error {
  const e = err as { code?: string; message?: string };
  if (e.code === '3D000')
    return new BackupError(`The database ${label} does not exist. Create it first (e.g. \`createdb\`), or check DATABASE_URL.`);
  if (e.code === '28P01' || e.code === '28000')
    return new BackupError(`PostgreSQL refused the credentials in DATABASE_URL for ${label}: ${e.message}`);
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT')
    return new BackupError(`Cannot connect to the PostgreSQL server of ${label} (${e.code}): check DATABASE_URL and that the server runs.`);
  return err as Error;
}

async function serverMajor(q: Query): Promise<{ major: number; version: string }> {
  const [row] = await q<{ num: string; version: string }>(
    `select current_setting('server_version_num') as num, current_setting('server_version') as version`,
  );
  return { major: Math.floor(Number(row!.num) / 10000), version: row!.version.split(' ')[0]! };
}

async function appliedMigrations(q: Query): Promise<string[]> {
  const [t] = await q<{ t: string | null }>(`select to_regclass('public.mikro_orm_migrations')::text as t`);
  if (!t?.t) return [];
  return (await q<{ name: string }>(`select name from public.mikro_orm_migrations order by id`)).map((r) => r.name);
}

async function incidentCount(q: Query): Promise<number | undefined> {
  const [t] = await q<{ t: string | null }>(`select to_regclass('public.incidents')::text as t`);
  if (!t?.t) return undefined;
  const [r] = await q<{ n: string }>(`select count(*) as n from public.incidents`);
  return Number(r!.n);
}

/** Tables of the application's schemas, and how much is in them. */
export async function contentsOf(q: Query): Promise<{ tables: number; withRows: string[]; migrations: number }> {
  const tables = await q<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%' order by 1, 2`,
  );
  const withRows: string[] = [];
  for (const t of tables) {
    const ident = `"${t.schema.replace(/"/g, '""')}"."${t.name.replace(/"/g, '""')}"`;
    const [r] = await q<{ any: boolean }>(`select exists (select 1 from ${ident}) as any`);
    if (r!.any) withRows.push(t.schema === 'public' ? t.name : `${t.schema}.${t.name}`);
  }
  return { tables: tables.length, withRows, migrations: (await appliedMigrations(q)).length };
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, opts: { keepStdout?: boolean } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let errBytes = 0;
    child.stdout.on('data', (c: Buffer) => {
      if (opts.keepStdout) out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      // The end of a long complaint is what says why it stopped: keep the last 64 KB.
      err.push(c);
      errBytes += c.length;
      while (errBytes > 64_000 && err.length > 1) errBytes -= err.shift()!.length;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8').trim() }),
    );
  });
}

/** The last lines of a tool's complaint, enough to act on. */
const tail = (s: string, lines = 8) => s.split('\n').slice(-lines).join('\n');

export async function backupServer(opts: { url: string; file: string; force: boolean; log: BackupLog }): Promise<void> {
  const { file, force, log } = opts;
  checkTarget(file, force);
  const conn = connectionFor(opts.url);
  const t0 = Date.now();
  const info = await withConnection(opts.url, conn.label, async (q) => ({
    server: await serverMajor(q),
    applied: await appliedMigrations(q),
    incidents: await incidentCount(q),
  }));
  const pgDump = findPgTool('pg_dump', info.server.major);
  const partial = partialName(file);
  removeQuietly(partial);
  // Custom format: compressed, restorable selectively and in one transaction by pg_restore.
  const r = await run(pgDump.path, ['--format=custom', `--file=${partial}`, `--dbname=${conn.dbname}`], conn.env).catch((err: Error) => {
    removeQuietly(partial);
    throw new BackupError(`Could not run ${pgDump.path}: ${err.message}`);
  });
  if (r.code !== 0) {
    removeQuietly(partial);
    throw new BackupError(`pg_dump failed (exit code ${r.code}); no backup was written:\n${tail(r.stderr)}`);
  }
  chmodSync(partial, 0o600);
  publish(partial, file, force);
  const what = info.incidents === undefined ? '' : `, ${info.incidents} incidents`;
  log(
    `Backed up ${conn.label} (PostgreSQL ${info.server.version}, ${describeLevel(info.applied)}${what}) to ${file}: ` +
      `${humanSize(detectBackupFile(file).size)} in ${seconds(t0)}, with pg_dump ${pgDump.version}.`,
  );
}

/** The migrations recorded in an archive, read without a database (pg_restore prints the table's COPY data). */
function archiveMigrations(stdout: string): string[] | undefined {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('COPY public.mikro_orm_migrations ('));
  if (start < 0) return undefined;
  const header = /^COPY public\.mikro_orm_migrations \(([^)]*)\)/
    .exec(lines[start]!)![1]!
    .split(',')
    .map((c) => c.trim());
  const nameAt = header.indexOf('name');
  const names: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l === '\\.') break;
    names.push(l.split('\t')[nameAt]!);
  }
  return names;
}

export async function restoreServer(opts: { url: string; file: string; log: BackupLog }): Promise<void> {
  const { file, log } = opts;
  const kind = detectBackupFile(file);
  if (kind.kind !== 'server') refuseKind(file, kind.kind, 'server');
  const conn = connectionFor(opts.url);
  const t0 = Date.now();

  const target = await withConnection(opts.url, conn.label, async (q) => ({ server: await serverMajor(q), contents: await contentsOf(q) }));
  const c = target.contents;
  if (c.tables > 0) {
    const parts = [
      `${c.tables} tables`,
      `${c.withRows.length} of them with ` +
        `rows${c.withRows.length ? ` (${c.withRows.slice(0, 5).join(', ')}${c.withRows.length > 5 ? ', ...' : ''})` : ''}`,
      `${c.migrations} applied migrations`,
    ];
    throw new BackupError(
      `The database ${conn.label} is not empty: ${parts.join(', ')}. db:restore only restores into an empty database, so that nothing is ` +
        'overwritten or mixed; ' +
        'create a new database (e.g. `createdb ikb_restored`), point DATABASE_URL at it and run db:restore again. Nothing was changed.',
    );
  }

  // pg_restore reads archives of its own major version and older; one as new as the server is
  // certain to read what that server's pg_dump wrote.
  const pgRestore = findPgTool('pg_restore', target.server.major);
  const list = await run(pgRestore.path, ['--list', file], conn.env, { keepStdout: true });
  if (list.code !== 0) throw new BackupError(`${file} is not a readable pg_dump archive (damaged or truncated?): ${tail(list.stderr, 3)}`);
  const data = await run(pgRestore.path, ['--data-only', '--schema=public', '--table=mikro_orm_migrations', '--file=-', file], conn.env, {
    keepStdout: true,
  });
  if (data.code !== 0) throw new BackupError(`${file} is damaged: pg_restore cannot read it: ${tail(data.stderr, 3)}`);
  if (!archiveMigrations(data.stdout))
    throw new BackupError(
      `${file} is a pg_dump archive, but not of this application's database (it has no mikro_orm_migrations table). Nothing was restored.`,
    );
  const dumpedFrom = /Dumped from database version: (\S+)/.exec(list.stdout)?.[1];

  // Extension comments belong to the extension's owner: a pre-installed pg_trgm would make
  // `COMMENT ON EXTENSION` fail, and with it the whole restore. Leave them out.
  const partialList = `${partialName(file)}.list`;
  writeFileSync(
    partialList,
    list.stdout
      .split('\n')
      .filter((l) => !/^\d+;.* COMMENT - EXTENSION /.test(l))
      .join('\n'),
  );
  let r: RunResult;
  try {
    // One transaction: any error rolls everything back. Objects belong to DATABASE_URL's user
    // (--no-owner), and grants to roles this server may not have are left out (--no-privileges).
    r = await run(
      pgRestore.path,
      [
        '--single-transaction',
        '--exit-on-error',
        '--no-owner',
        '--no-privileges',
        `--use-list=${partialList}`,
        `--dbname=${conn.dbname}`,
        file,
      ],
      conn.env,
    );
  } finally {
    removeQuietly(partialList);
  }
  if (r.code !== 0) {
    throw new BackupError(
      `pg_restore failed (exit code ${r.code}); nothing was restored (the restore runs in one transaction):\n${tail(r.stderr)}`,
    );
  }
  const after = await withConnection(opts.url, conn.label, async (q) => {
    // pg_restore leaves the planner without statistics until autovacuum gets there.
    await q('analyze');
    return { applied: await appliedMigrations(q), incidents: await incidentCount(q) };
  });
  const what = after.incidents === undefined ? '' : `, ${after.incidents} incidents`;
  log(
    `Restored ${file} (PostgreSQL ${dumpedFrom ?? '?'}) into ${conn.label}: ${describeLevel(after.applied)}${what}, in ${seconds(t0)}, ` +
      `with pg_restore ${pgRestore.version}.`,
  );
  for (const note of levelNotes(after.applied)) log(note);
}
