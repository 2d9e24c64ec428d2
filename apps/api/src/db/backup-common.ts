import { closeSync, existsSync, fsyncSync, linkSync, openSync, readSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { MIGRATION_NAMES } from './migration-names';

/**
 * Backups of the whole database, in the format native to each kind of database:
 *
 * - a PostgreSQL server (DATABASE_URL): a pg_dump archive in custom format, restored by pg_restore
 *   in one transaction (backup-server.ts);
 * - the embedded database (PGlite in DATA_DIR/pg): PGlite's own dump of its data folder, a gzipped
 *   tarball, restored by PGlite's loadDataDir into an empty data folder (backup-embedded.ts).
 *
 * A restore only ever goes into an empty database, so it never overwrites or mixes data, and it
 * is all or nothing. The two kinds do not cross: PGlite is PostgreSQL 18 in WebAssembly, and its
 * data folder means nothing to a server, while a pg_dump archive needs pg_restore and a server.
 */

/** A refusal or failure the operator can act on; the CLI prints the message alone. */
export class BackupError extends Error {}

export type BackupKind = 'server' | 'embedded';

export interface BackupLog {
  (line: string): void;
}

/** The migrations a database has applied, compared with the ones this version of the code knows. */
export interface MigrationLevel {
  applied: string[];
}

export function describeLevel(applied: string[]): string {
  if (applied.length === 0) return 'no migrations applied';
  return `migration level ${applied[applied.length - 1]} (${applied.length} applied)`;
}

/** What the operator should know about a restored database's migrations against this code. */
export function levelNotes(applied: string[]): string[] {
  const known = [...MIGRATION_NAMES];
  const done = new Set(applied);
  const pending = known.filter((n) => !done.has(n));
  const unknown = applied.filter((n) => !known.includes(n));
  const notes: string[] = [];
  if (unknown.length) {
    notes.push(
      `Warning: the backup was made by a newer version of the application (migrations unknown to this one: ${unknown.join(', ')}); run ` +
        'that version on it.',
    );
  } else if (pending.length) {
    notes.push(
      `The backup is ${pending.length} migration(s) behind this version; the API applies them at its next start (or run \`pnpm ` +
        `cli db:migrate\`).`,
    );
  }
  return notes;
}

export interface FileKind {
  kind: BackupKind | 'sql' | 'unknown';
  size: number;
}

/** What a file looks like from its first bytes: a pg_dump custom archive, a (gzipped) tarball, plain SQL. */
export function detectBackupFile(file: string): FileKind {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new BackupError(`There is no backup file ${file}.`);
  }
  if (!st.isFile()) throw new BackupError(`${file} is not a file.`);
  if (st.size === 0) throw new BackupError(`${file} is empty: it is not a backup (a backup that failed half-way?).`);
  const head = Buffer.alloc(512);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 512, 0);
  } finally {
    closeSync(fd);
  }
  const b = head.subarray(0, n);
  if (b.subarray(0, 5).toString('latin1') === 'PGDMP') return { kind: 'server', size: st.size };
  if (b[0] === 0x1f && b[1] === 0x8b) return { kind: 'embedded', size: st.size };
  if (n >= 262 && b.subarray(257, 262).toString('latin1') === 'ustar') return { kind: 'embedded', size: st.size };
  if (/^\s*--|^\s*(SET|CREATE|BEGIN)\b/i.test(b.toString('utf8'))) return { kind: 'sql', size: st.size };
  return { kind: 'unknown', size: st.size };
}

/** The refusal for a file of the other kind, or of no kind this tool writes. */
export function refuseKind(file: string, found: FileKind['kind'], target: BackupKind): never {
  if (found === 'sql') {
    throw new BackupError(
      `${file} is a plain SQL script, not an archive made by db:backup: load it with psql into an empty database instead.`,
    );
  }
  if (found === 'unknown') {
    throw new BackupError(
      `${file} is not a backup made by db:backup (neither a pg_dump custom-format archive nor an embedded-database tarball), ` +
        'or it is damaged.',
    );
  }
  if (target === 'embedded') {
    throw new BackupError(
      `${file} is a backup of a PostgreSQL server (pg_dump archive); it cannot be restored into the embedded database. ` +
        'Restore it into an empty database on a server: set DATABASE_URL to that database and run db:restore again.',
    );
  }
  throw new BackupError(
    `${file} is a backup of the embedded database (PGlite data folder); it cannot be restored into a PostgreSQL server. ` +
      'Restore it into the embedded database: unset DATABASE_URL, point DATA_DIR at an empty folder and run db:restore again.',
  );
}

/** Refuses to write over an existing file unless asked, before any work is done. */
export function checkTarget(file: string, force: boolean): void {
  if (!existsSync(dirname(file))) throw new BackupError(`The folder ${dirname(file)} does not exist.`);
  if (existsSync(file)) {
    if (!force) throw new BackupError(`${file} already exists; choose another name, or add --force to overwrite it.`);
    if (!statSync(file).isFile()) throw new BackupError(`${file} exists and is not a file.`);
  }
}

/** A temporary name beside the final one (same file system, so the last step is one rename or link). */
export function partialName(file: string): string {
  return `${dirname(file)}/.${basename(file)}.partial-${process.pid}`;
}

/**
 * Moves a finished backup to its name: fsynced, readable by its owner only (it holds password and
 * token hashes), and never over an existing file unless `force` (a hard link fails if the name was
 * taken meanwhile). A failed backup leaves no file that looks complete.
 */
export function publish(partial: string, file: string, force: boolean): void {
  const fd = openSync(partial, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (force) {
    renameSync(partial, file);
    return;
  }
  try {
    linkSync(partial, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      removeQuietly(partial);
      throw new BackupError(`${file} already exists; choose another name, or add --force to overwrite it.`);
    }
    // A file system without hard links: the check before the backup has to do.
    if (existsSync(file)) {
      removeQuietly(partial);
      throw new BackupError(`${file} already exists; choose another name, or add --force to overwrite it.`);
    }
    renameSync(partial, file);
    return;
  }
  unlinkSync(partial);
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export const seconds = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
