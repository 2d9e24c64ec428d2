import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase, startApp, type RunningApp } from '@ikb/api/src/app';
import type { CliContext } from '@ikb/api/src/cli/command';
import { migrate, openOrm } from '@ikb/api/src/db/orm';
import { readEnv } from '@ikb/api/src/env';
import { userCommand } from '@ikb/api/src/features/auth/user.cli';
import { seedDemo } from '@ikb/api/src/seed/demo-seed';
import { Browser, post, strongPassword } from './support/auth-factories';

/**
 * The first admin of a deployment without the demo data. A setup link printed at
 * boot while no admin exists (one-time, an hour, stored hashed), INITIAL_ADMIN_EMAIL / _PASSWORD
 * unattended, `pnpm cli user create` at any time; never with the demo data.
 */

const SERVER = process.env.DATABASE_URL;
const made: string[] = [];
const apps: RunningApp[] = [];

/** A fresh, empty database (a server database when DATABASE_URL is set, else the app's embedded one). */
async function emptyDatabase(): Promise<string | undefined> {
  if (!SERVER) return undefined;
  const name = `ikb_setup_${randomBytes(5).toString('hex')}`;
  const c = new Client({ connectionString: SERVER });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  made.push(name);
  const u = new URL(SERVER);
  u.pathname = `/${name}`;
  return u.toString();
}

async function boot(opts: { databaseUrl?: string; seedDemo?: boolean; initialAdmin?: { email: string; password: string } } = {}) {
  const lines: string[] = [];
  const app = await startApp({
    databaseUrl: opts.databaseUrl,
    port: 0,
    seedDemo: opts.seedDemo ?? false,
    rateLimitPerMinute: 0,
    log: (l) => lines.push(l),
    firstAdmin: { publicWebUrl: 'https://incidents.example.com', initialAdmin: opts.initialAdmin },
  });
  apps.push(app);
  return { app, lines };
}

const linkIn = (lines: string[]) => lines.map((l) => /https:\/\/incidents\.example\.com\/setup\?token=([\w-]+)/.exec(l)?.[1]).find(Boolean);
const SETUP = `mutation($input: CompleteSetupInput!) { completeSetup(input: $input) { role authMethod csrfToken user { email role } } }`;

