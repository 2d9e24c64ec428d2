#!/usr/bin/env node
// `pnpm cli <command>`: builds the API when its sources changed (scripts/build.mjs, a check of
// some tens of milliseconds when nothing did), then runs the compiled command line, dist/cli.js, in a
// child Node with a 64 MB young generation (the importer's garbage collection halves with it; a
// running Node cannot change it). Its exit code and messages are the tool's own.
//
// `pnpm cli` finds this file as the `cli` executable of @ikb/api (a devDependency of the
// workspace root), not as a package script: pnpm then runs it as `pnpm exec` does, passing every
// argument (--help included) and the exit code through without adding lines of its own
// ("$ ...", "[ELIFECYCLE] Command failed", ERR_PNPM_...), which it does for a failing script.
// So neither the root nor apps/api has a `cli` script on purpose: pnpm would run that one first.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildErrorText, buildIfStale, distDir } from '../scripts/build.mjs';

const cli = join(distDir, 'cli.js');
const debug = !!process.env.DEBUG && !/^(0|false|no|off)$/i.test(process.env.DEBUG);

try {
  await buildIfStale({ log: (line) => process.stderr.write(`${line}\n`) });
} catch (err) {
  // Not the previous build instead: it would run code that is no longer the sources (schema:emit --check passing on it).
  process.stderr.write(`pnpm cli: the API build failed:\n${buildErrorText(err)}\n`);
  process.exit(1);
}

// Where the user typed the command, for relative paths (import files, backups). `pnpm cli` runs
// this file in that directory, but INIT_CWD may be left over from an outer pnpm script (a test
// suite); only when a package script ran this file (the root's `pnpm schema:emit`) does pnpm set
// INIT_CWD to it. The command line then runs there, with INIT_CWD saying so.
const userDir = process.env.INIT_CWD && process.env.npm_lifecycle_script?.includes('bin/cli.mjs') ? process.env.INIT_CWD : process.cwd();

// --enable-source-maps with DEBUG: stacks name src/*.ts lines (it costs startup time otherwise).
const child = spawn(
  process.execPath,
  ['--max-semi-space-size=64', ...(debug ? ['--enable-source-maps'] : []), cli, ...process.argv.slice(2)],
  {
    cwd: userDir,
    env: { ...process.env, INIT_CWD: userDir },
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  process.stderr.write(`pnpm cli: ${err.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // Ended by a signal: end the same way, so the shell sees it (130 after Ctrl+C).
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
