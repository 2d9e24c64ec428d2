import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportsCli } from '@ikb/api/src/features/imports/imports.cli';
import { apiDir } from './support/api-process';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The limits the GraphQL edge enforces hold on the command line too. Hostile arguments
 * (control characters, unknown roles, malformed ids, missing files, binary files) end with a message
 * naming what was wrong and a non-zero exit, never a stack trace or a half-written record.
 */

let t: TestApp;
let tmp: string;
beforeAll(async () => {
  t = await startTestApp();
  tmp = mkdtempSync(join(tmpdir(), 'ikb-cli-hostile-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** `pnpm cli ...` as a user runs it (asynchronously: an embedded database is served from this process). */
const cli = (args: string[]) =>
  new Promise<{ status: number | null; out: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(apiDir, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', ...args],
      { cwd: apiDir, env: { ...process.env, DATABASE_URL: t.app.databaseUrl, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 100_000 },
      (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });

const imports = async (args: string[]) => {
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  const code = await runImportsCli(args[0]!, args.slice(1), (fn) => fn(t.app.orm.em.fork()), io).catch((e: Error) => {
    lines.push(`THREW ${e.message}`);
    return -1;
  });
  return { code, out: lines.join('\n') };
};

describe('pnpm cli token', () => {
  it('refuses a label with control characters, an unknown role and a malformed id, saying which', { timeout: 120_000 }, async () => {
    const tokensBefore = (await t.sql(`select count(*)::int as n from api_tokens`))[0].n;
    const [escape, role, id] = await Promise.all([
      cli(['token', 'create', '--user', 'test-admin@example.test', '--role', 'VIEWER', '--name', 'ci\u001b[2Jbot']),
      cli(['token', 'create', '--user', 'test-admin@example.test', '--role', 'ROOT']),
      cli(['token', 'revoke', '--id', "1' or '1'='1"]),
    ]);
    expect(escape.status).not.toBe(0);
    expect(escape.out).toMatch(/Name contains a control character, U\+001B/);
    expect(role.status).not.toBe(0);
    expect(role.out).toMatch(/--role must be one of ADMIN, PROBLEM_MANAGER, ENGINEER, VIEWER; got "ROOT"/);
    expect(id.status).not.toBe(0);
    expect(id.out).toMatch(/ID: .* is not a valid id/);
    for (const r of [escape, role, id]) expect(r.out).not.toMatch(/\n\s+at .*\.ts:\d+/); // no stack trace
    expect((await t.sql(`select count(*)::int as n from api_tokens`))[0].n).toBe(tokensBefore);
  });
});

describe('pnpm cli ingest-source and import', () => {
  it('refuses an alert source name with a bidi control or line break', async () => {
    for (const name of ['Prom\u202etheus', 'two\nlines']) {
      const r = await imports(['ingest-source', 'create', '--name', name]);
      expect(r.code, r.out).not.toBe(0);
      expect(r.out).toMatch(/--name contains a (bidirectional control character|line break)/);
    }
    expect(await t.sql(`select name from ingest_sources`)).toEqual([]);
  });

  it('refuses a missing file and a binary file by name, writing nothing', async () => {
    const missing = await imports(['import', 'servicenow', join(tmp, 'nope.csv')]);
    expect(missing.code).not.toBe(0);
    expect(missing.out).toMatch(/nope\.csv/);
    const binary = join(tmp, 'binary.csv');
    writeFileSync(binary, Buffer.from([0x00, 0xff, 0xfe, 0x00, 0x01, 0x02, 0x1b, 0x5b]));
    const r = await imports(['import', 'servicenow', binary]);
    expect(r.code).not.toBe(0);
    expect(r.out).not.toMatch(/^THREW/m);
    expect((await t.sql(`select count(*)::int as n from incidents`))[0].n).toBe(0);
  });
});
