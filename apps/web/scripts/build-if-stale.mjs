#!/usr/bin/env node
// Builds the web app (`next build`) unless .next already holds a build of exactly these sources:
// a hash of apps/web (without node_modules, .next and generated type files) and packages/domain/src
// is stored in .next/ikb-source-hash after each successful build. Used by `pnpm test` before the
// browser tests and by the browser tests themselves. Exit code: that of the build (0 when fresh).
// Usage: node apps/web/scripts/build-if-stale.mjs [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const root = join(web, '../..');
const SKIP = new Set(['node_modules', '.next', '.next-build.lock', 'next-env.d.ts', 'tsconfig.tsbuildinfo', '.turbo']);

function files(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) files(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

export function sourceHash() {
  const h = createHash('sha256');
  for (const f of [...files(web), ...files(join(root, 'packages/domain/src'))].sort()) {
    h.update(relative(root, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

const stamp = join(web, '.next/ikb-source-hash');

export function isFresh() {
  return existsSync(join(web, '.next/BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === sourceHash();
}

export function buildIfStale({ force = false, log = console.log } = {}) {
  if (!force && isFresh()) {
    log('[web] .next is up to date with the sources: no build needed');
    return 0;
  }
  // Two processes (test files, pnpm start) building at once break each other's .next: one builds,
  // the others wait for it and then find the build fresh.
  return withBuildLock(log, () => {
    if (!force && isFresh()) {
      log('[web] built meanwhile by another process: no build needed');
      return 0;
    }
    const hash = sourceHash();
    log('[web] building the web app (next build)...');
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [join(web, 'scripts/next.mjs'), 'build'], {
      cwd: web,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    });
    if (r.status !== 0) return r.status ?? 1;
    writeFileSync(stamp, `${hash}\n`);
    log(`[web] built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  });
}

const lockDir = join(web, '.next-build.lock');
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};

/** Runs fn holding .next-build.lock (a directory: mkdir is atomic), taken over from a process that died. */
function withBuildLock(log, fn) {
  let said = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let pid = 0;
      try {
        pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {}
      let age = 0;
      try {
        age = Date.now() - statSync(lockDir).mtimeMs;
      } catch {}
      // A holder that died, or a lock whose holder never wrote its pid.
      if ((pid && !alive(pid)) || (!pid && age > 30_000)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!said) log(`[web] waiting for the build another process (pid ${pid || '?'}) is making...`);
      said = true;
      sleep(500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(buildIfStale({ force: process.argv.includes('--force') }));
}
