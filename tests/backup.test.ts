import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { CliError, UsageError, type CliCommand, type CliContext } from '@ikb/api/src/cli/command';
import { connectionFor, findPgTool } from '@ikb/api/src/db/backup';
import { backupCommand, restoreCommand } from '@ikb/api/src/db/backup.cli';
import { startEmbeddedPostgres } from '@ikb/api/src/db/embedded-postgres';
import { MIGRATIONS } from '@ikb/api/src/db/migrations';
import { migrate, openOrm } from '@ikb/api/src/db/orm';
import { readEnv } from '@ikb/api/src/env';
import { AuthService } from '@ikb/api/src/features/auth/auth.service';
import { seedDemo } from '@ikb/api/src/seed/demo-seed';
import { snapshot } from './support/db-snapshot';

/**
 * `pnpm cli db:backup` / `db:restore` on both kinds of database. A backup restored into
 * an empty database gives back every table row for row (count and hash of the rows) and every
 * sequence, at the same migration level, and the API serves it; a non-empty target, a missing,
 * foreign or damaged file are refused with a message, and nothing is changed or half-restored.
 */

const serverUrl = process.env.DATABASE_URL;
const tmp = mkdtempSync(join(tmpdir(), 'ikb-backup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A command run as `pnpm cli` would: CliError exits 1, UsageError 2, with the message in the output. */
async function run(cmd: CliCommand, args: string[], where: { DATABASE_URL?: string; DATA_DIR?: string }) {
  const lines: string[] = [];
  let withEmCalls = 0;
  const env = readEnv({ DATABASE_URL: where.DATABASE_URL, DATA_DIR: where.DATA_DIR ?? join(tmp, 'unused-data-dir'), NODE_ENV: 'test' });
  const ctx: CliContext = {
    io: { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    env,
    async withEm(fn) {
      withEmCalls++;
      const embedded = env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: env.DATA_DIR });
      const orm = await openOrm(env.DATABASE_URL ?? embedded!.url);
      try {
        await migrate(orm);
        return await fn(orm.em.fork());
      } finally {
        await orm.close(true);
        await embedded?.stop();
      }
    },
  };
  let code: number;
  try {
    code = await cmd.run(args, ctx);
  } catch (err) {
    if (err instanceof CliError) code = 1;
    else if (err instanceof UsageError) code = 2;
    else throw err;
    lines.push((err as Error).message);
  }
  // Neither command may open the database through the migrating path.
  expect(withEmCalls).toBe(0);
  return { code, out: lines.join('\n') };
}

const migrationNames = async (url: string) => {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ name: string }>(`select name from mikro_orm_migrations order by id`)).rows.map((r) => r.name);
  } finally {
    await c.end();
  }
};

/** The API on a restored database answers a GraphQL query with a token that was in the backup. */
async function graphqlAnswers(app: RunningApp, token: string): Promise<number> {
  const res = await fetch(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ incidents(first: 1) { totalCount } }' }),
  });
  const body = (await res.json()) as { data?: { incidents: { totalCount: number } }; errors?: unknown };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.incidents.totalCount;
}

/** Content the demo seed does not make: text that COPY and tar must carry byte for byte. */
async function addTrickyText(url: string) {
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query(`update incidents set description = $1 where id = (select id from incidents order by number limit 1)`, [
    'two\nlines\ttab \\ backslash \'quote\' "dq" — ✓ 🚀 \\N',
  ]);
  await c.end();
}

const ADMIN = { email: 'backup-admin@example.test', name: 'Backup Admin', role: 'ADMIN' as const };

let embeddedBackup: string | undefined;

