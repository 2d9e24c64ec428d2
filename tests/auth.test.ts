import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createActor, ME, parseSetCookies, type MeAnswer, post, strongPassword, uniq, type Actor } from './support/auth-factories';
import { startTestApp, type GqlResult, type TestApp } from './support/test-app';

/**
 * Accounts and sign-in over HTTP, as the web app and API clients use them: the password
 * policy, argon2 hashes, lockout, session cookies (attributes, rotation, sign-out, disabled
 * accounts), CSRF for cookie sessions, and API tokens (hashed, revocable, capped by the user's role).
 */

let t: TestApp;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const dump = (r: unknown) => JSON.stringify(r);

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }`;
type CreatedUser = { createUser: { id: string; email: string } | null };
const newEmail = () => `${uniq('person').replace(/\W+/g, '.').toLowerCase()}@example.test`;

async function userWithPassword(role = 'ENGINEER', password = strongPassword()) {
  const email = newEmail();
  const r = await t.gql<CreatedUser>(CREATE_USER, { input: { email, name: uniq('Person'), role, password } });
  expect(r.errors, dump(r)).toBeUndefined();
  return { id: r.data!.createUser!.id, email, password };
}

function oneError(r: GqlResult | { body: { errors?: GqlResult['errors'] } }) {
  const errors = 'body' in r ? r.body.errors : r.errors;
  expect(errors?.length, dump(r)).toBe(1);
  return errors![0]!;
}

describe('password policy', () => {
  it.each([
    ['Sh0rt!x', /at least 8 characters/],
    ['password123', /most common passwords/],
    ['Password1', /most common passwords/],
    ['qwertyuiop', /most common passwords/],
    ['iloveyou', /most common passwords/],
    ['zzzzzzzzzzzz', /repeat one character/],
    ['x'.repeat(201), /200 characters/],
  ])('refuses %s with a clear message on the password field, and creates no user', async (password, message) => {
    const email = newEmail();
    const r = await t.gql<CreatedUser>(CREATE_USER, { input: { email, name: 'Weak Password', role: 'ENGINEER', password } });
    const e = oneError(r);
    expect(e.extensions?.code).toBe('BAD_USER_INPUT');
    expect(String(e.extensions?.field)).toMatch(/password$/);
    expect(e.message).toMatch(/^Password /);
    expect(e.message).toMatch(message);
    expect(r.data?.createUser ?? null).toBeNull();
    expect(await t.sql(`select 1 from users where email = $1`, [email])).toEqual([]);
  });

  it('refuses the email name as a password', async () => {
    const r = await t.gql(CREATE_USER, {
      input: { email: 'margaret.hamilton@example.test', name: 'Margaret', role: 'ENGINEER', password: 'margaret.hamilton' },
    });
    expect(oneError(r).message).toMatch(/Password must not be your user name/);
  });

  it('applies the same rules to setUserPassword and changePassword, naming the field', async () => {
    const u = await userWithPassword();
    const set = oneError(
      await t.gql(`mutation($u: ID!, $p: String!) { setUserPassword(userId: $u, password: $p) { id } }`, { u: u.id, p: 'short' }),
    );
    expect(set.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    // changePassword works only in a signed-in session (security-auth.test.ts).
    const session = new Browser(t.app.graphqlUrl);
    await session.signIn(u.email, u.password);
    const change = (c: string, n: string) =>
      session.gql(`mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id } }`, { c, n });
    expect(oneError(await change(u.password, 'welcome123')).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(oneError(await change('not my password', strongPassword())).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'currentPassword',
    });
    const [row] = await t.sql(`select password_hash from users where id = $1`, [u.id]);
    expect(row.password_hash).toBeTruthy();
    // Nothing changed: the old password still signs in.
    expect((await new Browser(t.app.graphqlUrl).signIn(u.email, u.password)).body.errors).toBeUndefined();
  });

  it('accepts a long passphrase', async () => {
    await userWithPassword('VIEWER', 'correct horse battery staple');
  });
});

describe('password storage', () => {
  it('stores argon2id hashes, salted, never the password', async () => {
    const password = 'Lantern-Quartz-Meadow-42';
    const a = await userWithPassword('ENGINEER', password);
    const b = await userWithPassword('ENGINEER', password);
    const rows = await t.sql<{ id: string; password_hash: string }>(`select id, password_hash from users where id in ($1, $2)`, [
      a.id,
      b.id,
    ]);
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      expect(r.password_hash).not.toContain(password);
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
    // No column of any table holds the password in clear, and the API never returns the hash.
    const [dumpRow] = await t.sql(
      `select count(*)::int as n from (select to_jsonb(u)::text as x from users u union all select to_jsonb(a)::text from audit_log a) s
        where x like $1`,
      [`%${password}%`],
    );
    expect(dumpRow.n).toBe(0);
    const users = await t.gql(`query { users { id email } }`);
    expect(JSON.stringify(users)).not.toContain('argon2');
  });
});

describe('sign-in and session cookies', () => {
  it('sets a Secure, HttpOnly, SameSite, Path=/ cookie whose value is stored only as a hash', async () => {
    const u = await userWithPassword();
    const b = new Browser(t.app.graphqlUrl);
    const r = await b.signIn(u.email, u.password);
    expect(r.body.errors, dump(r.body)).toBeUndefined();
    expect(r.body.data!.signIn).toMatchObject({ role: 'ENGINEER', authMethod: 'SESSION', user: { id: u.id, email: u.email } });
    const c = r.setCookie!;
    expect(c, r.headers.get('set-cookie') ?? 'no set-cookie').toBeDefined();
    expect(c.attributes.secure).toBe(true);
    expect(c.attributes.httponly).toBe(true);
    expect(String(c.attributes.samesite).toLowerCase()).toMatch(/^(lax|strict)$/);
    expect(c.attributes.path).toBe('/');
    expect(Number(c.attributes['max-age'])).toBeGreaterThan(0);
    expect(c.value.length).toBeGreaterThanOrEqual(40);
    const sessions = await t.sql(`select token_hash, csrf_token, revoked_at from sessions where user_id = $1`, [u.id]);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].token_hash).toBe(sha256(c.value));
    expect(JSON.stringify(sessions)).not.toContain(c.value);
    // The session works, and me gives the CSRF token for mutations.
    const me = await b.gql<MeAnswer>(ME);
    expect(me.body.data!.me).toMatchObject({ role: 'ENGINEER', authMethod: 'SESSION', user: { id: u.id }, csrfToken: b.csrf });
  });

  it('answers a wrong password and an unknown email alike, without a cookie', async () => {
    const u = await userWithPassword();
    const b = new Browser(t.app.graphqlUrl);
    const wrong = await b.signIn(u.email, 'Not-The-Password-9');
    const unknown = await b.signIn(newEmail(), 'Not-The-Password-9');
    for (const r of [wrong, unknown]) {
      expect(oneError(r).extensions?.code).toBe('INVALID_CREDENTIALS');
      expect(r.setCookie).toBeUndefined();
    }
    expect(oneError(wrong).message).toBe(oneError(unknown).message);
  });

  it('locks the account after 5 failures with ACCOUNT_LOCKED and the time to retry, then lets the right password in', async () => {
    const u = await userWithPassword();
    const b = new Browser(t.app.graphqlUrl);
    for (let i = 0; i < 5; i++)
      expect(oneError(await b.signIn(u.email, `Wrong-guess-${i}-x`)).extensions?.code).toBe('INVALID_CREDENTIALS');
    const started = Date.now();
    const locked = await b.signIn(u.email, u.password);
    const e = oneError(locked);
    expect(e.extensions?.code).toBe('ACCOUNT_LOCKED');
    const retryAt = new Date(String(e.extensions?.retryAt)).getTime();
    expect(retryAt - started).toBeGreaterThan(30_000);
    expect(retryAt - started).toBeLessThanOrEqual(61_000);
    expect(e.message).toContain(String(e.extensions?.retryAt));
    expect(locked.setCookie).toBeUndefined();
    expect(await t.sql(`select 1 from sessions where user_id = $1`, [u.id])).toEqual([]);
    // Still locked for further guesses, and they do not extend the count while locked.
    expect(oneError(await b.signIn(u.email, 'Wrong-again-x1')).extensions?.code).toBe('ACCOUNT_LOCKED');
    // When the lock has run out, one more failure locks for longer (2 minutes) ...
    const unlock = () =>
      t.sql(
        `update sign_in_throttles set locked_until = now() - interval '1 second' where key_hash = encode(sha256(convert_to($1, 'UTF8')),
          'hex')`,
        [u.email],
      );
    await unlock();
    oneError(await b.signIn(u.email, 'Wrong-after-expiry-1'));
    const second = oneError(await b.signIn(u.email, u.password));
    expect(second.extensions?.code).toBe('ACCOUNT_LOCKED');
    expect(new Date(String(second.extensions?.retryAt)).getTime() - Date.now()).toBeGreaterThan(90_000);
    // ... and the right password after it signs in and clears the count.
    await unlock();
    const okay = await b.signIn(u.email, u.password);
    expect(okay.body.errors, dump(okay.body)).toBeUndefined();
    expect(
      await t.sql(`select 1 from sign_in_throttles where key_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [u.email]),
    ).toEqual([]);
  });

  it('rotates the session at sign-in: the old cookie stops working', async () => {
    const u = await userWithPassword();
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(u.email, u.password);
    const first = { cookie: b.cookie!, csrf: b.csrf! };
    await b.signIn(u.email, u.password);
    expect(b.cookie).not.toBe(first.cookie);
    expect(b.csrf).not.toBe(first.csrf);
    const old = await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { cookie: `ikb_session=${first.cookie}` });
    expect(old.body.data!.me).toMatchObject({ user: null, role: null, csrfToken: null });
    const refused = await post(t.app.graphqlUrl, `query { teams { id } }`, {}, { cookie: `ikb_session=${first.cookie}` });
    expect(oneError(refused).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await b.gql<MeAnswer>(ME)).body.data!.me.user!.id).toBe(u.id);
    const rows = await t.sql(`select revoked_at from sessions where user_id = $1 order by created_at`, [u.id]);
    expect(rows.map((r) => r.revoked_at !== null)).toEqual([true, false]);
  });

  it('ends the session held by the browser when someone else signs in with it (no session fixation)', async () => {
    const a = await userWithPassword();
    const other = await userWithPassword('VIEWER');
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(a.email, a.password);
    const aCookie = b.cookie!;
    await b.signIn(other.email, other.password);
    expect((await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { cookie: `ikb_session=${aCookie}` })).body.data!.me.user).toBeNull();
    expect((await b.gql<MeAnswer>(ME)).body.data!.me.user!.id).toBe(other.id);
  });

  it('sign-out ends the session and clears the cookie', async () => {
    const u = await userWithPassword();
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(u.email, u.password);
    const cookie = b.cookie!;
    const out = await b.gql(`mutation { signOut }`);
    expect(out.body).toMatchObject({ data: { signOut: true } });
    const cleared = parseSetCookies(out.headers).find((c) => c.name === 'ikb_session')!;
    expect(cleared.value).toBe('');
    expect(cleared.attributes['max-age']).toBe('0');
    expect(cleared.attributes.httponly).toBe(true);
    expect((await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { cookie: `ikb_session=${cookie}` })).body.data!.me.user).toBeNull();
    const [row] = await t.sql(`select revoked_at from sessions where token_hash = $1`, [sha256(cookie)]);
    expect(row.revoked_at).not.toBeNull();
  });

  it('changing the password keeps the session that changed it and ends the others', async () => {
    const u = await userWithPassword();
    const here = new Browser(t.app.graphqlUrl);
    const elsewhere = new Browser(t.app.graphqlUrl);
    await here.signIn(u.email, u.password);
    await elsewhere.signIn(u.email, u.password);
    const next = strongPassword();
    const r = await here.gql(`mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id } }`, {
      c: u.password,
      n: next,
    });
    expect(r.body.errors, dump(r.body)).toBeUndefined();
    expect((await here.gql<MeAnswer>(ME)).body.data!.me.user!.id).toBe(u.id);
    expect((await elsewhere.gql<MeAnswer>(ME)).body.data!.me.user).toBeNull();
    expect(oneError(await new Browser(t.app.graphqlUrl).signIn(u.email, u.password)).extensions?.code).toBe('INVALID_CREDENTIALS');
    expect((await new Browser(t.app.graphqlUrl).signIn(u.email, next)).body.errors).toBeUndefined();
  });

  it('disabling an account ends its sessions and revokes its tokens; enabling it again does not bring them back', async () => {
    const u = await userWithPassword('PROBLEM_MANAGER');
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(u.email, u.password);
    const token = (
      await t.gql<{ createApiToken: { secret: string } }>(
        `mutation($u: ID!) { createApiToken(userId: $u, role: ENGINEER, name: "laptop") { secret } }`,
        { u: u.id },
      )
    ).data!.createApiToken.secret;
    expect((await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { authorization: `Bearer ${token}` })).status).toBe(200);

    const off = await t.gql(`mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { id disabled } }`, { u: u.id });
    expect(off.errors, dump(off)).toBeUndefined();
    expect((await b.gql<MeAnswer>(ME)).body.data!.me.user).toBeNull();
    expect(oneError(await b.gql(`mutation { signOut }`)).extensions?.code).toBe('UNAUTHENTICATED');
    const viaToken = await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { authorization: `Bearer ${token}` });
    expect(viaToken.status).toBe(401);
    expect(oneError(await new Browser(t.app.graphqlUrl).signIn(u.email, u.password)).extensions?.code).toBe('INVALID_CREDENTIALS');
    expect(await t.sql(`select 1 from sessions where user_id = $1 and revoked_at is null`, [u.id])).toEqual([]);
    expect(await t.sql(`select 1 from api_tokens where user_id = $1 and revoked_at is null`, [u.id])).toEqual([]);

    await t.gql(`mutation($u: ID!) { setUserDisabled(userId: $u, disabled: false) { id } }`, { u: u.id });
    expect((await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await b.gql<MeAnswer>(ME)).body.data!.me.user).toBeNull();
    expect((await new Browser(t.app.graphqlUrl).signIn(u.email, u.password)).body.errors).toBeUndefined();
  });

  it('an expired session is not signed in', async () => {
    const u = await userWithPassword();
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(u.email, u.password);
    await t.sql(`update sessions set expires_at = now() - interval '1 minute' where token_hash = $1`, [sha256(b.cookie!)]);
    expect((await b.gql<MeAnswer>(ME)).body.data!.me.user).toBeNull();
  });
});

