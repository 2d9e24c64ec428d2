#!/usr/bin/env node
// JavaScript a page loads on first visit: every <script src> in its HTML, raw and gzip-compressed.
// Usage: node scripts/js-size.mjs [baseUrl] path ...
import { gzipSync } from 'node:zlib';

const [base = 'http://localhost:3000', ...paths] = process.argv.slice(2);
for (const path of paths.length ? paths : ['/']) {
  const html = await (await fetch(base + path)).text();
  const srcs = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]))];
  let raw = 0;
  let gz = 0;
  for (const src of srcs) {
    const buf = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    raw += buf.length;
    gz += gzipSync(buf).length;
  }
  console.log(`${path}: ${srcs.length} scripts, ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip`);
}