describe('embedded database (PGlite in DATA_DIR)', () => {
  const source = join(tmp, 'embedded-source');
  const target = join(tmp, 'embedded-restored');
  const file = join(tmp, 'embedded.tar.gz');
  let app: RunningApp | undefined;
  let token: string;
  let before: Record<string, string>;

  beforeAll(async () => {
    app = await startApp({ dataDir: source, port: 0, seedDemo: false, rateLimitPerMinute: 0, analytics: { intervalMs: 0 } });
    await seedDemo(app.orm.em.fork(), { incidents: 6 });
    const auth = new AuthService(app.orm.em.fork());
    const admin = await auth.createUserAccount(ADMIN);
    token = (await auth.createToken({ id: admin.id }, 'ADMIN', 'backup test')).secret;
    await addTrickyText(app.databaseUrl);
    before = await snapshot(app.databaseUrl);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses while the API has the database open, and when it was not closed cleanly', async () => {
    const inUse = await run(backupCommand, [file], { DATA_DIR: source });
    expect(inUse.code).toBe(1);
    expect(inUse.out).toMatch(/in use by this process .*Stop the API first/);
    await app!.close();
    app = undefined;
    const pidFile = join(source, 'pg', 'postmaster.pid');
    expect(existsSync(pidFile)).toBe(false); // a clean stop removes it
    writeFileSync(pidFile, '-42\n/pglite/data\n');
    const stale = await run(backupCommand, [file], { DATA_DIR: source });
    expect(stale.code).toBe(1);
    expect(stale.out).toMatch(/was not closed cleanly: .*postmaster\.pid exists/);
    rmSync(pidFile);
    expect(existsSync(file)).toBe(false);
  });

  it('backs up a stopped database and restores it into an empty folder, row for row; the API serves it', async () => {
    const b = await run(backupCommand, [file], { DATA_DIR: source });
    expect(b.out).toMatch(/Backed up the embedded database .*6 incidents/);
    expect(b.code).toBe(0);
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    embeddedBackup = file;

    const again = await run(backupCommand, [file], { DATA_DIR: source });
    expect(again).toMatchObject({ code: 1, out: expect.stringMatching(/already exists; .* --force/) });

    const r = await run(restoreCommand, [file], { DATA_DIR: target });
    expect(r.out).toMatch(/Restored .* 6 incidents/);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/behind|newer version/);

    // Into a folder that now holds a database: refused, nothing touched.
    const twice = await run(restoreCommand, [file], { DATA_DIR: target });
    expect(twice.code).toBe(1);
    expect(twice.out).toMatch(/is not empty: it holds a database\. .*empty data folder.*Nothing was changed/);

    const db = await startEmbeddedPostgres({ dataDir: target });
    try {
      expect(await snapshot(db.url)).toEqual(before);
      expect(await migrationNames(db.url)).toEqual(MIGRATIONS.map((m) => m.name));
    } finally {
      await db.stop();
    }
    const restored = await startApp({ dataDir: target, port: 0, seedDemo: false, rateLimitPerMinute: 0, analytics: { intervalMs: 0 } });
    try {
      expect(await graphqlAnswers(restored, token)).toBe(6);
    } finally {
      await restored.close();
    }
  });

  it('refuses a missing, damaged or truncated file and a folder with no database, writing nothing', async () => {
    const empty = join(tmp, 'embedded-empty');
    const missing = await run(restoreCommand, [join(tmp, 'nope.tar.gz')], { DATA_DIR: empty });
    expect(missing).toMatchObject({ code: 1, out: expect.stringMatching(/There is no backup file .*nope\.tar\.gz/) });

    const bytes = readFileSync(file);
    const truncated = join(tmp, 'truncated.tar.gz');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const t = await run(restoreCommand, [truncated], { DATA_DIR: empty });
    expect(t.code).toBe(1);
    expect(t.out).toMatch(/truncated\.tar\.gz is damaged or truncated: .*Nothing was restored/);

    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)]! ^= 0xff;
    const damaged = join(tmp, 'damaged.tar.gz');
    writeFileSync(damaged, flipped);
    const d = await run(restoreCommand, [damaged], { DATA_DIR: empty });
    expect(d.code).toBe(1);
    expect(d.out).toMatch(/damaged/);

    const junk = join(tmp, 'junk.bin');
    writeFileSync(junk, randomBytes(4096));
    const j = await run(restoreCommand, [junk], { DATA_DIR: empty });
    expect(j).toMatchObject({ code: 1, out: expect.stringMatching(/not a backup made by db:backup/) });
    expect(existsSync(join(empty, 'pg'))).toBe(false);

    const nothing = await run(backupCommand, [join(tmp, 'nothing.tar.gz')], { DATA_DIR: empty });
    expect(nothing).toMatchObject({ code: 1, out: expect.stringMatching(/There is no embedded database in .*nothing to back up/) });
    expect(existsSync(join(tmp, 'nothing.tar.gz'))).toBe(false);

    const usage = await run(backupCommand, [], { DATA_DIR: empty });
    expect(usage).toMatchObject({ code: 2, out: expect.stringMatching(/needs the backup file's name/) });
  });
});

