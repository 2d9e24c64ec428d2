// Single sign-on administration: provider validation, the write-only secret, the connection test,
// the test sign-in, the password sign-in switch with break-glass admins, and hostile requests on
// the SSO routes (never a 5xx, never an open redirect).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createActor, type Actor } from './support/auth-factories';
import { expectGqlError } from './support/assertions';
import { followToCallback, startOidcProvider, type TestProvider } from './support/oidc-test-provider';
import { callbackOf, createProvider, errorOf, hop, ssoSignIn, startSso, updateProvider, WEB } from './support/sso-flow';
import { ok, startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let op: TestProvider;
let providerId: string;
let admin: Actor;
const SECRET = 'admin-test-client-secret-5f2a9c';
const CLIENT = {
  client_id: 'ikb-admin',
  client_secret: SECRET,
  redirect_uris: [callbackOf('corp')],
  post_logout_redirect_uris: [`${WEB}/sign-in`],
};

beforeAll(async () => {
  t = await startTestApp({ notify: { publicWebUrl: WEB } });
  op = await startOidcProvider([CLIENT]);
  admin = await createActor(t, 'ADMIN', { email: 'sso-admin@example.test' });
  providerId = (
    await createProvider(t, {
      slug: 'corp',
      displayName: 'Corp SSO',
      issuerUrl: op.issuer,
      clientId: CLIENT.client_id,
      clientSecret: SECRET,
      scopes: 'email openid groups profile',
      groupRoles: [{ group: 'ikb-engineers', role: 'ENGINEER' }],
      provisioning: 'JIT',
    })
  ).id;
  op.accounts.set('fay', { sub: 'fay', email: 'fay@corp.test', email_verified: true, name: 'Fay', groups: ['ikb-engineers'] });
}, 60_000);

afterAll(async () => {
  await op?.close();
  await t?.close();
});

const CREATE = `mutation($input: CreateSsoProviderInput!) { createSsoProvider(input: $input) { id } }`;
const base = {
  slug: 'x',
  displayName: 'X',
  issuerUrl: 'https://login.example.test',
  clientId: 'c',
  clientSecret: 's',
  provisioning: 'JIT',
};

describe('providers', () => {
  it('refuses bad input with a field and plain words', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ slug: 'Has Spaces' }, 'slug'],
      [{ slug: '-x' }, 'slug'],
      [{ slug: 'corp' }, 'slug'],
      [{ issuerUrl: 'http://login.example.test' }, 'issuerUrl'],
      [{ issuerUrl: 'not a url' }, 'issuerUrl'],
      [{ issuerUrl: 'https://user:pw@login.example.test' }, 'issuerUrl'],
      // Private networks and cloud metadata (the test app reaches loopback only: OUTBOUND_ALLOW_PRIVATE).
      [{ issuerUrl: 'https://10.0.0.9/realms/main' }, 'issuerUrl'],
      [{ issuerUrl: 'https://169.254.169.254' }, 'issuerUrl'],
      [{ groupsClaim: 'gr oups' }, 'groupsClaim'],
      [{ allowedDomains: ['not a domain'] }, 'allowedDomains.0'],
      [
        {
          groupRoles: [
            { group: 'a', role: 'VIEWER' },
            { group: 'a', role: 'ADMIN' },
          ],
        },
        'groupRoles.1.group',
      ],
      [{ clockToleranceSeconds: 601 }, 'clockToleranceSeconds'],
      [{ displayName: 'Bad\u0000Name' }, 'input.displayName'],
      [{ scopes: 'openid "x"' }, 'scopes'],
    ];
    for (const [over, field] of cases) {
      const r = await t.gql(CREATE, { input: { ...base, ...over } });
      const e = r.errors?.[0];
      expect(e?.extensions?.code === 'BAD_USER_INPUT' || e?.extensions?.code === 'CONFLICT', JSON.stringify(r)).toBe(true);
      expect(e?.extensions?.field, JSON.stringify(over)).toBe(field);
      expect(r.status).toBeLessThan(500);
    }
    expect(await t.sql(`select slug from sso_providers order by slug`)).toEqual([{ slug: 'corp' }]);
  });

  it('never returns the client secret, and keeps it out of the audit log', async () => {
    const r = await t.gql(`query { ssoProviders { id clientSecret } }`);
    expect(r.errors?.[0]?.message).toMatch(/clientSecret/);
    const list = ok(await t.gql<{ ssoProviders: unknown[] }>(`query { ssoProviders { id slug scopes } }`));
    expect(list.ssoProviders).toEqual([{ id: providerId, slug: 'corp', scopes: 'email openid groups profile' }]);
    const rows = await t.sql<{ row: unknown }>(`select to_jsonb(a) as row from audit_log a where operation like '%SsoProvider%'`);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    // An edit that leaves the secret out keeps it (sign-in still works afterwards, below).
    ok(await updateProvider(t, providerId, { displayName: 'Corp single sign-on' }));
  });

  it('lists only enabled providers, slug and name, to anyone', async () => {
    await createProvider(t, { ...base, slug: 'off', displayName: 'Switched off', enabled: false, defaultRole: 'VIEWER' });
    const r = await t.gql<{ signInOptions: unknown }>(
      `query { signInOptions { providers { slug displayName } passwordSignIn } }`,
      {},
      {
        authorization: '',
      },
    );
    expect(r.data?.signInOptions).toEqual({ providers: [{ slug: 'corp', displayName: 'Corp single sign-on' }], passwordSignIn: 'ON' });
    expect(errorOf((await startSso(t, 'off')).start)).toBe('PROVIDER_UNKNOWN');
  });

  it('tests the connection step by step', async () => {
    const TEST = `mutation($id: ID!) { testSsoProvider(id: $id) { ok steps { step ok message } } }`;
    const good = ok(await t.gql<{ testSsoProvider: { ok: boolean; steps: { step: string; ok: boolean }[] } }>(TEST, { id: providerId }));
    expect(good.testSsoProvider.ok).toBe(true);
    expect(good.testSsoProvider.steps.map((s) => `${s.step}:${s.ok}`)).toEqual([
      'DISCOVERY:true',
      'ISSUER:true',
      'ENDPOINTS:true',
      'JWKS:true',
    ]);
    // The same provider named by another spelling of its address: discovery works, the issuer does not match.
    const other = await createProvider(t, { ...base, slug: 'spelling', issuerUrl: op.issuer.replace('127.0.0.1', 'localhost') });
    const wrong = ok(
      await t.gql<{ testSsoProvider: { ok: boolean; steps: { step: string; ok: boolean; message: string }[] } }>(TEST, { id: other.id }),
    );
    expect(wrong.testSsoProvider.steps.map((s) => `${s.step}:${s.ok}`)).toEqual(['DISCOVERY:true', 'ISSUER:false']);
    expect(wrong.testSsoProvider.steps[1]!.message).toContain(op.issuer);
    const closed = await createProvider(t, { ...base, slug: 'closed', issuerUrl: 'http://127.0.0.1:9' });
    const down = ok(await t.gql<{ testSsoProvider: { ok: boolean; steps: { step: string; message: string }[] } }>(TEST, { id: closed.id }));
    expect(down.testSsoProvider).toMatchObject({ ok: false, steps: [{ step: 'DISCOVERY' }] });
    expect(down.testSsoProvider.steps[0]!.message).toMatch(/could not connect/);
  });
});

