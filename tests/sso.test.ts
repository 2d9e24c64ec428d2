// Single sign-on against a real OpenID provider (oidc-provider) in the test process: the whole
// authorization code flow with PKCE over HTTP, and every way it is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ME, post, type MeAnswer } from './support/auth-factories';
import { startOidcProvider, type TestProvider } from './support/oidc-test-provider';
import { callbackOf, createProvider, errorOf, hop, ssoSignIn, startSso, updateProvider, WEB } from './support/sso-flow';
import { ok, startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let op: TestProvider;
let providerId: string;
const CLIENT = { client_id: 'ikb-app', client_secret: 'a-client-secret-for-tests', redirect_uris: [callbackOf('op')] };

const me = async (session: string) =>
  (await post<MeAnswer>(t.app.graphqlUrl, ME, {}, { cookie: `ikb_session=${encodeURIComponent(session)}` })).body.data!.me;

beforeAll(async () => {
  t = await startTestApp({ notify: { publicWebUrl: WEB } });
  op = await startOidcProvider([CLIENT]);
  providerId = (
    await createProvider(t, {
      slug: 'op',
      displayName: 'Test IdP',
      issuerUrl: op.issuer,
      clientId: CLIENT.client_id,
      clientSecret: CLIENT.client_secret,
      scopes: 'openid email profile groups',
      groupRoles: [
        { group: 'ikb-viewers', role: 'VIEWER' },
        { group: 'ikb-engineers', role: 'ENGINEER' },
        { group: 'ikb-admins', role: 'ADMIN' },
      ],
      provisioning: 'JIT',
      clockToleranceSeconds: 60,
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await op?.close();
  await t?.close();
});

describe('sign-in through the provider', () => {
  it('creates the account at the first sign-in with the highest mapped role, opens a session, returns to the path', async () => {
    op.accounts.set('alice-sub', {
      sub: 'alice-sub',
      email: 'alice@corp.test',
      email_verified: true,
      name: 'Alice Ops',
      groups: ['ikb-viewers', 'ikb-engineers'],
    });
    const r = await ssoSignIn(t, op, 'op', { accountId: 'alice-sub' }, { query: '?return=%2Fincidents%3Fstatus%3DNEW' });
    expect(r.result.status).toBe(302);
    expect(r.result.location).toBe('/incidents?status=NEW');
    expect(r.result.cookies.get('ikb_sso')).toBe('');
    expect(r.session).toBeTruthy();
    const m = await me(r.session!);
    expect(m).toMatchObject({ role: 'ENGINEER', authMethod: 'SESSION', user: { email: 'alice@corp.test' } });
    expect(m.csrfToken).toBeTruthy();
    const [audit] = await t.sql<{ auth_method: string; variables: Record<string, unknown>; after: Record<string, unknown> }>(
      `select auth_method, variables, after from audit_log where operation = 'ssoSignIn' and target_id = $1`,
      [m.user!.id],
    );
    expect(audit).toMatchObject({ auth_method: 'SSO', variables: { provider: 'op', account: 'CREATE', role: 'ENGINEER' } });
    const ids = await t.sql(`select issuer, subject from sso_identities where user_id = $1`, [m.user!.id]);
    expect(ids).toEqual([{ issuer: op.issuer, subject: 'alice-sub' }]);
  });

  it('signs the same subject in again, following its groups (a new admin group makes an admin)', async () => {
    op.accounts.set('alice-sub', { ...op.accounts.get('alice-sub')!, groups: ['ikb-admins'] });
    const r = await ssoSignIn(t, op, 'op', { accountId: 'alice-sub' });
    expect(r.result.location).toBe('/');
    expect((await me(r.session!)).role).toBe('ADMIN');
    expect(await t.sql(`select count(*)::int as n from users where email = 'alice@corp.test'`)).toEqual([{ n: 1 }]);
  });

  it('refuses a replayed state without asking the provider again', async () => {
    op.accounts.set('bob-sub', { sub: 'bob-sub', email: 'bob@corp.test', email_verified: true, groups: ['ikb-viewers'] });
    const r = await ssoSignIn(t, op, 'op', { accountId: 'bob-sub' });
    expect(r.session).toBeTruthy();
    const exchanges = op.tokenRequests;
    const again = await hop(`${t.app.url}/auth/sso/op/callback${r.callbackUrl.search}`, `ikb_sso=${r.started.binding}`);
    expect(errorOf(again)).toBe('STATE_INVALID');
    expect(again.cookies.has('ikb_session')).toBe(false);
    expect(op.tokenRequests).toBe(exchanges);
  });

  it('refuses a callback without the browser binding of its start (login CSRF)', async () => {
    const s = await startSso(t, 'op');
    op.next = { accountId: 'bob-sub' };
    const { followToCallback } = await import('./support/oidc-test-provider');
    const cb = await followToCallback(s.start.location, callbackOf('op'));
    expect(errorOf(await hop(`${t.app.url}/auth/sso/op/callback${cb.search}`))).toBe('STATE_INVALID');
    expect(errorOf(await hop(`${t.app.url}/auth/sso/op/callback${cb.search}`, 'ikb_sso=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'))).toBe(
      'STATE_INVALID',
    );
  });

  it('reports access_denied from the provider', async () => {
    const r = await ssoSignIn(t, op, 'op', { error: 'access_denied' });
    expect(errorOf(r.result)).toBe('ACCESS_DENIED');
  });

  it('refuses people whose groups map to no role when there is no default role', async () => {
    op.accounts.set('carol-sub', { sub: 'carol-sub', email: 'carol@corp.test', email_verified: true, groups: ['marketing'] });
    const r = await ssoSignIn(t, op, 'op', { accountId: 'carol-sub' });
    expect(errorOf(r.result)).toBe('NO_ROLE');
    expect(await t.sql(`select id from users where email = 'carol@corp.test'`)).toEqual([]);
  });

  it('refuses a missing or unverified e-mail for a new subject', async () => {
    op.accounts.set('nomail-sub', { sub: 'nomail-sub', groups: ['ikb-viewers'] });
    expect(errorOf((await ssoSignIn(t, op, 'op', { accountId: 'nomail-sub' })).result)).toBe('EMAIL_MISSING');
    op.accounts.set('unverified-sub', { sub: 'unverified-sub', email: 'alice@corp.test', email_verified: false, groups: ['ikb-admins'] });
    // An unverified address must not take over alice's account.
    expect(errorOf((await ssoSignIn(t, op, 'op', { accountId: 'unverified-sub' })).result)).toBe('EMAIL_MISSING');
  });

  it('refuses a disabled account and keeps it disabled', async () => {
    const [u] = await t.sql<{ id: string }>(`select id from users where email = 'bob@corp.test'`);
    ok(await t.gql(`mutation($id: ID!) { setUserDisabled(userId: $id, disabled: true) { id } }`, { id: u!.id }));
    expect(errorOf((await ssoSignIn(t, op, 'op', { accountId: 'bob-sub' })).result)).toBe('ACCOUNT_DISABLED');
    ok(await t.gql(`mutation($id: ID!) { setUserDisabled(userId: $id, disabled: false) { id } }`, { id: u!.id }));
  });

  it('pre-provisioned only: refuses unknown people, links a known verified address', async () => {
    ok(await updateProvider(t, providerId, { provisioning: 'PRE_PROVISIONED' }));
    op.accounts.set('dave-sub', { sub: 'dave-sub', email: 'dave@corp.test', email_verified: true, groups: ['ikb-engineers'] });
    expect(errorOf((await ssoSignIn(t, op, 'op', { accountId: 'dave-sub' })).result)).toBe('NOT_PROVISIONED');
    expect(await t.sql(`select id from users where email = 'dave@corp.test'`)).toEqual([]);
    ok(await t.gql(`mutation { createUser(input: { email: "dave@corp.test", name: "Dave", role: VIEWER }) { id } }`));
    const r = await ssoSignIn(t, op, 'op', { accountId: 'dave-sub' });
    expect(r.session).toBeTruthy();
    expect((await me(r.session!)).role).toBe('ENGINEER');
    ok(await updateProvider(t, providerId, { provisioning: 'JIT' }));
  });

  it('sign-out ends the session the sign-on opened', async () => {
    const r = await ssoSignIn(t, op, 'op', { accountId: 'bob-sub' });
    const m = await me(r.session!);
    const h = { cookie: `ikb_session=${encodeURIComponent(r.session!)}`, 'x-csrf-token': m.csrfToken! };
    expect((await post(t.app.graphqlUrl, `mutation { signOut }`, {}, h)).body).toMatchObject({ data: { signOut: true } });
    expect((await me(r.session!)).user).toBeNull();
  });
});

describe('ID tokens that must not be believed', () => {
  const forged = (over: Record<string, unknown>) => (nonce: string) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: op.issuer,
      sub: 'eve-sub',
      aud: CLIENT.client_id,
      iat: now,
      exp: now + 300,
      nonce,
      email: 'eve@corp.test',
      email_verified: true,
      groups: ['ikb-admins'],
      ...over,
    };
  };
  const withToken = async (over: Record<string, unknown>) => {
    op.accounts.set('eve-sub', { sub: 'eve-sub', email: 'eve@corp.test', email_verified: true, groups: ['ikb-admins'] });
    op.forgeIdToken = forged(over);
    try {
      return await ssoSignIn(t, op, 'op', { accountId: 'eve-sub' });
    } finally {
      op.forgeIdToken = null;
    }
  };

  it('a token for another client (wrong audience)', async () => {
    expect(errorOf((await withToken({ aud: 'some-other-client' })).result)).toBe('TOKEN_INVALID');
  });
  it('an expired token, beyond the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(errorOf((await withToken({ iat: now - 3600, exp: now - 120 })).result)).toBe('TOKEN_INVALID');
  });
  it('a token from another issuer, or with another nonce', async () => {
    expect(errorOf((await withToken({ iss: 'https://evil.example' })).result)).toBe('TOKEN_INVALID');
    expect(errorOf((await withToken({ nonce: 'not-the-nonce' })).result)).toBe('TOKEN_INVALID');
  });
  it('accepts a token expired less than the clock tolerance ago (60 s), and proves the forgery path itself works', async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await withToken({ iat: now - 600, exp: now - 20 });
    expect(r.result.location).toBe('/');
    expect((await me(r.session!)).user?.email).toBe('eve@corp.test');
    await t.sql(`delete from sso_identities where subject = 'eve-sub'`);
    ok(await updateProvider(t, providerId, { clockToleranceSeconds: 5 }));
    expect(errorOf((await withToken({ iat: now - 600, exp: now - 20 })).result)).toBe('TOKEN_INVALID');
    ok(await updateProvider(t, providerId, { clockToleranceSeconds: 60 }));
  });
});

