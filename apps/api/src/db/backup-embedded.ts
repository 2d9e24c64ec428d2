import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
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
import { lockHolder } from './embedded-lock';
import { processesUsing } from './processes';

/**
 * Backups of the embedded database (PGlite, PostgreSQL 18 in WebAssembly, data in DATA_DIR/pg)
 * with PGlite's own tools: `dumpDataDir()` writes the data folder as a gzipped tarball, and
 * `PGlite.create({ loadDataDir })` unpacks one into an empty folder. This is a physical copy of a
 * database that is closed by everyone else, so it is exact (every table, sequence and index) and
 * needs nothing installed.
 *
 * PGlite's WASM pg_dump (@electric-sql/pglite-tools) was the alternative: its releases pin one
 * PGlite version exactly (0.4.8 wants pglite 0.5.8; there is none for 0.5.14), and its output is a
 * plain INSERT script that pg_restore cannot use either, so it would buy no portability.
 *
 * The embedded database is served by one process. PGlite does not lock its folder against a
 * second PGlite (both would write and corrupt it), so before touching it we look for a process
 * that has files of the folder open (Linux: /proc/<pid>/fd; the API keeps relation files open while
 * it runs) and for the postmaster.pid file PGlite writes at start and removes at a clean stop.
 */

export const embeddedFolder = (dataDir: string) => join(dataDir, 'pg');

const hasDatabase = (pgDir: string) => existsSync(join(pgDir, 'PG_VERSION'));

/** Refuses while the embedded database may be open in another process (the API). */
export function refuseIfInUse(pgDir: string): void {
  const holder = lockHolder(dirname(pgDir));
  const users = [...(holder ? [holder] : []), ...processesUsing(pgDir).filter((u) => u.pid !== holder?.pid)];
  const stopFirst =
    'Stop the API first: the embedded database is served by one process, so db:backup and db:restore run only while the API is stopped.';
  if (users.length) {
    const who = users
      .map((u) => `${u.pid === process.pid ? 'this process' : `process ${u.pid}`}${u.command ? ` (${u.command})` : ''}`)
      .join(', ');
    throw new BackupError(`The embedded database in ${pgDir} is in use by ${who}. ${stopFirst}`);
  }
  if (existsSync(join(pgDir, 'postmaster.pid'))) {
    throw new BackupError(
      `The embedded database in ${pgDir} is open, or was not closed cleanly: ${join(pgDir, 'postmaster.pid')} exists. ${stopFirst} ` +
        'If no API runs on it (it was killed), start it once and stop it (Ctrl-C) so it closes the database, then try again.',
    );
  }
}

async function openPglite(opts: { dataDir: string; loadDataDir?: Blob }): Promise<PGlite> {
  return PGlite.create({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir, extensions: { pg_trgm } });
}

async function inspect(db: PGlite): Promise<{ applied: string[]; incidents: number | undefined; version: string }> {
  const {
    rows: [v],
  } = await db.query<{ v: string; m: string | null; i: string | null }>(
    `select current_setting('server_version') as v, to_regclass('public.mikro_orm_migrations')::text as m,
      to_regclass('public.incidents')::text as i`,
  );
  const applied = v!.m
    ? (await db.query<{ name: string }>(`select name from public.mikro_orm_migrations order by id`)).rows.map((r) => r.name)
    : [];
  const incidents = v!.i
    ? Number((await db.query<{ n: number }>(`select count(*)::int as n from public.incidents`)).rows[0]!.n)
    : undefined;
  return { applied, incidents, version: v!.v.split(' ')[0]! };
}

export async function backupEmbedded(opts: { dataDir: string; file: string; force: boolean; log: BackupLog }): Promise<void> {
  const { file, force, log } = opts;
  const pgDir = embeddedFolder(opts.dataDir);
  if (!hasDatabase(pgDir)) {
    throw new BackupError(
      `There is no embedded database in ${pgDir} (DATA_DIR=${opts.dataDir}): nothing to back up. To back up a PostgreSQL server, ` +
        'set DATABASE_URL.',
    );
  }
  checkTarget(file, force);
  refuseIfInUse(pgDir);
  const t0 = Date.now();
  let db: PGlite;
  try {
    db = await openPglite({ dataDir: pgDir });
  } catch (err) {
    throw new BackupError(`PGlite cannot open the embedded database in ${pgDir}: ${(err as Error).message}`);
  }
  let tarball: Buffer;
  let info: Awaited<ReturnType<typeof inspect>>;
  try {
    info = await inspect(db);
    // Everything on disk, so the copy needs no WAL replay when it is opened.
    await db.exec('checkpoint');
    tarball = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
  } finally {
    await db.close();
  }
  const partial = partialName(file);
  try {
    writeFileSync(partial, tarball, { mode: 0o600 });
    chmodSync(partial, 0o600);
    publish(partial, file, force);
  } catch (err) {
    removeQuietly(partial);
    throw err;
  }
  const what = info.incidents === undefined ? '' : `, ${info.incidents} incidents`;
  log(
    `Backed up the embedded database in ${pgDir} (PGlite, PostgreSQL ${info.version}, ${describeLevel(info.applied)}${what}) to ${file}: ` +
      `${humanSize(tarball.length)} in ${seconds(t0)}.`,
  );
}

