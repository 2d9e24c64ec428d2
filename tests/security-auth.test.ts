import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type AppOptions, type RunningApp } from '@ikb/api/src/app';
import { CountingLogger } from '@ikb/api/src/db/sql-counter';
import { createIngestSource } from '@ikb/api/src/features/ingest/ingest-source';
import { Browser, createActor, post, strongPassword, uniq, type Actor } from './support/auth-factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Sign-in lockout under concurrency, password
 * changes, account enumeration, action-item ownership, the client address behind the web app,
 * bad-token floods and the last admin. Each reproduces a finding of the outside probe.
 */

let t: TestApp;
const extra: RunningApp[] = [];
let engineer: Actor;

beforeAll(async () => {
  t = await startTestApp();
  engineer = await createActor(t, 'ENGINEER', { email: 'security-engineer@example.test' });
});
afterAll(async () => {
  for (const a of extra) await a.close();
  await t?.close();
});

async function appWith(opts: Partial<AppOptions>) {
  const app = await startApp({ databaseUrl: t.app.databaseUrl, port: 0, exposeSqlCount: true, ...opts });
  extra.push(app);
  return app;
}

const codeOf = (r: { body: { errors?: { extensions?: { code?: string } }[] } }) => r.body.errors?.[0]?.extensions?.code ?? 'OK';
const keyOf = (email: string) => createHash('sha256').update(email).digest('hex');

async function userWithPassword(role = 'ENGINEER') {
  const password = strongPassword();
  const email = `${uniq('person').replace(/\W+/g, '-')}@example.test`.toLowerCase();
  await t.gql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
    input: { email, name: uniq('Person'), role, password },
  });
  return { email, password };
}

