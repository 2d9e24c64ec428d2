import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite does not lock its data folder: a second process opening it (the CLI while the API runs,
 * a second API) writes to the same files and corrupts the database. A lock file beside the folder
 * names the process that has it; a lock whose process is gone (killed) is taken over.
 */
export const lockFile = (dataDir: string) => join(dataDir, 'pg.lock');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, another user's
  }
};

/** The process holding the embedded database of `dataDir`, if a live one does (this one excluded). */
export function lockHolder(dataDir: string): { pid: number; command: string } | null {
  let text: string;
  try {
    text = readFileSync(lockFile(dataDir), 'utf8');
  } catch {
    return null;
  }
  const [pidText, ...rest] = text.split('\n');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return null;
  return { pid, command: rest.join(' ').trim().slice(0, 120) };
}

/** Takes the lock or throws naming the holder; returns the release. */
export function lockDataDir(dataDir: string): () => void {
  const holder = lockHolder(dataDir);
  if (holder) {
    throw new Error(
      `The embedded database in ${dataDir} is in use by process ${holder.pid}${holder.command ? ` (${holder.command})` : ''}: ` +
        'it serves one process at a time. Stop that process first (e.g. the API, before `pnpm cli`), or set DATABASE_URL to use a ' +
        'PostgreSQL server.',
    );
  }
  const fd = openSync(lockFile(dataDir), 'w');
  writeSync(fd, `${process.pid}\n${process.argv.slice(1).join(' ')}\n`);
  closeSync(fd);
  const release = () => {
    try {
      if (Number(readFileSync(lockFile(dataDir), 'utf8').split('\n')[0]) === process.pid) rmSync(lockFile(dataDir));
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return release;
}
