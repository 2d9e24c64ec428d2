import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { logger } from '@ikb/api/src/http/logger';
import { createActor, make, post, uniq, type Actor, type MeAnswer } from './support/auth-factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * API hardening: document limits (depth, aliases, tokens, cost, directives) that refuse
 * abusive documents with clear errors while a realistic deep connection query passes; introspection
 * and field suggestions off in production; body size limit (413); per-token rate limit (429 with
 * Retry-After); masked internal errors whose request id is in the log; probes and request ids.
 */

let t: TestApp;
let admin: string;
/** More apps on the same database, with other options; closed at the end. */
const extra: RunningApp[] = [];
async function alsoStart(opts: { production?: boolean; rateLimitPerMinute?: number; maxBodyBytes?: number; authCacheMs?: number }) {
  const app = await startApp({ databaseUrl: t.app.databaseUrl, port: 0, exposeSqlCount: false, ...opts });
  extra.push(app);
  return app;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor('test-admin@example.test');
});
afterAll(async () => {
  for (const a of extra) await a.close();
  await t?.close();
});

const auth = () => ({ authorization: `Bearer ${admin}` });
const errorsOf = (r: { body: { errors?: { message: string; extensions?: Record<string, unknown> }[] } }) => r.body.errors ?? [];

describe('document limits', () => {
  it('a realistic deep connection query passes: incidents -> edges -> node -> problem -> workarounds -> problems', async () => {
    const p = await make.problem(t, { title: uniq('Deep problem') });
    const w = await make.workaround(t, { status: 'ACTIVE', problemIds: [p.id] });
    const i = await make.incident(t, { title: uniq('Deep incident') });
    await t.gql(`mutation($i: ID!, $p: ID!) { linkIncidentToProblem(incidentId: $i, problemId: $p) { id } }`, { i: i.id, p: p.id });
    const query = `query Dashboard($first: Int!) {
      incidents(first: $first) {
        totalCount
        pageInfo { endCursor hasNextPage }
        edges { cursor node {
          id number title status priority impact urgency major openedAt acknowledgedAt resolvedAt
          service { id name } category { id name } team { id name } assignee { id name }
          problem { id number title status rootCause
            workarounds { id title status
              problems { id number title status }
            }
          }
        } }
      }
    }`;
    type Node = { id: string; problem: { workarounds: { id: string; problems: { id: string }[] }[] } | null };
    const r = await post<{ incidents: { edges: { node: Node }[] } }>(t.app.graphqlUrl, query, { first: 100 }, auth());
    expect(r.status, r.text).toBe(200);
    expect(r.body.errors, r.text).toBeUndefined();
    const node = r.body.data!.incidents.edges.map((e) => e.node).find((n) => n.id === i.id)!;
    expect(node.problem!.workarounds[0]!.id).toBe(w.id);
    expect(node.problem!.workarounds[0]!.problems[0]!.id).toBe(p.id);
    // The same shape with literal page sizes (which the cost rule multiplies) passes too.
    const literal = await post(t.app.graphqlUrl, query.replace('($first: Int!)', '').replace('first: $first', 'first: 50'), {}, auth());
    expect(literal.body.errors, literal.text).toBeUndefined();
  });

  const nest = (levels: number) => {
    let q = 'id';
    for (let k = 0; k < levels; k++) q = `workarounds { problems { ${q} } }`;
    return `{ incidents { edges { node { problem { ${q} } } } } }`;
  };

  it.each([
    ['depth', () => nest(5), /depth limit of 12 exceeded, found \d+/],
    [
      'aliases',
      () => `{ ${Array.from({ length: 21 }, (_, k) => `a${k}: me { role }`).join(' ')} }`,
      /Aliases limit of 20 exceeded, found 21/,
    ],
    [
      'directives',
      () => `{ me @include(if: true) { role ${Array.from({ length: 21 }, () => '@include(if: true)').join(' ')} } }`,
      /Directives limit of 20 exceeded/,
    ],
    [
      'cost',
      () => {
        const node =
          'id number title description status priority impact urgency openedAt service { id name } category { ' +
          'id name } team { id name } timeline { seq kind summary at }';
        return `{ ${['a', 'b', 'c'].map((a) => `${a}: incidents(first: 100) { edges { node { ${node} } } }`).join(' ')} }`;
      },
      /Cost limit of 20000 exceeded, found \d+/,
    ],
    ['tokens', () => `{ ${Array.from({ length: 4100 }, () => '__typename').join(' ')} }`, /4000 tokens/],
  ])('refuses a document over the %s limit with a 400 and a message naming the limit', async (_what, doc, message) => {
    const r = await post(t.app.graphqlUrl, doc(), {}, auth());
    expect(r.status, r.text).toBe(400);
    const errors = errorsOf(r);
    expect(errors.length, r.text).toBeGreaterThanOrEqual(1);
    expect(errors[0]!.message, r.text).toMatch(message);
    expect(errors[0]!.message).not.toMatch(/^Syntax Error: (Query|Aliases|Directives)/);
    expect(String(errors[0]!.extensions?.code)).toMatch(/^GRAPHQL_(VALIDATION|PARSE)_FAILED$/);
    expect(r.body.data).toBeUndefined();
  });

  it('a refused document does not run: 21 aliased mutations create nothing', async () => {
    const name = uniq('Alias flood');
    const aliases = Array.from({ length: 21 }, (_, k) => `t${k}: createTeam(input: { name: "${name} ${k}" }) { id }`);
    const doc = `mutation { ${aliases.join(' ')} }`;
    const r = await post(t.app.graphqlUrl, doc, {}, auth());
    expect(r.status).toBe(400);
    expect(await t.sql(`select 1 from teams where name like $1`, [`${name}%`])).toEqual([]);
  });

  it('refuses batched requests', async () => {
    const res = await fetch(t.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: JSON.stringify([{ query: '{ me { role } }' }, { query: '{ me { role } }' }]),
    });
    expect(res.status).toBe(400);
  });
});

