#!/usr/bin/env node
// The API's production build: esbuild bundles src/main.ts (the server) and src/cli/main.ts (the
// command line), with @ikb/domain's TypeScript inside, into dist/main.js and dist/cli.js (CommonJS,
// with source maps). Every other import (npm packages, Node built-ins) stays a require() resolved
// from apps/api/node_modules at run time, as under tsx. The transform is the one tsx applies today
// (esbuild, the tsconfig's experimentalDecorators and useDefineForClassFields, keepNames, no
// decorator metadata), so the compiled server behaves as the TypeScript one does.
//
// dist/build-info.json lists every file the bundles were made from with a hash of its content;
// the build is fresh while those files are unchanged (a check of some tens of milliseconds).
// `pnpm start`, the CLI launcher (bin/cli.mjs) and the tests' API process build when it is not;
// `pnpm build` builds ahead (esbuild is a devDependency: an install without them needs a build).
//
// Usage: node apps/api/scripts/build.mjs [--if-stale] [--quiet]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const apiDir = fileURLToPath(new URL('..', import.meta.url));
export const distDir = join(apiDir, 'dist');
const INFO = join(distDir, 'build-info.json');
const ENTRIES = { main: 'src/main.ts', cli: 'src/cli/main.ts' };
/** Besides the bundled sources, what else decides the output. */
const CONFIG_FILES = ['scripts/build.mjs', 'tsconfig.json', '../../tsconfig.base.json'];
const FORMAT = 1;

const hashOf = (file) => createHash('sha256').update(readFileSync(file)).digest('base64url');
/** Where the bundled sources live (the build records only those it used). */
const SOURCE_DIRS = ['src', '../../packages/domain/src'];

function filesUnder(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

function readInfo() {
  try {
    const info = JSON.parse(readFileSync(INFO, 'utf8'));
    return info.format === FORMAT ? info : null;
  } catch {
    return null;
  }
}

/** Why the build in dist/ cannot be used as it is, or null when it can. */
export function staleReason() {
  const info = readInfo();
  if (!info) return 'no build yet';
  for (const name of Object.keys(ENTRIES)) if (!existsSync(join(distDir, `${name}.js`))) return `dist/${name}.js is missing`;
  for (const [file, hash] of Object.entries(info.inputs)) {
    const abs = join(apiDir, file);
    if (!existsSync(abs)) return `${file} is gone`;
    if (hashOf(abs) !== hash) return `${file} changed`;
  }
  return null;
}

/** Bare imports stay require()s resolved at run time, except the workspace's own @ikb/* (TypeScript: bundled). */
const packagesStayExternal = {
  name: 'packages-stay-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@ikb/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Each module keeps its own __dirname / __filename (env.ts finds the top-level .data and .env
 * from it), as under tsx, instead of the bundle's: rewritten relative to the bundle's directory,
 * so the build still works when the checkout moves.
 */
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(text)) return undefined;
      const rel = (p) => JSON.stringify(relative(distDir, p).split(sep).join('/'));
      const contents = text.replace(
        /\b__(dirname|filename)\b/g,
        (_, which) => `require("node:path").join(__dirname, ${rel(which === 'dirname' ? dirname(args.path) : args.path)})`,
      );
      return { contents, loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

/** Builds dist/ (always); returns the time it took in ms. Throws with esbuild's messages on an error. */
export async function build() {
  const t0 = Date.now();
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed (it is a devDependency of @ikb/api): run `pnpm install --frozen-lockfile` at the top level');
  }
  // Hashed before building: a file edited while esbuild runs then fails the next check, not the other way round.
  const before = new Map();
  for (const dir of SOURCE_DIRS) for (const file of filesUnder(join(apiDir, dir))) before.set(file, hashOf(file));
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: apiDir,
      entryPoints: ENTRIES,
      outdir: 'dist',
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20.19',
      // One tsconfig for every file, as tsx applies the one it finds for the whole process.
      tsconfig: 'tsconfig.json',
      // Class and function names as written: type-graphql and MikroORM name types and entities after them.
      keepNames: true,
      // Readable code (stack traces name dist/main.js lines, each module starts with a comment naming
      // its source file); the maps turn them into src/*.ts lines with NODE_OPTIONS=--enable-source-maps
      // (not on by default: it costs each process ~0.3 s of CPU at start and ~15 MB).
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      metafile: true,
      write: false,
      logLevel: 'silent',
      plugins: [packagesStayExternal, ownDirname],
    });
  } finally {
    // The service process esbuild keeps for further builds: none here (pnpm start would keep it for its lifetime).
    await esbuild.stop();
  }
  for (const w of result.warnings)
    console.error(`[build] warning: ${w.text}${w.location ? ` (${w.location.file}:${w.location.line})` : ''}`);
  mkdirSync(distDir, { recursive: true });
  // Each file is written whole and renamed into place, so a process starting meanwhile, or a
  // second build running at the same time (two test files), never reads half a file.
  for (const f of result.outputFiles) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...CONFIG_FILES].sort()) {
    const abs = join(apiDir, file);
    inputs[relative(apiDir, abs).split(sep).join('/')] = before.get(abs) ?? hashOf(abs);
  }
  const tmp = `${INFO}.${process.pid}.tmp`;
  writeFileSync(
    tmp,
    `${JSON.stringify({ format: FORMAT, builtAt: new Date().toISOString(), esbuild: esbuild.version, inputs }, null, 1)}\n`,
  );
  renameSync(tmp, INFO);
  return Date.now() - t0;
}

/** Builds when dist/ is missing or older than the sources; returns whether it built. */
export async function buildIfStale({ log = (line) => console.error(line) } = {}) {
  const reason = staleReason();
  if (!reason) return false;
  log(`[build] building the API (${reason})...`);
  const ms = await build();
  log(`[build] built apps/api/dist in ${(ms / 1000).toFixed(1)} s`);
  return true;
}

/** What a failed build said, a line per error (esbuild's file:line: message), for the console. */
export function buildErrorText(err) {
  return err?.errors?.length
    ? err.errors.map((e) => `  ${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('\n')
    : `  ${err?.message ?? err}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const quiet = args.includes('--quiet');
  const log = quiet ? () => {} : (line) => console.error(line);
  try {
    if (args.includes('--if-stale')) await buildIfStale({ log });
    else log(`[build] built apps/api/dist in ${((await build()) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(`[build] the API build failed:\n${buildErrorText(err)}`);
    process.exit(1);
  }
}