describe('test sign-in', () => {
  it('shows the claims and the role without creating the account or opening a session', async () => {
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(admin.email, admin.password);
    const cookie = `ikb_session=${encodeURIComponent(b.cookie!)}`;
    const r = await ssoSignIn(t, op, 'corp', { accountId: 'fay' }, { query: '?test=1', cookie });
    expect(r.result.location).toMatch(/^\/admin\/sso\?test=[0-9a-f]{64}$/);
    expect(r.result.cookies.has('ikb_session')).toBe(false);
    const key = r.result.location.split('=')[1]!;
    const Q = `query($k: String!) { ssoTestResult(key: $k) { ok error claims groups role account } }`;
    const res = await b.gql<{ ssoTestResult: Record<string, unknown> }>(Q, { k: key });
    expect(res.body.data?.ssoTestResult).toMatchObject({
      ok: true,
      error: null,
      groups: ['ikb-engineers'],
      role: 'ENGINEER',
      account: 'CREATE',
    });
    expect((res.body.data?.ssoTestResult.claims as { email: string } | undefined)?.email).toBe('fay@corp.test');
    expect(await t.sql(`select id from users where email = 'fay@corp.test'`)).toEqual([]);
    // Someone else's test is not theirs to read.
    expect(ok(await t.gql<{ ssoTestResult: unknown }>(Q, { k: key })).ssoTestResult).toBeNull();
  });

  it('keeps a refusal for the admin, and is refused to anyone but a signed-in admin', async () => {
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(admin.email, admin.password);
    const r = await ssoSignIn(
      t,
      op,
      'corp',
      { error: 'access_denied' },
      { query: '?test=1', cookie: `ikb_session=${encodeURIComponent(b.cookie!)}` },
    );
    const key = r.result.location.split('=')[1]!;
    const res = await b.gql<{ ssoTestResult: { ok: boolean; error: string } }>(
      `query($k: String!) { ssoTestResult(key: $k) { ok error } }`,
      { k: key },
    );
    expect(res.body.data?.ssoTestResult).toEqual({ ok: false, error: 'ACCESS_DENIED' });
    expect((await hop(`${t.app.url}/auth/sso/corp/start?test=1`)).status).toBe(403);
    const viewer = await createActor(t, 'VIEWER', { email: 'sso-viewer@example.test' });
    const vb = new Browser(t.app.graphqlUrl);
    await vb.signIn(viewer.email, viewer.password);
    expect((await hop(`${t.app.url}/auth/sso/corp/start?test=1`, `ikb_session=${encodeURIComponent(vb.cookie!)}`)).status).toBe(403);
  });
});

