#!/usr/bin/env node
// `pnpm start`: builds the API and the web app when needed (missing, or sources changed), starts
// the API as compiled JavaScript (apps/api/dist/main.js; embedded PostgreSQL unless DATABASE_URL is
// set) and then the web app, prints both addresses, and stops both together. `pnpm dev` runs both
// from source with reloading instead (scripts/dev.mjs).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildErrorText, buildIfStale } from '../apps/api/scripts/build.mjs';
import { buildIfStale as buildWebIfStale } from '../apps/web/scripts/build-if-stale.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = Number(process.env.API_PORT || 4000);
const webPort = Number(process.env.WEB_PORT || 3000);
const apiHost = process.env.API_HOST || '127.0.0.1';
const apiUrl = `http://${apiHost === '0.0.0.0' ? '127.0.0.1' : apiHost}:${apiPort}`;
// Shared by the API and the web app so the API believes the browser addresses the web app sends
// (one rate-limit bucket per browser, not one for the web server): random unless configured.
const proxySecret = process.env.PROXY_SECRET?.trim() || randomBytes(32).toString('base64url');
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  API_PORT: String(apiPort),
  WEB_PORT: String(webPort),
  API_URL: process.env.API_URL || `${apiUrl}/graphql`,
  PROXY_SECRET: proxySecret,
};

// The API: esbuild bundles apps/api/src (and @ikb/domain) when dist/ does not match them (a second or two).
try {
  await buildIfStale({ log: (line) => console.log(`[start] ${line.replace(/^\[build\] /, '')}`) });
} catch (err) {
  console.error(`[start] the API build failed:\n${buildErrorText(err)}`);
  process.exit(1);
}

const web = join(root, 'apps/web');
// The web app: `next build` unless .next holds a build of exactly these sources (a hash, the same
// check `pnpm build` and the tests make: a checkout that only touched file times builds nothing).
if (buildWebIfStale({ log: (line) => console.log(`[start] ${line.replace(/^\[web\] /, '')}`) }) !== 0) {
  console.error('[start] web build failed');
  process.exit(1);
}

const children = [];
let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

function run(name, args, cwd) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping`);
      stop(code || 1);
    }
  });
  return child;
}

// Compiled JavaScript in one process (its workers too, with API_WORKERS: node:cluster forks the
// same dist/main.js). NODE_OPTIONS=--enable-source-maps maps stack traces to apps/api/src lines.
run('api', ['dist/main.js'], join(root, 'apps/api'));

async function waitForApi() {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const r = await fetch(`${apiUrl}/readyz`);
      if (r.ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

if (!(await waitForApi())) {
  if (!stopping) {
    console.error('[start] the API did not become ready within 3 minutes');
    stop(1);
  }
} else {
  // The app's own server (client addresses, security headers), not `next start`.
  run('web', [join(web, 'server.mjs'), '--port', String(webPort)], web);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const r = await fetch(`http://127.0.0.1:${webPort}/`);
      if (r.status < 500) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  if (!stopping) {
    console.log('');
    console.log(`  Web app:      http://localhost:${webPort}`);
    console.log(`  GraphQL API:  ${apiUrl}/graphql`);
    const database = process.env.DATABASE_URL ? 'DATABASE_URL' : `embedded PostgreSQL in ${process.env.DATA_DIR || join(root, '.data')}`;
    console.log(`  Database:     ${database}`);
    console.log('  Stop with Ctrl+C.');
    console.log('');
  }
}