describe('a provider that is down', () => {
  it('at start: a closed port is a redirect with PROVIDER_UNAVAILABLE, not a 5xx', async () => {
    const gone = await startOidcProvider([]);
    const issuer = gone.issuer;
    await gone.close();
    await createProvider(t, {
      slug: 'down',
      displayName: 'Down',
      issuerUrl: issuer,
      clientId: 'x',
      clientSecret: 'y',
      provisioning: 'JIT',
      defaultRole: 'VIEWER',
    });
    const s = await startSso(t, 'down');
    expect(s.start.status).toBe(302);
    expect(errorOf(s.start)).toBe('PROVIDER_UNAVAILABLE');
  });

  it('at callback: the code exchange fails as PROVIDER_UNAVAILABLE', async () => {
    const op2 = await startOidcProvider([{ ...CLIENT, redirect_uris: [callbackOf('op2')] }]);
    await createProvider(t, {
      slug: 'op2',
      displayName: 'Second',
      issuerUrl: op2.issuer,
      clientId: CLIENT.client_id,
      clientSecret: CLIENT.client_secret,
      provisioning: 'JIT',
      defaultRole: 'VIEWER',
    });
    op2.accounts.set('x', { sub: 'x', email: 'x@corp.test', email_verified: true });
    const s = await startSso(t, 'op2');
    op2.next = { accountId: 'x' };
    const { followToCallback } = await import('./support/oidc-test-provider');
    const cb = await followToCallback(s.start.location, callbackOf('op2'));
    await op2.close();
    const r = await hop(`${t.app.url}/auth/sso/op2/callback${cb.search}`, `ikb_sso=${s.binding}`);
    expect(r.status).toBe(302);
    expect(errorOf(r)).toBe('PROVIDER_UNAVAILABLE');
  });
});