/**
 * Checks a tarball from dumpDataDir before anything is written: it must unpack (gzip checks its
 * CRC), every entry must be whole, and it must hold a PostgreSQL data folder (PG_VERSION).
 */
export function checkTarball(file: string, bytes: Buffer): { pgVersion: string } {
  let tar: Buffer;
  try {
    tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  } catch (err) {
    throw new BackupError(`${file} is damaged or truncated: it does not unpack (${(err as Error).message}). Nothing was restored.`);
  }
  let pgVersion: string | undefined;
  let off = 0;
  let entries = 0;
  let ended = false;
  const str = (b: Buffer) => b.toString('utf8').replace(/\0[\s\S]*$/, '');
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((x) => x === 0)) {
      ended = true;
      break;
    }
    const name = `${str(h.subarray(345, 500)) ? `${str(h.subarray(345, 500))}/` : ''}${str(h.subarray(0, 100))}`;
    const size = parseInt(str(h.subarray(124, 136)).trim() || '0', 8);
    if (!Number.isFinite(size) || str(h.subarray(257, 262)) !== 'ustar') {
      throw new BackupError(`${file} is damaged: entry ${entries + 1} of its tarball is not readable. Nothing was restored.`);
    }
    const body = off + 512;
    if (body + size > tar.length) throw new BackupError(`${file} is truncated: its tarball ends inside ${name}. Nothing was restored.`);
    if (name.replace(/^\.?\/+/, '') === 'PG_VERSION')
      pgVersion = tar
        .subarray(body, body + size)
        .toString('utf8')
        .trim();
    off = body + Math.ceil(size / 512) * 512;
    entries++;
  }
  if (!ended) throw new BackupError(`${file} is truncated: its tarball has no end. Nothing was restored.`);
  if (!pgVersion)
    throw new BackupError(
      `${file} is a tarball, but not of a database data folder (no PG_VERSION): not a backup made by db:backup. Nothing was restored.`,
    );
  return { pgVersion };
}

export async function restoreEmbedded(opts: { dataDir: string; file: string; log: BackupLog }): Promise<void> {
  const { file, log } = opts;
  const kind = detectBackupFile(file);
  if (kind.kind !== 'embedded') refuseKind(file, kind.kind, 'embedded');
  const pgDir = embeddedFolder(opts.dataDir);
  if (existsSync(pgDir)) {
    if (!statSync(pgDir).isDirectory()) throw new BackupError(`${pgDir} exists and is not a folder.`);
    if (readdirSync(pgDir).length > 0) {
      refuseIfInUse(pgDir);
      throw new BackupError(
        `${pgDir} is not empty${hasDatabase(pgDir) ? ': it holds a database' : ''}. db:restore only restores into an empty data folder, ` +
          'so that nothing is overwritten or mixed; ' +
          'point DATA_DIR at a new folder (e.g. DATA_DIR=.data-restored), or move this one away, and run db:restore again. ' +
          'Nothing was changed.',
      );
    }
  }
  const bytes = readFileSync(file);
  const { pgVersion } = checkTarball(file, bytes);
  const t0 = Date.now();

  // Unpack and open it beside the target, and only then move it into place: a restore that
  // fails half-way leaves the target as it was.
  mkdirSync(opts.dataDir, { recursive: true });
  const staging = mkdtempSync(join(opts.dataDir, '.pg-restore-'));
  const stagedPg = join(staging, 'pg');
  let info: Awaited<ReturnType<typeof inspect>>;
  try {
    let db: PGlite;
    try {
      db = await openPglite({ dataDir: stagedPg, loadDataDir: new Blob([bytes]) });
    } catch (err) {
      throw new BackupError(
        `PGlite cannot open the database in ${file} (PostgreSQL ${pgVersion} data folder): ${(err as Error).message}. ` +
          'Nothing was restored.',
      );
    }
    try {
      info = await inspect(db);
      await db.exec('checkpoint');
    } finally {
      await db.close();
    }
    if (existsSync(pgDir)) rmdirSync(pgDir); // empty (checked above); rmdir refuses otherwise
    renameSync(stagedPg, pgDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const what = info.incidents === undefined ? '' : `, ${info.incidents} incidents`;
  log(
    `Restored ${file} into the embedded database in ${pgDir} (PostgreSQL ${info.version}, ${describeLevel(info.applied)}${what}) in ` +
      `${seconds(t0)}.`,
  );
  for (const note of levelNotes(info.applied)) log(note);
}