describe('production mode', () => {
  let prod: RunningApp;
  beforeAll(async () => {
    prod = await alsoStart({ production: true });
  });

  it('refuses introspection', async () => {
    for (const q of [`{ __schema { types { name } } }`, `{ __type(name: "Incident") { fields { name } } }`]) {
      const r = await post(prod.graphqlUrl, q, {}, auth());
      expect(r.status, r.text).toBe(400);
      expect(errorsOf(r)[0]!.message).toMatch(/introspection/i);
      expect(r.text).not.toMatch(/"Incident"|"fields"/);
    }
    // Development mode answers it.
    const dev = await post<{ __schema: { queryType: { name: string } } }>(
      t.app.graphqlUrl,
      `{ __schema { queryType { name } } }`,
      {},
      auth(),
    );
    expect(dev.body.data!.__schema.queryType.name).toBe('Query');
  });

  it('gives no field suggestions', async () => {
    const r = await post(prod.graphqlUrl, `{ incidnts { totalCount } }`, {}, auth());
    expect(r.status).toBe(400);
    expect(errorsOf(r)[0]!.message).toMatch(/Cannot query field "incidnts"/);
    expect(r.text).not.toMatch(/Did you mean/);
    const dev = await post(t.app.graphqlUrl, `{ incidnts { totalCount } }`, {}, auth());
    expect(errorsOf(dev)[0]!.message).toMatch(/Did you mean "incidents"/);
    const arg = await post(prod.graphqlUrl, `{ incidents(frist: 2) { totalCount } }`, {}, auth());
    expect(arg.text).not.toMatch(/Did you mean/);
  });

  it('still serves ordinary queries', async () => {
    const r = await post<MeAnswer>(prod.graphqlUrl, `{ me { role } incidents(first: 1) { totalCount } }`, {}, auth());
    expect(r.body.errors, r.text).toBeUndefined();
    expect(r.body.data!.me.role).toBe('ADMIN');
  });
});

describe('request body limit', () => {
  it('answers 413 with a JSON error to a body over the limit (announced or streamed) and keeps serving', async () => {
    const small = await alsoStart({ maxBodyBytes: 10_000 });
    const body = JSON.stringify({ query: '{ me { role } }', variables: { pad: 'x'.repeat(50_000) } });
    const announced = await fetch(small.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body });
    const streamed = await fetch(small.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: new Blob([body]).stream(),
      duplex: 'half',
    } as RequestInit);
    for (const res of [announced, streamed]) {
      expect(res.status).toBe(413);
      const json = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(json.errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(json.errors[0]!.message).toMatch(/larger than 10000 bytes/);
    }
    // The default limit (1 MB) on the main app, and the app still answers afterwards.
    const big = await fetch(t.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: JSON.stringify({ query: '{ me { role } }', variables: { pad: 'y'.repeat(1_100_000) } }),
    });
    expect(big.status).toBe(413);
    const after = await post<MeAnswer>(small.graphqlUrl, `{ me { role } }`, {}, auth());
    expect(after.body.data!.me.role).toBe('ADMIN');
  });
});

describe('API token checks reused for a few seconds', () => {
  it('applies a revocation made through the API at once, and one made behind its back within authCacheMs', async () => {
    const cached = await alsoStart({ authCacheMs: 400 });
    const me = (tok: string) => post(cached.graphqlUrl, `{ me { role } }`, {}, { authorization: `Bearer ${tok}` });
    const a = await createActor(t, 'ENGINEER');
    const b = await createActor(t, 'ENGINEER');
    expect((await me(a.token)).status).toBe(200);
    expect((await me(b.token)).status).toBe(200);
    // Through a mutation on this API process: refused on the very next request.
    const revoked = await post<{ revokeApiToken: { revokedAt: string | null } }>(
      cached.graphqlUrl,
      `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`,
      { id: a.tokenId },
      auth(),
    );
    expect(revoked.body.data!.revokeApiToken.revokedAt).toBeTruthy();
    expect((await me(a.token)).status).toBe(401);
    // Behind its back (the CLI, another instance): no longer accepted once the entry expires.
    await t.sql(`update api_tokens set revoked_at = now() where id = $1`, [b.tokenId]);
    await new Promise((r) => setTimeout(r, 450));
    expect((await me(b.token)).status).toBe(401);
  });
});

