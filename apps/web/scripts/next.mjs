#!/usr/bin/env node
// Portable wrapper around the `next` CLI (no shell syntax in package.json scripts):
// - always disables telemetry (NEXT_TELEMETRY_DISABLED=1),
// - `start` and `dev` run the app's own server (server.mjs: client address, security headers,
//   body limit) instead of `next start` / `next dev`, on WEB_PORT (default 3000) unless
//   -p/--port is given; every other command (build, typegen ...) is Next's own.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const command = args[0];
const serve = command === 'start' || command === 'dev';

let argv;
if (serve) {
  const rest = args.slice(1);
  if (!rest.some((a) => a === '-p' || a === '--port' || a.startsWith('--port='))) rest.push('--port', process.env.WEB_PORT || '3000');
  argv = [fileURLToPath(new URL('../server.mjs', import.meta.url)), ...(command === 'dev' ? ['--dev'] : []), ...rest];
} else {
  argv = [require.resolve('next/dist/bin/next'), ...args];
}

const child = spawn(process.execPath, argv, {
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
