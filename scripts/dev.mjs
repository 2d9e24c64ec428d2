#!/usr/bin/env node
// `pnpm dev`: the API from its TypeScript sources with tsx, restarted when a file it imports
// changes (apps/api/src, packages/domain/src), and the web app's own server in development mode
// (Next.js compiling pages on demand, with fast refresh). Same ports, database and environment as
// `pnpm start`, nothing built; Ctrl+C stops both. `pnpm start` runs the compiled build instead.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = Number(process.env.API_PORT || 4000);
const webPort = Number(process.env.WEB_PORT || 3000);
const apiHost = process.env.API_HOST || '127.0.0.1';
const apiUrl = `http://${apiHost === '0.0.0.0' ? '127.0.0.1' : apiHost}:${apiPort}`;
const proxySecret = process.env.PROXY_SECRET?.trim() || randomBytes(32).toString('base64url');
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  API_PORT: String(apiPort),
  WEB_PORT: String(webPort),
  API_URL: process.env.API_URL || `${apiUrl}/graphql`,
  PROXY_SECRET: proxySecret,
};

const children = [];
const running = () => children.filter((c) => c.exitCode === null && c.signalCode === null);
let stopping = false;
function stop(code = 0, signal = 'SIGTERM', delayMs = 0) {
  if (stopping) return;
  stopping = true;
  // After Ctrl+C the terminal has sent SIGINT to every process of the group already: a second
  // signal would make tsx watch kill the API at once (SIGKILL) instead of letting it close the
  // database. So only those still running after a moment get one (e.g. when this process alone
  // was signalled).
  setTimeout(() => {
    for (const c of running()) c.kill(signal);
  }, delayMs).unref();
  setTimeout(() => process.exit(code), delayMs + 10_000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => stop(0, 'SIGINT', 3000));
process.on('SIGTERM', () => stop(0, 'SIGTERM'));

function run(name, args, cwd) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[dev] ${name} exited (${signal ?? code}); stopping`);
      stop(code || 1);
    }
  });
}

const api = join(root, 'apps/api');
const web = join(root, 'apps/web');
run('api (tsx watch)', [join(api, 'node_modules/tsx/dist/cli.mjs'), 'watch', '--clear-screen=false', 'src/main.ts'], api);
run('web (next dev)', [join(web, 'server.mjs'), '--dev', '--port', String(webPort)], web);
console.log(`[dev] API ${apiUrl}/graphql (restarts on changes), web app http://localhost:${webPort} (development mode); Ctrl+C stops both`);