describe('API token checks kept across mutations that cannot change accounts', () => {
  it('keeps them through incident work, and checks again after an admin-only mutation', async () => {
    const cached = await alsoStart({ authCacheMs: 60_000 });
    const me = (tok: string) => post(cached.graphqlUrl, `{ me { role } }`, {}, { authorization: `Bearer ${tok}` });
    const a = await createActor(t, 'ENGINEER');
    expect((await me(a.token)).status).toBe(200);
    // Revoked behind the API's back: only a new check would notice.
    await t.sql(`update api_tokens set revoked_at = now() where id = $1`, [a.tokenId]);
    // Incident work on this process cannot change accounts or tokens: the cached check stands.
    const logged = await post(
      cached.graphqlUrl,
      `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id } }`,
      { input: { title: uniq('Cache check'), impact: 3, urgency: 3 } },
      auth(),
    );
    expect(logged.body.errors).toBeUndefined();
    expect((await me(a.token)).status).toBe(200);
    // An admin-only mutation may (users, roles, tokens): every token is checked again.
    const team = await post(
      cached.graphqlUrl,
      `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`,
      { input: { name: uniq('Cache team') } },
      auth(),
    );
    expect(team.body.errors).toBeUndefined();
    expect((await me(a.token)).status).toBe(401);
  });
});

describe('rate limit', () => {
  let limited: RunningApp;
  let a: Actor;
  let b: Actor;
  beforeAll(async () => {
    limited = await alsoStart({ rateLimitPerMinute: 6 }); // a burst of 20, then one request every 10 s
    a = await createActor(t, 'VIEWER');
    b = await createActor(t, 'VIEWER');
  });

  it('answers 429 with Retry-After once a token has used its burst, per token', async () => {
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let k = 0; k < 30; k++) {
      const r = await post(limited.graphqlUrl, `{ me { role } }`, {}, { authorization: `Bearer ${a.token}` });
      statuses.push(r.status);
      if (r.status === 429) refused ??= r;
    }
    expect(
      statuses.slice(0, 20).every((s) => s === 200),
      statuses.join(','),
    ).toBe(true);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(errorsOf(refused!)[0]!.extensions?.code).toBe('RATE_LIMITED');
    expect(errorsOf(refused!)[0]!.message).toMatch(/retry in \d+ s/);
    // Another token is not affected.
    expect((await post(limited.graphqlUrl, `{ me { role } }`, {}, { authorization: `Bearer ${b.token}` })).status).toBe(200);
  });

  it('limits anonymous callers by address', async () => {
    const statuses: number[] = [];
    for (let k = 0; k < 25; k++) statuses.push((await post(limited.graphqlUrl, `{ me { role } }`)).status);
    expect(statuses).toContain(429);
  });
});

describe('errors, logs and probes', () => {
  it('masks internal errors and names a request id that the log has with the details', async () => {
    const spy = vi.spyOn(logger, 'error');
    try {
      await t.sql(`alter table teams rename to teams_hidden_for_test`);
      const r = await post(t.app.graphqlUrl, `{ teams { id name } }`, {}, auth());
      expect(r.status).toBe(200);
      const e = errorsOf(r)[0]!;
      expect(e.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const requestId = r.headers.get('x-request-id')!;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.extensions?.requestId).toBe(requestId);
      expect(e.message).toBe(`Internal server error (request id ${requestId})`);
      expect(JSON.stringify({ message: e.message, extensions: e.extensions })).not.toMatch(/teams|relation|select|stack|at \w+ \(/i);
      const logged = spy.mock.calls.find(([obj]) => (obj as { requestId?: string }).requestId === requestId);
      expect(logged, JSON.stringify(spy.mock.calls.map((c) => c[1]))).toBeDefined();
      expect(String((logged![0] as { err: Error }).err.message)).toMatch(/teams/);
    } finally {
      await t.sql(`alter table teams_hidden_for_test rename to teams`);
      spy.mockRestore();
    }
  });

  it('writes one structured log line per request with the request id, status and duration', async () => {
    const spy = vi.spyOn(logger, 'info');
    try {
      const res = await fetch(t.app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-42', ...auth() },
        body: JSON.stringify({ query: '{ me { role } }' }),
      });
      expect(res.headers.get('x-request-id')).toBe('trace-me-42');
      await res.text();
      await new Promise((r) => setTimeout(r, 50));
      const line = spy.mock.calls.find(([obj]) => (obj as { requestId?: string }).requestId === 'trace-me-42');
      expect(line?.[0]).toMatchObject({ requestId: 'trace-me-42', method: 'POST', path: '/graphql', status: 200 });
      expect(typeof (line![0] as { ms: number }).ms).toBe('number');
      expect(JSON.stringify(line)).not.toContain(admin);
    } finally {
      spy.mockRestore();
    }
  });

  it('serves /healthz and /readyz, and 404 elsewhere', async () => {
    const h = await fetch(`${t.app.url}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ ok: true });
    const r = await fetch(`${t.app.url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
    expect((await fetch(`${t.app.url}/nope`)).status).toBe(404);
  });
});
