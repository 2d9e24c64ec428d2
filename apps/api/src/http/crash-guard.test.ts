import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const tsx = join(__dirname, '../../node_modules/tsx/dist/cli.mjs');

/** Runs a script in its own Node process (a crash must be seen as the process ending). */
function run(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsx, '-e', script],
      { cwd: __dirname, env: { ...process.env, LOG_LEVEL: 'error' }, encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

const STRAY = `
  setTimeout(() => { throw new Error('stray exception from a callback'); }, 10);
  void Promise.reject(new Error('stray rejection nobody awaited'));
  setTimeout(() => { console.log('still serving'); process.exit(0); }, 200);
`;

test('without the guard, a stray rejection ends the process (what one malformed request did)', async () => {
  const r = await run(STRAY);
  expect(r.code).not.toBe(0);
  expect(r.out).not.toContain('still serving');
});

test('with the guard, the process logs both errors in full and keeps serving', async () => {
  const r = await run(`const { installCrashGuards } = require('./crash-guard');\ninstallCrashGuards();\n${STRAY}`);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toContain('still serving');
  expect(r.out).toMatch(/unhandled promise rejection; the API keeps running/);
  expect(r.out).toMatch(/stray rejection nobody awaited/);
  expect(r.out).toMatch(/uncaught exception; the API keeps running/);
  expect(r.out).toMatch(/stray exception from a callback/);
});
