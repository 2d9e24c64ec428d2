#!/usr/bin/env node
// Portable wrapper around the `next` CLI (no shell syntax in package.json scripts):
// - always disables telemetry (NEXT_TELEMETRY_DISABLED=1),
// - for `start` and `dev`, listens on WEB_PORT (default 3000) unless -p/--port is given.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const nextBin = require.resolve('next/dist/bin/next');

const args = process.argv.slice(2);
const command = args[0];
if ((command === 'start' || command === 'dev') && !args.some((a) => a === '-p' || a === '--port' || a.startsWith('--port='))) {
  args.push('--port', process.env.WEB_PORT || '3000');
}

const child = spawn(process.execPath, [nextBin, ...args], {
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
