import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '@ikb/api/src/cli/commands';
import { runCli } from '@ikb/api/src/cli/run';
import { apiDir, ensureApiBuild } from './support/api-process';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * `pnpm cli` reads like a tool, not a build. Run as a user runs it (`pnpm cli ...` from
 * the top of the repository, so through pnpm, the launcher and the compiled dist/cli.js), against
 * this file's test database: every command has --help and `help <command>`, a usage mistake is
 * exit 2, a refusal exit 1 with the message alone, an unexpected error one line (the stack only
 * with DEBUG=1), and pnpm adds nothing of its own (no ELIFECYCLE, no ERR_PNPM).
 */

const root = join(apiDir, '../..');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  // Build once here rather than in several launchers at once.
  ensureApiBuild();
});
afterAll(async () => {
  await t?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `pnpm cli <args>` in the repository's top folder (asynchronously: an embedded test database is served from this process). */
function pnpmCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.app.databaseUrl, LOG_LEVEL: 'silent', ...env };
  // As typed in a shell: no working directory left over from a pnpm script that started vitest.
  if (env.INIT_CWD === undefined) delete childEnv.INIT_CWD;
  if (env.DEBUG === undefined) delete childEnv.DEBUG;
  return new Promise((resolve) => {
    execFile('pnpm', ['cli', ...args], { cwd: root, env: childEnv, encoding: 'utf8', timeout: 120_000 }, (err, stdout, rawStderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      // The launcher's own lines when it rebuilds dist/ first (sources edited meanwhile).
      const stderr = rawStderr.replace(/^\[build\] .*\n/gm, '');
      const run = { code, stdout, stderr };
      // Whatever happened, the output is the tool's own.
      expect(`${stdout}${stderr}`, JSON.stringify(run)).not.toMatch(/ELIFECYCLE|ERR_PNPM|Command failed with exit code/);
      expect(stderr, JSON.stringify(run)).not.toMatch(/^\$ /m);
      resolve(run);
    });
  });
}

/** Runs fn over items, `limit` at a time (each run is a pnpm and two Node processes on a 2-core machine). */
async function eachLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = Array.from({ length: items.length });
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

const NO_STACK = /^\s+at .+:\d+:\d+\)?$/m;

/** Output of runCli in this process, a line per entry. */
function captureIo() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, io: { out: (l: string) => void lines.out.push(l), err: (l: string) => void lines.err.push(l) } };
}