describe('CSRF for cookie sessions', () => {
  it('refuses cookie mutations without the X-CSRF-Token header or with a wrong one, and writes nothing', async () => {
    const u = await userWithPassword('ENGINEER');
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(u.email, u.password);
    const LOG = `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`;
    const title = uniq('CSRF probe');
    const audit = (await t.sql(`select count(*)::int as n from audit_log`))[0].n;
    for (const csrf of [false, 'forged-token', `${b.csrf}x`, ''] as const) {
      const r = await b.gql(LOG, { input: { title } }, { csrf });
      const e = oneError(r);
      expect(e.extensions?.code, dump(r.body)).toBe('CSRF_TOKEN_MISSING');
      expect(e.message).toMatch(/X-CSRF-Token/);
    }
    expect(await t.sql(`select 1 from incidents where title = $1`, [title])).toEqual([]);
    expect((await t.sql(`select count(*)::int as n from audit_log`))[0].n).toBe(audit);
    // Queries need no token; the token from `me` (the same as sign-in gave) makes the mutation pass.
    expect((await b.gql(`query { teams { id } }`, {}, { csrf: false })).body.errors).toBeUndefined();
    const me = (await b.gql<MeAnswer>(ME, {}, { csrf: false })).body.data!.me;
    expect(me.csrfToken).toBe(b.csrf);
    const okay = await b.gql(LOG, { input: { title } }, { csrf: me.csrfToken! });
    expect(okay.body.errors, dump(okay.body)).toBeUndefined();
    const [row] = await t.sql(`select actor_id, auth_method from audit_log where operation = 'logIncident' order by id desc limit 1`);
    expect(row).toEqual({ actor_id: u.id, auth_method: 'SESSION' });
  });

  it('refuses requests a cross-site form could send (no JSON content type) before they run', async () => {
    const u = await userWithPassword('ENGINEER');
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(u.email, u.password);
    const res = await fetch(t.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...b.headers({ csrf: false }) },
      body: JSON.stringify({ query: `mutation { signOut }` }),
    });
    expect(res.status).toBe(400);
    expect((await b.gql<MeAnswer>(ME)).body.data!.me.user!.id).toBe(u.id);
    const get = await fetch(`${t.app.graphqlUrl}?query=${encodeURIComponent('{ teams { id } }')}`, { headers: b.headers({ csrf: false }) });
    expect(get.status).toBe(400);
  });
});