describe('sign-in lockout (item 3)', () => {
  it('60 wrong passwords sent at once get 5 checks; the rest are refused as locked and the count is exact', async () => {
    const u = await userWithPassword();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => new Browser(t.app.graphqlUrl).signIn(u.email, `Wrong-guess-${i}-x`)),
    );
    const codes = answers.map(codeOf);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED')).toHaveLength(55);
    const [row] = await t.sql<{ failed_attempts: number; locked_until: Date }>(
      `select failed_attempts, locked_until from sign_in_throttles where key_hash = $1`,
      [keyOf(u.email)],
    );
    expect(row.failed_attempts).toBe(5);
    expect(new Date(row.locked_until).getTime()).toBeGreaterThan(Date.now() + 30_000);
  });

  it('24 wrong and 1 right at once: at most 5 are checked, so the right one gets in only as one of the first five', async () => {
    for (let round = 0; round < 3; round++) {
      const u = await userWithPassword();
      const attempts = [...Array.from({ length: 24 }, (_, i) => `Wrong-guess-${i}-y`), u.password];
      const answers = await Promise.all(attempts.map((p) => new Browser(t.app.graphqlUrl).signIn(u.email, p)));
      const codes = answers.map(codeOf);
      const checked = codes.filter((c) => c !== 'ACCOUNT_LOCKED');
      expect(checked.length, codes.join(',')).toBeLessThanOrEqual(5);
      expect(checked.length).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('changePassword (item 4)', () => {
  it('is refused with an API token, even with the right current password', async () => {
    const a = await createActor(t, 'VIEWER');
    const r = await post(
      t.app.graphqlUrl,
      `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id } }`,
      { c: a.password, n: strongPassword() },
      { authorization: `Bearer ${a.token}` },
    );
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(r.body.errors?.[0]?.message).toMatch(/only in a signed-in session/);
    // The password is unchanged.
    expect(codeOf(await new Browser(t.app.graphqlUrl).signIn(a.email, a.password))).toBe('OK');
  });

  it('counts wrong current passwords toward the lockout, which then holds for sign-in too', async () => {
    const u = await userWithPassword();
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(u.email, u.password);
    const change = (current: string) =>
      b.gql(`mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id } }`, {
        c: current,
        n: strongPassword(),
      });
    for (let i = 0; i < 5; i++) {
      const r = await change(`Guess-number-${i}`);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.body.errors?.[0]?.extensions?.field).toBe('currentPassword');
    }
    expect(codeOf(await change(u.password))).toBe('ACCOUNT_LOCKED');
    expect(codeOf(await new Browser(t.app.graphqlUrl).signIn(u.email, u.password))).toBe('ACCOUNT_LOCKED');
  });

  it('still works from a session, with its audit row', async () => {
    const u = await userWithPassword();
    const b = new Browser(t.app.graphqlUrl);
    await b.signIn(u.email, u.password);
    const next = strongPassword();
    const r = await b.gql<{ changePassword: { id: string } }>(
      `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id } }`,
      {
        c: u.password,
        n: next,
      },
    );
    expect(r.body.errors).toBeUndefined();
    expect(
      await t.sql(`select variables from audit_log where operation = 'changePassword' and target_id = $1`, [
        r.body.data!.changePassword.id,
      ]),
    ).toEqual([{ variables: { currentPassword: '[redacted]', newPassword: '[redacted]' } }]);
    expect(codeOf(await new Browser(t.app.graphqlUrl).signIn(u.email, next))).toBe('OK');
  });
});

describe('account enumeration (item 10)', () => {
  it('an unknown email answers like a known one: the same codes in the same order, locked after 5, with the same statements', async () => {
    const known = await userWithPassword();
    const unknown = `nobody-${Math.random().toString(36).slice(2)}@example.test`;
    const run = async (email: string) => {
      const out: { code: string; statements: number }[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await new Browser(t.app.graphqlUrl).signIn(email, `Wrong-guess-${i}-z`);
        out.push({ code: codeOf(r), statements: Number(r.body.extensions?.sqlStatements) });
      }
      return out;
    };
    const a = await run(known.email);
    const b = await run(unknown);
    expect(a.map((x) => x.code)).toEqual([
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'ACCOUNT_LOCKED',
      'ACCOUNT_LOCKED',
    ]);
    expect(b).toEqual(a);
  });
});

describe('emails (item 12)', () => {
  it('are one account however written: case, full-width letters; invisible characters are refused, not a second account', async () => {
    const u = await userWithPassword();
    const twin = await t.gql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }`, {
      input: { email: u.email.replace('@', '\u200b@'), name: 'Twin', role: 'VIEWER' },
    });
    expect(twin.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    expect(twin.errors?.[0]?.message).toMatch(/invisible character, U\+200B/);
    const upper = await t.gql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }`, {
      input: { email: u.email.toUpperCase(), name: 'Upper twin', role: 'VIEWER' },
    });
    expect(upper.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(codeOf(await new Browser(t.app.graphqlUrl).signIn(u.email.toUpperCase(), u.password))).toBe('OK');
    const fullWidth = await t.gql<{ createUser: { id: string; email: string } }>(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }`,
      {
        input: { email: 'ｚｅｄ@example.test', name: 'Zed', role: 'VIEWER' },
      },
    );
    expect(fullWidth.errors).toBeUndefined();
    expect(fullWidth.data!.createUser.email).toBe('zed@example.test');
  });
});

describe('action items (item 5)', () => {
  async function itemOwnedBy(ownerId: string) {
    const inc = await t.gql<{ logIncident: { id: string } }>(
      `mutation { logIncident(input: { title: "Ownership", description: "x" }) { id } }`,
    );
    const id = inc.data!.logIncident.id;
    await t.gql(
      `mutation($id: ID!) { transitionIncident(id: $id, input: { to: RESOLVED, resolutionKind: PERMANENT_FIX, resolutionNotes:
        "fixed" }) { id } }`,
      { id },
    );
    const review = await t.gql<{ createReview: { id: string } }>(
      `mutation($ids: [ID!]!) { createReview(input: { title: "Ownership review", incidentIds: $ids }) { id } }`,
      {
        ids: [id],
      },
    );
    const item = await t.gql<{ addActionItem: { id: string } }>(
      `mutation($r: ID!, $o: ID!) { addActionItem(reviewId: $r, input: { title: "Fix it", ownerId: $o, dueDate: "2099-01-31", kind:
        PREVENT }) { id } }`,
      {
        r: review.data!.createReview.id,
        o: ownerId,
      },
    );
    expect(item.errors).toBeUndefined();
    return item.data!.addActionItem.id;
  }
  const setStatus = (id: string, token: string) =>
    post(
      t.app.graphqlUrl,
      `mutation($id: ID!) { setActionItemStatus(id: $id, input: { status: DONE }) { id status } }`,
      { id },
      { authorization: `Bearer ${token}` },
    );

  it('an engineer may move their own items, not someone else’s; a problem manager may move any', async () => {
    const other = await createActor(t, 'ENGINEER');
    const pm = await createActor(t, 'PROBLEM_MANAGER');
    const own = await itemOwnedBy(engineer.userId);
    const theirs = await itemOwnedBy(other.userId);
    expect(codeOf(await setStatus(own, engineer.token))).toBe('OK');
    const refused = await setStatus(theirs, engineer.token);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(refused.body.errors?.[0]?.message).toMatch(/action items they own/);
    expect((await t.sql(`select status from action_items where id = $1`, [theirs]))[0].status).toBe('OPEN');
    expect(codeOf(await setStatus(theirs, pm.token))).toBe('OK');
  });
});

describe('the last admin (item 13)', () => {
  it('cannot be demoted or disabled; with a second admin both work', async () => {
    const app = await appWith({ rateLimitPerMinute: 0 });
    // The harness admin is the only enabled admin of this database until a second one is made.
    const admins = await t.sql(`select id from users where role = 'ADMIN' and not disabled`);
    const [only] = admins;
    expect(admins).toHaveLength(1);
    const demote = await t.gql(`mutation($u: ID!) { setUserRole(userId: $u, role: VIEWER) { id role } }`, { u: only.id });
    expect(demote.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(demote.errors?.[0]?.message).toMatch(/last enabled admin/);
    const disable = await t.gql(`mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { id } }`, { u: only.id });
    expect(disable.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const second = await createActor(t, 'ADMIN');
    const demoted = await post<{ setUserRole: { role: string } }>(
      `${app.url}/graphql`,
      `mutation($u: ID!) { setUserRole(userId: $u, role: ENGINEER) { role } }`,
      { u: second.userId },
      { authorization: `Bearer ${await t.tokenFor('test-admin@example.test')}` },
    );
    expect(demoted.body.data?.setUserRole.role).toBe('ENGINEER');
  });
});

describe('client address and limits (items 6 and 11)', () => {
  const SECRET = 'a-shared-secret-of-the-web-app-0123';
  const me = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });

  it('anonymous callers behind the web app each have their own bucket, keyed on the address it vouches for', async () => {
    const app = await appWith({ rateLimitPerMinute: 40, proxySecret: SECRET });
    const via = (address: string) => ({ 'x-ikb-client-address': address, 'x-ikb-proxy-secret': SECRET });
    // One noisy browser uses up its bucket (burst 20) ...
    const noisy = await Promise.all(Array.from({ length: 25 }, () => me(app.url, via('198.51.100.7'))));
    expect(noisy.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    const limited = noisy.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // ... and another browser is not affected.
    expect((await me(app.url, via('203.0.113.9'))).status).toBe(200);
    // Without the secret the header is only the client's word: ignored, so it cannot pick fresh buckets.
    const forged = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        me(app.url, { 'x-ikb-client-address': `192.0.2.${i + 1}`, 'x-ikb-proxy-secret': 'guess-guess-guess-guess' }),
      ),
    );
    expect(forged.some((r) => r.status === 429)).toBe(true);
  });

  it('TRUSTED_PROXIES: the first untrusted X-Forwarded-For hop is the client; from others the header is ignored', async () => {
    const app = await appWith({ rateLimitPerMinute: 40, trustedProxies: ['127.0.0.1/32', '10.0.0.0/8'] });
    const xff = (chain: string) => ({ 'x-forwarded-for': chain });
    const a = await Promise.all(Array.from({ length: 25 }, () => me(app.url, xff('198.51.100.20, 10.1.2.3'))));
    expect(a.some((r) => r.status === 429)).toBe(true);
    // A spoofed left-most entry does not change who the client is (the trusted proxy appended the real one).
    expect((await me(app.url, xff('1.2.3.4, 198.51.100.20, 10.1.2.3'))).status).toBe(429);
    expect((await me(app.url, xff('198.51.100.21, 10.1.2.3'))).status).toBe(200);
  });

  it('signIn has its own limits per address and per account, answered 429 with Retry-After', async () => {
    const app = await appWith({ rateLimitPerMinute: 1200, proxySecret: SECRET });
    const u = await userWithPassword();
    const signIn = (email: string, address: string) =>
      post(
        `${app.url}/graphql`,
        `mutation($input: SignInInput!) { signIn(input: $input) { role } }`,
        { input: { email, password: 'Wrong-guess-again' } },
        { 'x-ikb-client-address': address, 'x-ikb-proxy-secret': SECRET },
      );
    // Per address: many accounts from one address.
    const byAddress = [];
    for (let i = 0; i < 12; i++) byAddress.push(await signIn(`spray-${i}@example.test`, '198.51.100.50'));
    const limited = byAddress.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(codeOf(limited[0]!)).toBe('RATE_LIMITED');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Per account: one account from many addresses (the lockout answers first for a known one; the limit holds anyway).
    const byAccount = [];
    for (let i = 0; i < 12; i++) byAccount.push(await signIn(u.email, `198.51.100.${100 + i}`));
    expect(byAccount.some((r) => codeOf(r) === 'RATE_LIMITED')).toBe(true);
    // A user on another address, for another account, signs in.
    const other = await userWithPassword();
    const fine = await post(
      `${app.url}/graphql`,
      `mutation($input: SignInInput!) { signIn(input: $input) { role } }`,
      { input: { email: other.email, password: other.password } },
      {
        'x-ikb-client-address': '203.0.113.77',
        'x-ikb-proxy-secret': SECRET,
      },
    );
    expect(fine.body.errors).toBeUndefined();
  });

  /**
   * The bad-token bucket refills at half a token a second: on a loaded machine 40 requests can take
   * longer than that, and a refilled token lets one through. Hold the limiter's clock (performance.now)
   * while counting, so the test checks the limit rather than the machine's speed.
   */
  const holdLimiterClock = () => {
    const at = performance.now();
    return vi.spyOn(performance, 'now').mockReturnValue(at);
  };

  it('an address sending bad tokens is refused before they are looked up (no SQL), also for a good token from it', async () => {
    const app = await appWith({ rateLimitPerMinute: 1200, proxySecret: SECRET });
    const from = (address: string, token: string) =>
      me(app.url, { authorization: `Bearer ${token}`, 'x-ikb-client-address': address, 'x-ikb-proxy-secret': SECRET });
    const statuses: number[] = [];
    const clock = holdLimiterClock();
    for (let i = 0; i < 40; i++) statuses.push((await from('198.51.100.90', `ikb_forged_${i}`)).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    const spy = vi.spyOn(CountingLogger.prototype, 'logQuery');
    try {
      const more = await Promise.all(Array.from({ length: 100 }, (_, i) => from('198.51.100.90', `ikb_forged_more_${i}`)));
      expect(more.every((r) => r.status === 429)).toBe(true);
      expect(Number(more[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(spy).not.toHaveBeenCalled();
      expect((await from('198.51.100.90', engineer.token)).status).toBe(429);
    } finally {
      spy.mockRestore();
      clock.mockRestore();
    }
    // Other addresses are not affected.
    expect((await from('198.51.100.91', engineer.token)).status).toBe(200);
  });

  it('the same holds for alert-source tokens at /ingest/alerts', async () => {
    const app = await appWith({ rateLimitPerMinute: 1200, proxySecret: SECRET });
    const { token } = await createIngestSource(t.app.orm.em.fork(), uniq('Prometheus').replace(/\W+/g, '-'));
    const send = (address: string, bearer: string) =>
      fetch(`${app.url}/ingest/alerts`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${bearer}`,
          'x-ikb-client-address': address,
          'x-ikb-proxy-secret': SECRET,
        },
        body: JSON.stringify({ alerts: [{ title: 'Disk almost full', severity: 'warning', fingerprint: 'disk-1' }] }),
      });
    const statuses: number[] = [];
    const clock = holdLimiterClock();
    try {
      for (let i = 0; i < 35; i++) statuses.push((await send('198.51.100.120', `ikb_in_forged_${i}`)).status);
      expect(statuses.slice(0, 30).every((x) => x === 401)).toBe(true);
      expect(statuses.slice(30).every((x) => x === 429)).toBe(true);
      expect((await send('198.51.100.120', token)).status).toBe(429);
    } finally {
      clock.mockRestore();
    }
    expect((await send('198.51.100.121', token)).status).toBe(200);
  });
});