describe('pnpm cli --help', () => {
  it('lists every command with one line each, exit 0', { timeout: 120_000 }, async () => {
    const r = await pnpmCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    for (const c of COMMANDS) {
      const line = lines.filter((l) => l.trimStart().startsWith(`${c.name} `));
      expect(line, c.name).toHaveLength(1);
      expect(line[0]).toContain(c.summary);
    }
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });

  it('without a command: the list on standard error, exit 2', { timeout: 120_000 }, async () => {
    const r = await pnpmCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Say which command/);
    expect(r.stderr).toContain(COMMANDS[0]!.summary);
  });

  it("`<command> --help` prints that command's whole help for every command, exit 0", { timeout: 600_000 }, async () => {
    const runs = await eachLimited(COMMANDS, 2, async (c) => ({ c, r: await pnpmCli([c.name, '--help']) }));
    for (const { c, r } of runs) {
      expect(r.code, `${c.name} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout, c.name).toBe(`${c.help}\n`);
      expect(c.help, c.name).toMatch(/^Usage: pnpm cli /);
    }
  });

  it('`help <command>` and `<command> -h` print the same (the runner in this process, every command)', async () => {
    for (const c of COMMANDS) {
      for (const argv of [
        ['help', c.name],
        [c.name, '-h'],
        [c.name, 'create', '--help'],
      ]) {
        const { io, lines } = captureIo();
        expect(await runCli(argv, { io }), argv.join(' ')).toBe(0);
        expect(lines.out.join('\n'), argv.join(' ')).toBe(c.help);
        expect(lines.err).toEqual([]);
      }
    }
  });
});

describe('usage mistakes: exit 2, saying what was wrong', () => {
  it('an unknown command, with the nearest name and the list', { timeout: 120_000 }, async () => {
    const r = await pnpmCli(['tokn', 'create']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Unknown command "tokn"\. Did you mean "token"\?/);
    expect(r.stderr).toContain('Commands:');
  });

  it('an option before the command', { timeout: 120_000 }, async () => {
    const r = await pnpmCli(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option "--bogus"/);
  });

  it("an unknown option: named, then the command's help", { timeout: 300_000 }, async () => {
    const runs = await eachLimited(
      [COMMANDS.find((c) => c.name === 'db:migrate')!, COMMANDS.find((c) => c.name === 'import')!],
      2,
      async (c) => ({ c, r: await pnpmCli([c.name, '--no-such-option']) }),
    );
    for (const { c, r } of runs) {
      expect(r.code, `${c.name}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr, c.name).toBe(`${c.name}: unknown option --no-such-option\n\n${c.help}\n`);
    }
  });

  it('an unknown option, for every command (the runner in this process): exit 2, named, no database opened', async () => {
    for (const c of COMMANDS) {
      const { io, lines } = captureIo();
      const env = () => {
        throw new Error(`${c.name} read the environment before checking its arguments`);
      };
      const code = await runCli([c.name, '--no-such-option'], { io, env });
      const err = lines.err.join('\n');
      expect(code, `${c.name}: ${err}`).toBe(2);
      expect(err, c.name).toContain('--no-such-option');
      expect(err, c.name).toContain(c.help);
      expect(err, c.name).not.toMatch(NO_STACK);
    }
  });

  it('a missing or malformed value', { timeout: 120_000 }, async () => {
    const [seed, token] = await Promise.all([
      pnpmCli(['db:seed', '--incidents', 'lots']),
      pnpmCli(['token', 'create', '--role', 'VIEWER']),
    ]);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/^db:seed: --incidents must be a whole number from 0 to 100000; got "lots"/);
    expect(token.code).toBe(2);
    expect(token.stderr).toMatch(/^token create: --user <email> is required/);
  });
});

describe('running commands', () => {
  it('does the work: exit 0, the result on standard output', { timeout: 120_000 }, async () => {
    const migrate = await pnpmCli(['db:migrate']);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toBe('The database is up to date: no migration to apply.\n');
    const token = await pnpmCli(['token', 'create', '--user', 'test-admin@example.test', '--role', 'VIEWER', '--name', 'cli-tool test']);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout.trim().split('\n').pop()).toMatch(/^ikb_/);
  });

  it('a refusal: the message alone, exit 1', { timeout: 120_000 }, async () => {
    const r = await pnpmCli(['token', 'create', '--user', 'nobody@example.test', '--role', 'VIEWER']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('User: there is no user with id "nobody@example.test"\n');
  });

  it('db:seed --force on a database holding imported data names what clashes, writes nothing, exit 1', { timeout: 300_000 }, async () => {
    // A relative path, as typed at the top of the repository (an INIT_CWD left by an outer pnpm script does not count).
    const imported = await pnpmCli(['import', 'servicenow', 'tests/fixtures/imports/servicenow-table.csv'], { INIT_CWD: tmpdir() });
    expect(imported.code, imported.stderr).toBe(0);
    const before = await t.sql<{ n: number }>(
      `select (select count(*) from categories)::int + (select count(*) from teams)::int + (select count(*) from users)::int as n`,
    );
    const r = await pnpmCli(['db:seed', '--incidents', '0', '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^This database already has records the demo organisation would create \(.*categories: /);
    expect(r.stderr).not.toMatch(/insert into|duplicate key/i);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(
      await t.sql(
        `select (select count(*) from categories)::int + (select count(*) from teams)::int + (select count(*) from users)::int as n`,
      ),
    ).toEqual(before);
  });

  it('an unexpected error: one line, the stack only with DEBUG=1, exit 1', { timeout: 120_000 }, async () => {
    const closed = 'postgres://postgres@127.0.0.1:1/nothing_here';
    const [plain, debug] = await Promise.all([
      pnpmCli(['db:migrate'], { DATABASE_URL: closed }),
      pnpmCli(['db:migrate'], { DATABASE_URL: closed, DEBUG: '1' }),
    ]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^db:migrate: cannot reach the database \(.*ECONNREFUSED.*\)/);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).not.toMatch(NO_STACK);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(NO_STACK);
  });
});