describe('hostile requests on the routes', () => {
  it('never answers 5xx nor redirects off the site', async () => {
    const huge = 'A'.repeat(8000);
    const urls = [
      `/auth/sso/corp/callback?state=${huge}&code=x`,
      `/auth/sso/corp/callback?state=%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00&code=%00`,
      `/auth/sso/corp/callback?state=${'b'.repeat(43)}&state=${'c'.repeat(43)}&code=x`,
      `/auth/sso/corp/callback?code=${huge}`,
      `/auth/sso/corp/callback?state=%E0%A4%A&code=%ZZ`,
      `/auth/sso/corp/callback`,
      `/auth/sso/nope/start`,
      `/auth/sso/nope/callback?state=${'b'.repeat(43)}`,
      `/auth/sso/NO%00PE/start`,
      `/auth/sso/../../graphql/start`,
      `/auth/sso/corp/start?return=${huge}`,
      `/auth/sso/corp/elsewhere`,
    ];
    for (const u of urls) {
      const r = await hop(`${t.app.url}${u}`, `ikb_sso=${'z'.repeat(43)}`);
      expect(r.status, u).toBeLessThan(500);
      if (r.status === 302 && !r.location.startsWith(op.issuer)) expect(r.location, u).toMatch(/^\/(?!\/)/);
    }
    const post = await fetch(`${t.app.url}/auth/sso/corp/callback`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
  });

  it('keeps only same-origin return paths', async () => {
    for (const ret of ['//evil.com', 'https://evil.com', '/\\evil.com', '/%09/evil.com', 'javascript:alert(1)']) {
      const s = await startSso(t, 'corp', `?return=${encodeURIComponent(ret)}`);
      expect(s.start.location.startsWith(op.issuer)).toBe(true);
      const [row] = await t.sql<{ return_path: string }>(`select return_path from sso_pending_logins order by created_at desc limit 1`);
      expect(row?.return_path, ret).toBe(ret === '/%09/evil.com' ? '/%09/evil.com' : '/');
    }
    const r = await ssoSignIn(t, op, 'corp', { accountId: 'fay' }, { query: `?return=${encodeURIComponent('https://evil.com/x')}` });
    expect(r.result.location).toBe('/');
  });

  it('offers the provider sign-out (RP-initiated logout)', async () => {
    const r = await hop(`${t.app.url}/auth/sso/corp/logout`);
    expect(r.status).toBe(302);
    const u = new URL(r.location);
    expect(u.origin).toBe(op.issuer);
    expect(u.searchParams.get('client_id')).toBe(CLIENT.client_id);
    expect(u.searchParams.get('post_logout_redirect_uri')).toBe(`${WEB}/sign-in`);
  });
});

describe('password sign-in switched off', () => {
  const SET = `mutation($input: PasswordSignInInput!) { setPasswordSignIn(input: $input) { mode breakGlassUsers { email } } }`;
  const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { role } }`;

  it('cannot lock everybody out', async () => {
    expectGqlError(await t.gql(SET, { input: { mode: 'BREAK_GLASS_ONLY', breakGlassUserIds: [] } }), 'BAD_USER_INPUT', 'breakGlassUserIds');
    const viewer = await createActor(t, 'VIEWER', { email: 'not-an-admin@example.test' });
    expectGqlError(
      await t.gql(SET, { input: { mode: 'BREAK_GLASS_ONLY', breakGlassUserIds: [viewer.userId] } }),
      'BAD_USER_INPUT',
      'breakGlassUserIds',
    );
    await t.sql(`update sso_providers set enabled = false`);
    expectGqlError(await t.gql(SET, { input: { mode: 'BREAK_GLASS_ONLY', breakGlassUserIds: [admin.userId] } }), 'BAD_USER_INPUT', 'mode');
    await t.sql(`update sso_providers set enabled = true where slug = 'corp'`);
  });

  it('refuses everyone but the break-glass admins, naming single sign-on', async () => {
    const eng = await createActor(t, 'ENGINEER', { email: 'eng-pw@example.test' });
    const set = ok(
      await t.gql<{ setPasswordSignIn: unknown }>(SET, { input: { mode: 'BREAK_GLASS_ONLY', breakGlassUserIds: [admin.userId] } }),
    );
    expect(set.setPasswordSignIn).toEqual({ mode: 'BREAK_GLASS_ONLY', breakGlassUsers: [{ email: admin.email }] });
    for (const [email, password] of [
      [eng.email, eng.password],
      ['nobody@example.test', 'whatever-password'],
    ]) {
      const r = await t.gql(SIGN_IN, { i: { email, password } }, { authorization: '' });
      const e = expectGqlError(r, 'PASSWORD_SIGN_IN_DISABLED');
      expect(e.message).toMatch(/single sign-on \(Corp single sign-on\)/);
    }
    expect(
      ok(await t.gql<{ signIn: { role: string } }>(SIGN_IN, { i: { email: admin.email, password: admin.password } }, { authorization: '' }))
        .signIn.role,
    ).toBe('ADMIN');
    // Single sign-on still works for the engineer.
    expect((await ssoSignIn(t, op, 'corp', { accountId: 'fay' })).session).toBeTruthy();
    // The last enabled provider stays while passwords are off.
    expectGqlError(await updateProvider(t, providerId, { enabled: false }), 'CONFLICT');
    expectGqlError(await t.gql(`mutation($id: ID!) { deleteSsoProvider(id: $id) }`, { id: providerId }), 'CONFLICT');
    ok(await t.gql(SET, { input: { mode: 'ON', breakGlassUserIds: [] } }));
    expect(
      ok(await t.gql<{ signIn: { role: string } }>(SIGN_IN, { i: { email: eng.email, password: eng.password } }, { authorization: '' }))
        .signIn.role,
    ).toBe('ENGINEER');
  });
});

void followToCallback;
