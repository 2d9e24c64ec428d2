import { resolve } from 'node:path';
import type { Env } from '../env';
import type { BackupLog } from './backup-common';
import { backupEmbedded, restoreEmbedded } from './backup-embedded';
import { backupServer, restoreServer } from './backup-server';

/**
 * Backup and restore of the whole database, for `pnpm cli db:backup` / `db:restore`.
 *
 * - DATABASE_URL set (a PostgreSQL server): pg_dump's custom-format archive, restored by
 *   pg_restore in one transaction (backup-server.ts). The API may keep running during a backup.
 * - Embedded (PGlite in DATA_DIR/pg): PGlite's dump of its data folder, a gzipped tarball,
 *   restored into an empty data folder (backup-embedded.ts). Only while the API is stopped.
 *
 * A restore goes into an empty database only, all or nothing, and leaves it at the backup's
 * migration level (the API applies newer migrations at its next start). A backup of one kind is
 * refused by the other kind with a message saying where it can go: PGlite is PostgreSQL 18 in
 * WebAssembly, so its data folder means nothing to a server, and pg_dump 15 refuses to dump it.
 *
 * Neither opens the database through the ORM's migrating path: a backup must not change the
 * database (a backup taken before an upgrade keeps the old schema), and a restore target must stay
 * empty until the restore.
 */

export { BackupError } from './backup-common';
export { connectionFor, findPgTool } from './backup-server';
export { processesUsing } from './processes';

export interface BackupTarget {
  /** Which database: DATABASE_URL, or the embedded one in DATA_DIR. */
  env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR'>;
  file: string;
  log: BackupLog;
}

export async function backupDatabase(opts: BackupTarget & { force?: boolean }): Promise<void> {
  const file = resolve(opts.file);
  const force = opts.force ?? false;
  if (opts.env.DATABASE_URL) return backupServer({ url: opts.env.DATABASE_URL, file, force, log: opts.log });
  return backupEmbedded({ dataDir: opts.env.DATA_DIR, file, force, log: opts.log });
}

export async function restoreDatabase(opts: BackupTarget): Promise<void> {
  const file = resolve(opts.file);
  if (opts.env.DATABASE_URL) return restoreServer({ url: opts.env.DATABASE_URL, file, log: opts.log });
  return restoreEmbedded({ dataDir: opts.env.DATA_DIR, file, log: opts.log });
}
