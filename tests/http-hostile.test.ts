import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { schema } from '@ikb/api/src/graphql/schema';
import { logger } from '@ikb/api/src/http/logger';
import { createHttpServer } from '@ikb/api/src/http/server';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { rawRequest } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * No malformed request can end the API process (it runs as deployed, in
 * its own process, and must answer 400 and keep serving), and cross-origin access is off unless an
 * operator lists the origin.
 */

let t: TestApp;
let api: ApiProcess;
const extra: RunningApp[] = [];

beforeAll(async () => {
  t = await startTestApp();
  api = await startApiProcess(t.app.databaseUrl);
});
afterAll(async () => {
  api?.child.kill('SIGTERM');
  await api?.exited;
  for (const a of extra) await a.close();
  await t?.close();
});

async function alive(url: string) {
  const r = await fetch(`${url}/healthz`);
  expect(r.status).toBe(200);
}

describe('malformed request lines', () => {
  it.each([
    'GET //[ HTTP/1.1',
    'GET //a:b@:99999 HTTP/1.1',
    'GET //% HTTP/1.1',
    'POST //[/graphql HTTP/1.1',
    'GET //a:b@[::1 HTTP/1.1',
    'GET http://[ HTTP/1.1',
  ])('%s is a 400 and the process keeps serving', async (line) => {
    const answer = await rawRequest(api.url, `${line}\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect(answer.statuses, answer.text).toEqual([400]);
    expect(answer.text).toContain('"code":"BAD_REQUEST"');
    expect(api.child.exitCode).toBeNull();
    await alive(api.url);
  });

  it('survives them back to back on one kept-alive connection, then serves GraphQL', async () => {
    const one = (line: string) => `${line}\r\nHost: localhost\r\n\r\n`;
    const answer = await rawRequest(api.url, one('GET //[ HTTP/1.1') + one('GET //% HTTP/1.1') + one('GET /healthz HTTP/1.1'), 1000);
    expect(answer.statuses).toEqual([400, 400, 200]);
    const r = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(r.status).toBe(200);
    expect(api.child.exitCode).toBeNull();
  });
});

describe('a bug in a request', () => {
  it('is a 500 naming the request id, which the log has with the error; the server keeps serving', async () => {
    const lines: Record<string, unknown>[] = [];
    const spy = vi.spyOn(logger, 'error').mockImplementation(((obj: Record<string, unknown>) => void lines.push(obj)) as never);
    const { server, apollo } = await createHttpServer({
      orm: t.app.orm,
      schema: await schema(),
      maxBodyBytes: 10_000,
      exposeSqlCount: false,
      production: true,
      routes: [
        async (_req, _res, url) => {
          if (url.pathname !== '/boom') return false;
          throw new TypeError("Cannot read properties of undefined (reading 'id')");
        },
      ],
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await fetch(`${base}/boom`, { headers: { 'x-request-id': 'req-42' } });
      expect(r.status).toBe(500);
      const body = await r.json();
      expect(body.errors[0]).toMatchObject({
        message: 'Internal server error (request id req-42)',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' },
      });
      expect(JSON.stringify(body)).not.toMatch(/reading 'id'/);
      expect(lines.some((l) => l.requestId === 'req-42' && String((l.err as Error)?.message).includes("reading 'id'"))).toBe(true);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      spy.mockRestore();
      server.close();
      await apollo.stop();
    }
  });
});

describe('answers as the API runs them (its own process, tsx)', () => {
  it('auditLog serialises its ids (they are bigints, which GraphQL ID cannot hold as such)', async () => {
    await t.gql(`mutation { logIncident(input: { title: "Audited" }) { id } }`);
    const token = await t.tokenFor('test-admin@example.test');
    const r = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ auditLog(first: 1) { id operation } }' }),
    });
    const body = await r.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.auditLog[0]).toMatchObject({ id: expect.stringMatching(/^\d+$/), operation: 'logIncident' });
  });
});

describe('malformed credentials', () => {
  it('a session cookie that is not percent-encoding is no session (found by fuzz-http: it was a 500)', async () => {
    const r = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'ikb_session=%E0%A4%A' },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(r.status).toBe(200);
    expect((await r.json()).data.me.role).toBeNull();
  });
});

describe('cross-origin access', () => {
  const preflight = (url: string, origin: string) =>
    fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-csrf-token' },
    });
  const post = (url: string, headers: Record<string, string>) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ me { csrfToken } }' }),
    });

  it('is off by default: no Origin reflected, with or without credentials; a cookie-bearing cross-origin request is refused', async () => {
    for (const origin of ['http://127.0.0.1:3001', 'http://evil.example', 'null']) {
      const pre = await preflight(t.app.url, origin);
      expect(pre.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
      expect(pre.status).toBe(403);
      const withCookie = await post(t.app.url, { origin, cookie: 'ikb_session=whatever' });
      expect(withCookie.headers.get('access-control-allow-origin')).toBeNull();
      expect(withCookie.status).toBe(403);
      expect((await withCookie.json()).errors[0].message).toMatch(/Cross-origin requests from .* are not allowed .*CORS_ORIGINS/);
      // Without a cookie (say a script with an API token) the answer is given but not shared with the page.
      const plain = await post(t.app.url, { origin });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('a page of the API host itself is same-origin, not refused', async () => {
    const origin = new URL(t.app.url).origin;
    const r = await post(t.app.url, { origin, cookie: 'ikb_session=whatever' });
    expect(r.status).toBe(200);
  });

  it('CORS_ORIGINS lists the origins that may call with credentials; any other is refused', async () => {
    const app = await startApp({ databaseUrl: t.app.databaseUrl, port: 0, corsOrigins: ['https://incidents.example.com'] });
    extra.push(app);
    const ok = await preflight(app.url, 'https://incidents.example.com');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://incidents.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')).toContain('x-csrf-token');
    expect(ok.headers.get('vary')).toContain('Origin');
    const answer = await post(app.url, { origin: 'https://incidents.example.com', cookie: 'ikb_session=x' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://incidents.example.com');
    for (const other of ['https://evil.example.com', 'https://incidents.example.com.evil.net', 'http://incidents.example.com']) {
      const no = await preflight(app.url, other);
      expect(no.status, other).toBe(403);
      expect(no.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
