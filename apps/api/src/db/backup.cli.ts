import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, UsageError, type CliCommand, type CliContext } from '../cli/command';
import { BackupError, backupDatabase, restoreDatabase } from './backup';

/**
 * `pnpm cli db:backup <file> [--force]` and `pnpm cli db:restore <file>` (logic in db/backup.ts).
 * They open the database themselves rather than through ctx.withEm, which migrates: a backup must
 * not change the database, and a restore target must stay empty until the restore.
 */

function fileArgument(name: string, args: string[], options: { force?: { type: 'boolean' } }): { file: string; force: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file) throw new UsageError(`${name} needs the backup file's name.`);
  if (extra.length) throw new UsageError(`${name} takes one file; got also: ${extra.join(' ')}`);
  // Relative to where `pnpm cli` was typed (INIT_CWD when a package script runs it), as for imports.
  return { file: resolve(process.env.INIT_CWD ?? process.cwd(), file), force: (parsed.values as { force?: boolean }).force ?? false };
}

async function refusalsToCliErrors(fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (err) {
    if (err instanceof BackupError) throw new CliError(err.message);
    throw err;
  }
}

const log = (ctx: CliContext) => (line: string) => ctx.io.out(line);

export const backupCommand: CliCommand = {
  name: 'db:backup',
  summary: 'write a backup of the whole database to a file (pg_dump archive, or the embedded data folder)',
  help: `Usage: pnpm cli db:backup <file> [--force]

Writes a backup of the whole database to <file>:
  - with DATABASE_URL (a PostgreSQL server): a pg_dump archive in custom format, taken from one
    consistent snapshot, so the API may keep running. Needs pg_dump of the server's major version
    or newer (on PATH or in \`pg_config --bindir\`).
  - without it: the embedded database in DATA_DIR/pg, as a gzipped tarball of its data folder
    (PGlite's dumpDataDir). Stop the API first: the embedded database is served by one process.
The file is readable by its owner only (it holds password and token hashes).

Options:
  --force   overwrite <file> if it exists (by default an existing file is never replaced)

Example:
  pnpm cli db:backup backups/ikb-$(date +%F).dump`,
  async run(args, ctx) {
    const { file, force } = fileArgument('db:backup', args, { force: { type: 'boolean' } });
    return refusalsToCliErrors(() => backupDatabase({ env: ctx.env, file, force, log: log(ctx) }));
  },
};

export const restoreCommand: CliCommand = {
  name: 'db:restore',
  summary: 'restore a backup made by db:backup into an empty database',
  help: `Usage: pnpm cli db:restore <file>

Restores a backup made by db:backup into an EMPTY database; a database with any table (or an
applied migration) is refused, and nothing is changed.
  - with DATABASE_URL: a pg_dump archive, loaded by pg_restore in a single transaction (all or
    nothing) into the database DATABASE_URL names; create it first (createdb ikb_restored).
    Objects belong to DATABASE_URL's user; grants are not restored.
  - without it: an embedded-database backup, unpacked into DATA_DIR/pg, which must be empty or
    absent (e.g. DATA_DIR=.data-restored). Stop the API first.
A server backup goes into a server and an embedded backup into the embedded database; the other
way round is refused. The restored database is at the backup's migration level; the API applies
newer migrations at its next start.

Example:
  createdb ikb_restored
  DATABASE_URL=postgres://ikb@db.internal/ikb_restored pnpm cli db:restore backups/ikb-2026-12-05.dump`,
  async run(args, ctx) {
    const { file } = fileArgument('db:restore', args, {});
    return refusalsToCliErrors(() => restoreDatabase({ env: ctx.env, file, log: log(ctx) }));
  },
};
