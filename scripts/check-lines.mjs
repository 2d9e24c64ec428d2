#!/usr/bin/env node
// `pnpm lint:lines`: no line over 140 characters in a hand-written source file (Prettier's
// printWidth, .prettierrc.json). Prettier wraps code but leaves long strings, template literals
// and comments as they are; this check is what keeps those readable too. Generated code
// (apps/web/gql, written by graphql-codegen) and build output are not looked at.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX = 140;
const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|css)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.next', '.data', 'coverage', 'test-output', '.git', 'fixtures']);
const GENERATED = [join('apps', 'web', 'gql')];

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIP_DIRS.has(entry.name) || GENERATED.includes(relative(root, path))) continue;
      yield* files(path);
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

const long = [];
for (const top of ['apps', 'packages', 'tests', 'scripts']) {
  for (const file of files(join(root, top))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.length > MAX) long.push(`${relative(root, file)}:${i + 1}: ${line.length} characters`);
    });
  }
}
if (long.length) {
  console.error(`${long.length} line(s) over ${MAX} characters (wrap strings, SQL and comments by hand):`);
  const shown = Number(process.env.LINES_SHOWN ?? 200);
  for (const l of long.slice(0, shown)) console.error(`  ${l}`);
  if (long.length > shown) console.error(`  ... and ${long.length - shown} more`);
  process.exit(1);
}
console.log(`No line over ${MAX} characters.`);