afterAll(async () => {
  for (const a of apps) await a.close().catch(() => {});
  if (SERVER && made.length) {
    const c = new Client({ connectionString: SERVER });
    await c.connect();
    for (const name of made) await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
});

describe('the setup link', () => {
  let app: RunningApp;
  let token: string;
  beforeAll(async () => {
    const b = await boot({ databaseUrl: await emptyDatabase() });
    app = b.app;
    token = linkIn(b.lines)!;
    expect(token, b.lines.join('\n')).toBeTruthy();
    expect(b.lines.join('\n')).toMatch(/no admin account yet\. Open https:\/\/incidents\.example\.com\/setup\?token=\S+ within 1 hour/);
  });

  it('is stored hashed, never as printed', async () => {
    const rows = await app.orm.em.fork().getConnection().execute(`select token_hash from setup_tokens`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('creates the first admin and signs them in, once', async () => {
    expect((await post<{ setupRequired: boolean }>(app.graphqlUrl, `{ setupRequired }`)).body.data!.setupRequired).toBe(true);
    const wrong = await post(app.graphqlUrl, SETUP, {
      input: { token: 'x'.repeat(43), email: 'ops@example.com', name: 'Ops Lead', password: strongPassword() },
    });
    expect(wrong.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    const weak = await post(app.graphqlUrl, SETUP, { input: { token, email: 'ops@example.com', name: 'Ops Lead', password: 'password1' } });
    expect(weak.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    // A refused attempt does not use the link up.
    const password = strongPassword();
    const ok = await post<{ completeSetup: unknown }>(app.graphqlUrl, SETUP, {
      input: { token, email: 'Ops@Example.com', name: 'Ops Lead', password },
    });
    expect(ok.body.errors, JSON.stringify(ok.body)).toBeUndefined();
    expect(ok.body.data!.completeSetup).toMatchObject({
      role: 'ADMIN',
      authMethod: 'SESSION',
      user: { email: 'ops@example.com', role: 'ADMIN' },
    });
    expect(ok.headers.getSetCookie().join()).toMatch(/ikb_session=/);
    expect((await post<{ setupRequired: boolean }>(app.graphqlUrl, `{ setupRequired }`)).body.data!.setupRequired).toBe(false);
    const again = await post(app.graphqlUrl, SETUP, {
      input: { token, email: 'second@example.com', name: 'Second', password: strongPassword() },
    });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const audit = await app.orm.em
      .fork()
      .getConnection()
      .execute(`select operation, actor_name, variables from audit_log where operation = 'completeSetup'`);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(password);
    // The new admin signs in like anyone.
    expect((await new Browser(app.graphqlUrl).signIn('ops@example.com', password)).body.data!.signIn!.role).toBe('ADMIN');
  });

  it('is not printed once an admin exists (a restart on the same database)', async () => {
    const b = await boot({ databaseUrl: app.databaseUrl });
    expect(linkIn(b.lines)).toBeUndefined();
  });
});

describe('other ways to the first admin', () => {
  it('INITIAL_ADMIN_EMAIL / INITIAL_ADMIN_PASSWORD make it unattended; a weak password stops the boot with the reason', async () => {
    const weakDb = await emptyDatabase();
    await expect(boot({ databaseUrl: weakDb, initialAdmin: { email: 'root@example.com', password: '12345678' } })).rejects.toThrow(
      /INITIAL_ADMIN_EMAIL \/ INITIAL_ADMIN_PASSWORD: Password is one of the most common passwords/,
    );
    const password = strongPassword();
    const b = await boot({ databaseUrl: await emptyDatabase(), initialAdmin: { email: 'root@example.com', password } });
    expect(b.lines.join('\n')).toMatch(/created the first admin root@example.com/);
    expect(linkIn(b.lines)).toBeUndefined();
    expect((await new Browser(b.app.graphqlUrl).signIn('root@example.com', password)).body.data!.signIn!.role).toBe('ADMIN');
  });

  it('never with the demo data: its admin exists, so no link is printed', async () => {
    if (!SERVER) return; // one embedded database per file is enough; the server case is the same code
    const orm = await openOrm((await emptyDatabase())!);
    try {
      await migrate(orm);
      await seedDemo(orm.em.fork(), { incidents: 3 }); // what SEED_DEMO does, smaller
      const lines: string[] = [];
      await prepareDatabase(orm, { log: (l) => lines.push(l), firstAdmin: { publicWebUrl: 'https://incidents.example.com' } });
      expect(linkIn(lines), lines.join('\n')).toBeUndefined();
      expect(await orm.em.fork().getConnection().execute(`select 1 from setup_tokens`)).toEqual([]);
    } finally {
      await orm.close(true);
    }
  });
});

describe('pnpm cli user', () => {
  let url: string | undefined;
  let ctx: (stdin?: string) => { ctx: CliContext; out: string[] };
  beforeAll(async () => {
    const b = await boot({ databaseUrl: await emptyDatabase() });
    url = b.app.databaseUrl;
    ctx = (stdin?: string) => {
      const out: string[] = [];
      return {
        out,
        ctx: {
          io: { out: (l) => out.push(l), err: (l) => out.push(l), stdin: stdin === undefined ? undefined : Readable.from([stdin]) },
          env: readEnv({ DATABASE_URL: url }),
          async withEm(fn) {
            const orm = await openOrm(url!);
            try {
              await migrate(orm);
              return await fn(orm.em.fork());
            } finally {
              await orm.close(true);
            }
          },
        },
      };
    };
  });

  it('create reads the password from standard input, with the API rules, and the account signs in', async () => {
    const weak = ctx('qwerty123\n');
    await expect(userCommand.run(['create', '--email', 'ada@example.com', '--name', 'Ada', '--role', 'ADMIN'], weak.ctx)).rejects.toThrow(
      /Password is one of the most common passwords/,
    );
    const password = strongPassword();
    const c = ctx(`${password}\n`);
    expect(await userCommand.run(['create', '--email', 'Ada@Example.com', '--name', 'Ada Lovelace', '--role', 'admin'], c.ctx)).toBe(0);
    expect(c.out.join('\n')).toMatch(/Created ada@example.com \(ADMIN\)/);
    expect(c.out.join('\n')).not.toContain(password);
    const app = apps.at(-1)!;
    expect((await new Browser(app.graphqlUrl).signIn('ada@example.com', password)).body.data!.signIn!.role).toBe('ADMIN');
  });

  it('--generate-password prints a strong password once; list, role, disable; the last admin stays', async () => {
    const g = ctx();
    expect(
      await userCommand.run(
        ['create', '--email', 'grace@example.com', '--name', 'Grace', '--role', 'ENGINEER', '--generate-password'],
        g.ctx,
      ),
    ).toBe(0);
    const generated = /Password \(shown only now\): (\S+)/.exec(g.out.join('\n'))?.[1];
    expect(generated?.length).toBeGreaterThanOrEqual(20);
    expect((await new Browser(apps.at(-1)!.graphqlUrl).signIn('grace@example.com', generated!)).body.data!.signIn!.role).toBe('ENGINEER');
    const l = ctx();
    expect(await userCommand.run(['list'], l.ctx)).toBe(0);
    expect(l.out.join('\n')).toMatch(/ada@example.com\tAda Lovelace\tADMIN/);
    expect(l.out.join('\n')).toMatch(/grace@example.com\tGrace\tENGINEER/);
    expect(await userCommand.run(['role', '--email', 'grace@example.com', '--role', 'VIEWER'], ctx().ctx)).toBe(0);
    await expect(userCommand.run(['disable', '--email', 'ada@example.com'], ctx().ctx)).rejects.toThrow(
      /ada@example.com is the last enabled admin/,
    );
    await expect(userCommand.run(['role', '--email', 'nobody@example.com', '--role', 'VIEWER'], ctx().ctx)).rejects.toThrow(
      /No account with the email nobody@example.com/,
    );
  });

  it('refuses what the API refuses, saying what', async () => {
    await expect(
      userCommand.run(['create', '--email', 'x@example.com', '--name', 'Bad\u202ename', '--role', 'VIEWER', '--no-password'], ctx().ctx),
    ).rejects.toThrow(/Name contains a bidirectional control character/);
    await expect(
      userCommand.run(['create', '--email', 'not-an-email', '--name', 'N', '--role', 'VIEWER', '--no-password'], ctx().ctx),
    ).rejects.toThrow(/Email is not an email address/);
    await expect(userCommand.run(['create', '--email', 'x@example.com', '--name', 'N', '--role', 'ROOT'], ctx().ctx)).rejects.toThrow(
      /--role must be one of/,
    );
    await expect(userCommand.run(['create', '--name', 'N', '--role', 'VIEWER'], ctx().ctx)).rejects.toThrow(/--email is required/);
    await expect(userCommand.run(['fly'], ctx().ctx)).rejects.toThrow(/Unknown action "user fly"/);
    await expect(userCommand.run(['create', '--email', 'y@example.com', '--name', 'Y', '--role', 'VIEWER'], ctx('').ctx)).rejects.toThrow(
      /No password on standard input/,
    );
  });
});
