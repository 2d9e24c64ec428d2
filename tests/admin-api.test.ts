import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createActor, post, type Actor, type MeAnswer } from './support/auth-factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Daily administration without the CLI, through GraphQL (the web app's admin
 * pages use these): your own API tokens, everyone's for admins, and alert sources with what
 * they received.
 */

let t: TestApp;
let engineer: Actor;
let session: Browser;

beforeAll(async () => {
  t = await startTestApp();
  engineer = await createActor(t, 'ENGINEER', { email: 'tokens.engineer@example.test' });
  session = new Browser(t.app.graphqlUrl);
  await session.signIn(engineer.email, engineer.password);
});
afterAll(async () => {
  await t?.close();
});

const code = (r: { body: { errors?: { extensions?: { code?: string } }[] } }) => r.body.errors?.[0]?.extensions?.code ?? 'OK';
const OWN = `mutation($n: String!, $r: Role) { createOwnApiToken(name: $n, role: $r) { secret token { id name role prefix } } }`;
type Own = { createOwnApiToken: { secret: string; token: { id: string; name: string; role: string; prefix: string } } };
type Token = { id: string; name: string; role: string; prefix: string; user: { email: string } };

describe('your own API tokens', () => {
  it('are made in a signed-in session, with at most your role, and work at once', async () => {
    const made = await session.gql<Own>(OWN, { n: 'laptop' });
    expect(made.body.errors).toBeUndefined();
    const { secret, token } = made.body.data!.createOwnApiToken;
    expect(token).toMatchObject({ name: 'laptop', role: 'ENGINEER', prefix: secret.slice(0, 10) });
    const me = await post<{ me: unknown }>(
      t.app.graphqlUrl,
      `{ me { role authMethod user { email } } }`,
      {},
      { authorization: `Bearer ${secret}` },
    );
    expect(me.body.data!.me).toEqual({ role: 'ENGINEER', authMethod: 'TOKEN', user: { email: engineer.email } });
    expect(code(await session.gql(OWN, { n: 'more', r: 'ADMIN' }))).toBe('FORBIDDEN');
    const viewerToken = await session.gql<Own>(OWN, { n: 'read-only', r: 'VIEWER' });
    expect(viewerToken.body.data!.createOwnApiToken.token.role).toBe('VIEWER');
    // A token cannot mint tokens.
    expect(code(await post(t.app.graphqlUrl, OWN, { n: 'minted' }, { authorization: `Bearer ${secret}` }))).toBe('FORBIDDEN');
  });

  it('are listed for their owner only, and revoked by their owner (someone else’s is not found)', async () => {
    const mine = await session.gql<{ myApiTokens: Token[] }>(`{ myApiTokens { id name user { email } revokedAt } }`);
    expect(mine.body.data!.myApiTokens.length).toBeGreaterThanOrEqual(3);
    expect(new Set(mine.body.data!.myApiTokens.map((x) => x.user.email))).toEqual(new Set([engineer.email]));
    const other = await createActor(t, 'ENGINEER');
    expect(code(await session.gql(`mutation($id: ID!) { revokeOwnApiToken(id: $id) { id } }`, { id: other.tokenId }))).toBe('NOT_FOUND');
    expect(
      (await post<MeAnswer>(t.app.graphqlUrl, `{ me { role } }`, {}, { authorization: `Bearer ${other.token}` })).body.data!.me.role,
    ).toBe('ENGINEER');
    const laptop = mine.body.data!.myApiTokens.find((x) => x.name === 'laptop')!;
    const revoked = await session.gql<{ revokeOwnApiToken: { revokedAt: string | null } }>(
      `mutation($id: ID!) { revokeOwnApiToken(id: $id) { id revokedAt } }`,
      { id: laptop.id },
    );
    expect(revoked.body.data!.revokeOwnApiToken.revokedAt).toBeTruthy();
  });

  it('admins see everyone’s, with whose they are, in one statement for the list', async () => {
    const r = await t.gql<{ apiTokens: Token[] }>(`{ apiTokens { id name role prefix lastUsedAt revokedAt user { email } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.apiTokens.some((x) => x.user.email === engineer.email)).toBe(true);
    expect(r.data!.apiTokens.every((x) => x.prefix.startsWith('ikb_'))).toBe(true);
    expect(r.extensions?.sqlStatements).toBeLessThanOrEqual(2);
  });
});

describe('alert sources', () => {
  const CREATE = `mutation($input: CreateAlertSourceInput!) { createAlertSource(input: $input) { token source { id name tokenPrefix
    rules alertsReceived incidents firing lastAlertAt revokedAt } } }`;
  type Created = { createAlertSource: { token: string; source: { id: string; rules: unknown } } };
  const ingest = (token: string, alerts: unknown[]) =>
    fetch(`${t.app.url}/ingest/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ alerts }),
    });

  it('are made in the web app (token shown once), receive alerts, and count them', async () => {
    const made = await t.gql<Created>(CREATE, { input: { name: 'Prometheus prod', rules: { defaults: { impact: 2, urgency: 2 } } } });
    expect(made.errors).toBeUndefined();
    const { token, source } = made.data!.createAlertSource;
    expect(source).toMatchObject({
      name: 'Prometheus prod',
      tokenPrefix: token.slice(0, 12),
      alertsReceived: 0,
      incidents: 0,
      firing: 0,
      lastAlertAt: null,
      revokedAt: null,
    });
    expect(source.rules).toEqual({ defaults: { impact: 2, urgency: 2 } });
    expect((await ingest(token, [{ title: 'Disk full on db-1', fingerprint: 'disk-db-1' }])).status).toBe(200);
    expect(
      (
        await ingest(token, [
          { title: 'Disk full on db-1', fingerprint: 'disk-db-1' },
          { title: 'Queue backlog', fingerprint: 'q-1' },
        ])
      ).status,
    ).toBe(200);
    const list = await t.gql<{ alertSources: { name: string }[] }>(
      `{ alertSources { name alertsReceived distinctAlerts incidents firing lastAlertAt lastUsedAt } }`,
    );
    expect(list.data!.alertSources.find((s) => s.name === 'Prometheus prod')).toMatchObject({
      alertsReceived: 3,
      distinctAlerts: 2,
      incidents: 2,
      firing: 2,
    });
    expect(list.extensions?.sqlStatements).toBe(1);
    const secretInDb = await t.sql(`select token_hash from ingest_sources where name = 'Prometheus prod'`);
    expect(JSON.stringify(secretInDb)).not.toContain(token);
  });

  it('rotate (the old token stops at once) and revoke', async () => {
    const made = (await t.gql<Created>(CREATE, { input: { name: 'Grafana' } })).data!.createAlertSource;
    const rotated = await t.gql<{ rotateAlertSourceToken: { token: string } }>(
      `mutation($id: ID!) { rotateAlertSourceToken(id: $id) { token source { tokenPrefix } } }`,
      {
        id: made.source.id,
      },
    );
    const fresh = rotated.data!.rotateAlertSourceToken.token;
    expect(fresh).not.toBe(made.token);
    expect((await ingest(made.token, [{ title: 'x' }])).status).toBe(401);
    expect((await ingest(fresh, [{ title: 'Fresh token works' }])).status).toBe(200);
    const revoked = await t.gql<{ revokeAlertSource: { revokedAt: string | null } }>(
      `mutation($id: ID!) { revokeAlertSource(id: $id) { revokedAt } }`,
      { id: made.source.id },
    );
    expect(revoked.data!.revokeAlertSource.revokedAt).toBeTruthy();
    expect((await ingest(fresh, [{ title: 'y' }])).status).toBe(401);
  });

  it('refuses bad rules, a taken name and text no name may hold, naming the field', async () => {
    const bad = await t.gql(CREATE, { input: { name: 'Bad rules', rules: { rules: [{ when: {}, set: { impact: 9 } }] } } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rules' });
    const nul = await t.gql(CREATE, { input: { name: 'Nul rules', rules: { defaults: { team: 'Ops\u0000' } } } });
    expect(nul.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.rules.defaults.team' });
    const taken = await t.gql(CREATE, { input: { name: 'PROMETHEUS PROD' } });
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    const bidi = await t.gql(CREATE, { input: { name: 'Prom\u202etheus' } });
    expect(bidi.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const rules = await t.gql(`mutation($id: ID!, $rules: JSONObject!) { setAlertSourceRules(id: $id, rules: $rules) { id } }`, {
      id: '00000000-0000-4000-8000-000000000000',
      rules: {},
    });
    expect(rules.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(await t.sql(`select name from ingest_sources where name in ('Bad rules', 'Nul rules')`)).toEqual([]);
  });
});
