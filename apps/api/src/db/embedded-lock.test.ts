import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startEmbeddedPostgres } from './embedded-postgres';

const dir = mkdtempSync(join(tmpdir(), 'ikb-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another process that opens the embedded database in `dir` and keeps it until killed. */
function holder() {
  // node --import tsx (not the tsx CLI, which forks): the child's pid is the one in the lock.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `require('./src/db/embedded-postgres').startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)} }).then(() => console.log('open'))`,
    ],
    {
      cwd: join(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise<typeof child>((resolve) => child.stdout!.on('data', (d) => String(d).includes('open') && resolve(child)));
}

test(
  'a second process cannot open the embedded database while one has it; a killed holder does not keep it',
  { timeout: 60_000 },
  async () => {
    const first = await holder();
    await expect(startEmbeddedPostgres({ dataDir: dir })).rejects.toThrow(
      new RegExp(`in use by process ${first.pid}.*serves one process at a time`),
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // Killed without closing: the stale lock is taken over.
    const pg = await startEmbeddedPostgres({ dataDir: dir });
    await pg.stop();
  },
);
