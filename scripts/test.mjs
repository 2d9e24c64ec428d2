#!/usr/bin/env node
// `pnpm test`: type-checks every package, then runs each package's vitest suite (domain unit
// tests, API tests including the schema drift check, cross-app tests over HTTP) and prints one
// closing line "N passed, N failed". DATABASE_URL set: tests use that server (a fresh database
// per test file); unset: each test file runs on its own in-memory embedded PostgreSQL.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'test' };
const out = mkdtempSync(join(tmpdir(), 'ikb-test-'));
const steps = [];

function run(label, cmd, args, cwd) {
  console.log(`\n=== ${label}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd, env, stdio: 'inherit' });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  steps.push({ label, ok: r.status === 0, seconds });
  return r.status === 0;
}

const pkgs = [
  { name: 'domain', dir: 'packages/domain' },
  { name: 'api', dir: 'apps/api' },
  { name: 'web', dir: 'apps/web', typecheckOnly: true },
  { name: 'tests', dir: 'tests' },
].filter((p) => only.length === 0 || only.includes(p.name));

let passed = 0;
let failed = 0;
let typeErrors = 0;

for (const p of pkgs) {
  const cwd = join(root, p.dir);
  const tsc = join(cwd, 'node_modules/typescript/bin/tsc');
  if (p.name === 'web') {
    if (!run(`typecheck ${p.name}`, process.execPath, ['scripts/next.mjs', 'typegen'], cwd)) typeErrors++;
  }
  if (!run(`typecheck ${p.name}`, process.execPath, [tsc, '-p', 'tsconfig.json'], cwd)) typeErrors++;
}

// Lint (oxlint: import cycles, deep imports, correctness), format (Prettier) and line length over everything, once.
const oxlint = [
  join(root, 'node_modules/oxlint/bin/oxlint'),
  '-c',
  '.oxlintrc.json',
  '--deny-warnings',
  'apps',
  'packages',
  'tests',
  'scripts',
];
const prettier = [
  join(root, 'node_modules/prettier/bin/prettier.cjs'),
  '--check',
  '--log-level',
  'warn',
  '**/*.{ts,tsx,mjs,js,cjs,mts,css}',
];
if (only.length === 0 && !run('lint', process.execPath, oxlint, root)) typeErrors++;
if (only.length === 0 && !run('format', process.execPath, prettier, root)) typeErrors++;
if (only.length === 0 && !run('line length', process.execPath, [join(root, 'scripts/check-lines.mjs')], root)) typeErrors++;

for (const p of pkgs.filter((x) => !x.typecheckOnly)) {
  const cwd = join(root, p.dir);
  // The browser tests run the built web app: build it first unless .next matches the sources.
  if (p.name === 'tests' && !run('build web (for the browser tests)', process.execPath, ['apps/web/scripts/build-if-stale.mjs'], root))
    failed += 1;
  const report = join(out, `${p.name}.json`);
  const vitest = join(cwd, 'node_modules/vitest/vitest.mjs');
  run(`vitest ${p.name}`, process.execPath, [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], cwd);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    // A suite that failed to load counts as a failure even though no test inside it ran.
    failed += r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  } else {
    failed += 1;
  }
}

console.log('\n=== summary');
for (const s of steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.label} (${s.seconds} s)`);
if (typeErrors)
  console.log(`${typeErrors} check(s) failed: type check, lint, format or line length (see above; pnpm format fixes the format)`);
console.log(`${passed} passed, ${failed + typeErrors} failed`);
process.exit(failed + typeErrors > 0 || passed === 0 ? 1 : 0);