describe('API tokens', () => {
  let pm: Actor;
  beforeAll(async () => {
    pm = await createActor(t, 'PROBLEM_MANAGER');
  });

  it('are stored as a SHA-256 hash with a short prefix; the secret is shown once', async () => {
    const [row] = await t.sql<{ token_hash: string; prefix: string }>(`select * from api_tokens where id = $1`, [pm.tokenId]);
    expect(pm.token).toMatch(/^ikb_[A-Za-z0-9_-]{40,}$/);
    expect(row.token_hash).toBe(sha256(pm.token));
    expect(pm.token.startsWith(row.prefix)).toBe(true);
    expect(row.prefix.length).toBeLessThanOrEqual(10);
    expect(JSON.stringify(row)).not.toContain(pm.token);
    const listed = await t.gql(`query { apiTokens { id name role prefix } }`);
    expect(JSON.stringify(listed.data)).not.toContain(pm.token);
    const audit = await t.sql(`select count(*)::int as n from audit_log where to_jsonb(audit_log)::text like $1`, [`%${pm.token}%`]);
    expect(audit[0].n).toBe(0);
  });

  it('a token never has more rights than its user, also after the user is demoted', async () => {
    const eng = await userWithPassword('ENGINEER');
    const tooMuch = oneError(
      await t.gql(`mutation($u: ID!) { createApiToken(userId: $u, role: ADMIN, name: "escalate") { secret } }`, { u: eng.id }),
    );
    expect(tooMuch.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
    expect(await t.sql(`select 1 from api_tokens where user_id = $1`, [eng.id])).toEqual([]);

    const h = { authorization: `Bearer ${pm.token}` };
    const CREATE = `mutation { createProblem(input: { title: "Token scope probe" }) { id } }`;
    expect((await t.gql<MeAnswer>(ME, {}, h)).data!.me.role).toBe('PROBLEM_MANAGER');
    await t.gql(`mutation($u: ID!) { setUserRole(userId: $u, role: VIEWER) { id } }`, { u: pm.userId });
    expect((await t.gql<MeAnswer>(ME, {}, h)).data!.me.role).toBe('VIEWER');
    expect(oneError(await t.gql(CREATE, {}, h)).extensions?.code).toBe('FORBIDDEN');
    // Promoting the user above the token's role does not raise the token.
    await t.gql(`mutation($u: ID!) { setUserRole(userId: $u, role: ADMIN) { id } }`, { u: pm.userId });
    expect((await t.gql<MeAnswer>(ME, {}, h)).data!.me.role).toBe('PROBLEM_MANAGER');
    expect(oneError(await t.gql(`mutation { createTeam(input: { name: "Not for PMs" }) { id } }`, {}, h)).extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await t.gql(CREATE, {}, h)).errors).toBeUndefined();
    await t.gql(`mutation($u: ID!) { setUserRole(userId: $u, role: PROBLEM_MANAGER) { id } }`, { u: pm.userId });
  });

  it('are revocable: a revoked token gets 401', async () => {
    const a = await createActor(t, 'ENGINEER');
    expect((await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { authorization: `Bearer ${a.token}` })).body.data!.me.role).toBe('ENGINEER');
    const r = await t.gql<{ revokeApiToken: { id: string; revokedAt: string | null } }>(
      `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`,
      { id: a.tokenId },
    );
    expect(r.data!.revokeApiToken.revokedAt).toBeTruthy();
    const after = await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { authorization: `Bearer ${a.token}` });
    expect(after.status).toBe(401);
    expect(oneError(after).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['an unknown token', 'Bearer ikb_thisTokenWasNeverIssuedByTheServer000000000000'],
    ['an empty bearer', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['garbage', 'Bearer a b c'],
  ])('%s gets 401 with WWW-Authenticate and a request id, before anything runs', async (_what, authorization) => {
    const r = await post(t.app.graphqlUrl, `mutation { createTeam(input: { name: "never" }) { id } }`, {}, { authorization });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const e = oneError(r);
    expect(e.extensions?.code).toBe('UNAUTHENTICATED');
    expect(e.extensions?.requestId).toBe(r.headers.get('x-request-id'));
    expect(await t.sql(`select 1 from teams where name = 'never'`)).toEqual([]);
  });

  it('no credentials is anonymous, not an error: me answers, everything else is UNAUTHENTICATED', async () => {
    const me = await post<MeAnswer>(t.app.graphqlUrl, ME);
    expect(me.status).toBe(200);
    expect(me.body.data!.me).toEqual({ role: null, csrfToken: null, authMethod: null, user: null });
    expect(oneError(await post(t.app.graphqlUrl, `query { incidents { totalCount } }`)).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it(
    '`pnpm cli token create --user <email> --role <role>` prints a working token and stores only its hash',
    { timeout: 120_000 },
    async () => {
      const u = await userWithPassword('PROBLEM_MANAGER');
      const apiDir = join(require.resolve('@ikb/api/package.json'), '..');
      // Asynchronously: the embedded database is served from this very process.
      const run = (args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            [join(apiDir, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', ...args],
            {
              cwd: apiDir,
              env: { ...process.env, DATABASE_URL: t.app.databaseUrl, LOG_LEVEL: 'silent' },
              encoding: 'utf8',
              timeout: 100_000,
            },
            (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
          );
        });
      const made = await run(['token', 'create', '--user', u.email, '--role', 'ENGINEER', '--name', 'ci']);
      expect(made.status, made.stderr).toBe(0);
      const secret = made.stdout.trim().split('\n').pop()!;
      expect(secret).toMatch(/^ikb_/);
      expect((await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { authorization: `Bearer ${secret}` })).body.data!.me).toMatchObject({
        role: 'ENGINEER',
        authMethod: 'TOKEN',
        user: { id: u.id },
      });
      expect((await t.sql(`select name, role from api_tokens where token_hash = $1`, [sha256(secret)]))[0]).toEqual({
        name: 'ci',
        role: 'ENGINEER',
      });
      const tooHigh = await run(['token', 'create', '--user', u.email, '--role', 'ADMIN']);
      expect(tooHigh.status).not.toBe(0);
      expect(tooHigh.stderr + tooHigh.stdout).toMatch(/cannot have more rights/);
    },
  );
});