describe.skipIf(!serverUrl)('PostgreSQL server (DATABASE_URL)', () => {
  const names: string[] = [];
  const urlOf = (name: string) => {
    const u = new URL(serverUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  async function createDatabase(): Promise<string> {
    const name = `ikb_backup_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    names.push(name);
    return urlOf(name);
  }
  const file = join(tmp, 'server.dump');
  let source: string;
  let token: string;
  let before: Record<string, string>;

  beforeAll(async () => {
    source = await createDatabase();
    const orm = await openOrm(source);
    try {
      await migrate(orm);
      await seedDemo(orm.em.fork(), { incidents: 40 });
      const auth = new AuthService(orm.em.fork());
      const admin = await auth.createUserAccount(ADMIN);
      token = (await auth.createToken({ id: admin.id }, 'ADMIN', 'backup test')).secret;
    } finally {
      await orm.close(true);
    }
    await addTrickyText(source);
    before = await snapshot(source);
  });
  afterAll(async () => {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('backs up with pg_dump (custom format, owner-only file) and never overwrites without --force', async () => {
    const b = await run(backupCommand, [file], { DATABASE_URL: source });
    expect(b.out).toMatch(/Backed up "ikb_backup_\w+" on .*40 incidents.*with pg_dump/);
    expect(b.code).toBe(0);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const size = statSync(file).size;

    writeFileSync(join(tmp, 'occupied.dump'), 'keep me');
    const again = await run(backupCommand, [join(tmp, 'occupied.dump')], { DATABASE_URL: source });
    expect(again).toMatchObject({ code: 1, out: expect.stringMatching(/occupied\.dump already exists; .* --force/) });
    expect(readFileSync(join(tmp, 'occupied.dump'), 'utf8')).toBe('keep me');
    const forced = await run(backupCommand, [join(tmp, 'occupied.dump'), '--force'], { DATABASE_URL: source });
    expect(forced.code).toBe(0);
    expect(statSync(join(tmp, 'occupied.dump')).size).toBe(size);
  });

  it('restores into a fresh empty database: every table and sequence identical, same migrations, the API serves it', async () => {
    const target = await createDatabase();
    const r = await run(restoreCommand, [file], { DATABASE_URL: target });
    expect(r.out).toMatch(/Restored .*server\.dump .* into "ikb_backup_\w+" .*40 incidents/);
    expect(r.code).toBe(0);
    const after = await snapshot(target);
    expect(Object.keys(after).length).toBeGreaterThan(30);
    expect(after).toEqual(before);
    expect(await migrationNames(target)).toEqual(MIGRATIONS.map((m) => m.name));

    const app = await startApp({ databaseUrl: target, port: 0, seedDemo: false, rateLimitPerMinute: 0, analytics: { intervalMs: 0 } });
    try {
      expect(await graphqlAnswers(app, token)).toBe(40);
    } finally {
      await app.close();
    }
  });

  it('refuses a database with tables, rows or migrations, and changes nothing', async () => {
    const migratedOnly = await createDatabase();
    const orm = await openOrm(migratedOnly);
    await migrate(orm);
    await orm.close(true);
    for (const target of [migratedOnly, source]) {
      const was = await snapshot(target);
      const r = await run(restoreCommand, [file], { DATABASE_URL: target });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(
        new RegExp(
          /is not empty: \d+ tables, \d+ of them with rows.*, \d+ applied migrations\. /.source +
            /db:restore only restores into an empty database.*Nothing was changed/.source,
        ),
      );
      expect(await snapshot(target)).toEqual(was);
    }
  });

  it('refuses a missing, foreign or damaged file; a truncated archive restores nothing', async () => {
    const target = await createDatabase();
    const missing = await run(restoreCommand, [join(tmp, 'nope.dump')], { DATABASE_URL: target });
    expect(missing).toMatchObject({ code: 1, out: expect.stringMatching(/There is no backup file .*nope\.dump/) });

    const junk = join(tmp, 'junk.dump');
    writeFileSync(junk, randomBytes(4096));
    expect(await run(restoreCommand, [junk], { DATABASE_URL: target })).toMatchObject({
      code: 1,
      out: expect.stringMatching(/not a backup made by db:backup/),
    });

    const sql = join(tmp, 'plain.sql');
    writeFileSync(sql, '--\n-- PostgreSQL database dump\n--\nSET statement_timeout = 0;\n');
    expect(await run(restoreCommand, [sql], { DATABASE_URL: target })).toMatchObject({
      code: 1,
      out: expect.stringMatching(/plain SQL script.*psql/),
    });

    const bytes = readFileSync(file);
    for (const cut of [0.3, 0.9]) {
      const truncated = join(tmp, `truncated-${cut}.dump`);
      writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * cut)));
      const t = await run(restoreCommand, [truncated], { DATABASE_URL: target });
      expect(t.code).toBe(1);
      expect(t.out).toMatch(/damaged|truncated|nothing was restored/i);
      expect(await snapshot(target)).toEqual({}); // still empty: no table, no sequence
    }
  });

  it('refuses a backup of the other kind, saying where it can go', async () => {
    const target = await createDatabase();
    if (embeddedBackup) {
      const r = await run(restoreCommand, [embeddedBackup], { DATABASE_URL: target });
      expect(r).toMatchObject({
        code: 1,
        out: expect.stringMatching(/backup of the embedded database .*cannot be restored into a PostgreSQL server\. .*unset DATABASE_URL/),
      });
    }
    const dir = join(tmp, 'embedded-cross');
    const r = await run(restoreCommand, [file], { DATA_DIR: dir });
    expect(r).toMatchObject({
      code: 1,
      out: expect.stringMatching(/backup of a PostgreSQL server .*cannot be restored into the embedded database\. .*set DATABASE_URL/),
    });
    expect(existsSync(join(dir, 'pg'))).toBe(false);
  });
});

describe('pg_dump and pg_restore', () => {
  it('passes the password in PGPASSWORD, never on the command line', () => {
    const c = connectionFor('postgres://ikb:s3cr%40t%2Fpw@db.internal:6432/ikb_prod?sslmode=require');
    expect(c.dbname).toBe('postgres://ikb@db.internal:6432/ikb_prod?sslmode=require');
    expect(c.env.PGPASSWORD).toBe('s3cr@t/pw');
    expect(c.label).toBe('"ikb_prod" on db.internal:6432');
  });

  it('names what to install when pg_dump is missing or older than the server', () => {
    const none = join(tmp, 'no-tools');
    mkdirSync(none, { recursive: true });
    expect(() => findPgTool('pg_dump', 15, { dirs: [none] })).toThrow(
      /pg_dump was not found .*Install the PostgreSQL 15 client tools \(Debian\/Ubuntu: apt-get install postgresql-client-15/,
    );
    const old = join(tmp, 'old-tools');
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n');
    chmodSync(join(old, 'pg_dump'), 0o755);
    expect(() => findPgTool('pg_dump', 15, { dirs: [none, old] })).toThrow(
      /pg_dump is older than the server: found 9\.6\.24 \(.*old-tools\/pg_dump\), the server is PostgreSQL 15; .*postgresql-client-15/,
    );
  });
});
