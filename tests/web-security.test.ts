import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import { AuthService } from '@ikb/api/src/features/auth/auth.service';
import { ensureWebBuild, startFakeApi, startWeb, type FakeApi, type WebServer } from './support/browser';
import { ok, startTestApp, type TestApp } from './support/test-app';
import { webSessionCookie } from './support/web-session';
import { rawRequest } from './support/raw-http';

/**
 * The web app's own server over HTTP: no redirect or link leaves the site,
 * every answer carries the security headers, the /graphql proxy limits bodies and passes the API's
 * rate-limit answer through, route handlers answer 404 for ids that do not exist, the browser's own
 * address reaches the API (and only with the shared secret), and malformed requests do not hurt it.
 * The API is either the real one (sign-in, reviews, workarounds) or a stand-in that records what
 * the web server sends it.
 */

/** Targets after sign-in that must never take the browser to another origin. */
const HOSTILE_PATHS = [
  '/\t/evil.example/landing',
  '/\n/evil.example/landing',
  '/\r/evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/\\/evil.example',
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/.//evil.example',
  '/./\\evil.example',
  '/..//evil.example',
  '/../\\evil.example',
  '/%2e//evil.example',
  '/\u0000/evil.example',
  '/\u000b/evil.example',
  '/\u000c/evil.example',
  '/\u007f/evil.example',
  '/\u2028/evil.example',
  '\u3000//evil.example',
  'https://evil.example',
  'HTTPS://evil.example',
  'https:evil.example',
  'https:/evil.example',
  'http:\\\\evil.example',
  '//evil.example@localhost',
  '/@evil.example',
  'evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox',
  '',
  '/',
];

/** Same-site targets that must survive untouched (or normalised to the same place). */
const GOOD_PATHS = [
  '/incidents?status=NEW&sort=priority',
  '/incidents/INC-000123',
  '/reviews/abc#timeline',
  '/search?q=%2F%2Fevil',
  '/%5Cnot-a-host',
  '/a//b',
];

describe('safe paths (apps/web/lib/safe-path.ts)', () => {
  const base = new URL('http://localhost:3000/sign-in');

  it('never yields a target on another origin, after the browser normalises it', async () => {
    const { safePath } = await import('../apps/web/lib/safe-path');
    const encoded = HOSTILE_PATHS.flatMap((p) => [p, encodeURI(p), p.replace(/\\/g, '%5C')]);
    for (const input of [...HOSTILE_PATHS, ...encoded]) {
      const out = safePath(input);
      if (out === null) continue;
      expect(out.startsWith('/') && !out.startsWith('//') && !out.startsWith('/\\'), JSON.stringify(input)).toBe(true);
      // oxlint-disable-next-line no-control-regex -- control characters are what it looks for
      expect(/[\u0000-\u001f\u007f\\]/.test(out), JSON.stringify(input)).toBe(false);
      // The browser resolves the target against the page: it must stay on this origin, also when resolved twice.
      const once = new URL(out, base);
      expect(once.origin, JSON.stringify(input)).toBe(base.origin);
      expect(new URL(once.pathname + once.search + once.hash, base).origin, JSON.stringify(input)).toBe(base.origin);
    }
    expect(safePath(undefined)).toBeNull();
    expect(safePath(['/a', '/b'])).toBeNull();
    expect(safePath('/x'.repeat(5000))).toBeNull();
  });

  it('keeps same-site paths with their query and fragment', async () => {
    const { safePath } = await import('../apps/web/lib/safe-path');
    for (const p of GOOD_PATHS) expect(new URL(safePath(p) ?? 'null:', base).href).toBe(new URL(p, base).href);
  });

  it('lets Markdown links be same-site paths, http(s) or mailto, and nothing else', async () => {
    const { safeHref } = await import('../apps/web/lib/safe-path');
    for (const input of HOSTILE_PATHS.filter((p) => !/^https?:\/\//i.test(p))) {
      const out = safeHref(input);
      if (out !== null) expect(new URL(out, base).origin, JSON.stringify(input)).toBe(base.origin);
    }
    expect(safeHref('https://status.example.com/incidents?id=7')).toBe('https://status.example.com/incidents?id=7');
    expect(safeHref('mailto:oncall@example.com')).toBe('mailto:oncall@example.com');
    expect(safeHref('/workarounds/abc')).toBe('/workarounds/abc');
    for (const bad of [
      'javascript:alert(1)',
      'https:\\\\evil.example',
      'https:evil.example',
      'data:text/html,x',
      'mailto:a@b\nbcc:c@d',
      'ftp://x',
    ]) {
      expect(safeHref(bad), bad).toBeNull();
    }
  });
});

describe('client address (apps/web/server/client-address.mjs)', () => {
  it('is the socket address unless that is a trusted proxy, then the right-most untrusted X-Forwarded-For hop', async () => {
    const { clientAddress, parseTrustedProxies } = await import('../apps/web/server/client-address.mjs');
    const none = parseTrustedProxies('');
    const lb = parseTrustedProxies(' 127.0.0.1, 10.0.0.0/8 ,2001:db8::/32');
    expect(clientAddress('::ffff:203.0.113.5', '198.51.100.1', none)).toBe('203.0.113.5');
    expect(clientAddress('127.0.0.1', '198.51.100.1', none)).toBe('127.0.0.1');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.1', lb)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.1, 10.1.2.3', lb)).toBe('198.51.100.1');
    expect(clientAddress('2001:db8::7', '2001:db8::8, 10.9.9.9', lb)).toBe('2001:db8::8');
    expect(clientAddress('127.0.0.1', '[2001:db9::1]:443', lb)).toBe('2001:db9::1');
    expect(clientAddress('127.0.0.1', '198.51.100.1:5555', lb)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', '10.0.0.2, 10.0.0.1', lb)).toBe('10.0.0.2');
    expect(clientAddress('127.0.0.1', 'not-an-address', lb)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', 'unknown, 10.0.0.3', lb)).toBe('10.0.0.3');
    expect(clientAddress('127.0.0.1', undefined, lb)).toBe('127.0.0.1');
    expect(clientAddress(undefined, undefined, lb)).toBe('0.0.0.0');
    expect(() => parseTrustedProxies('10.0.0.0/99')).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies('example.com')).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('web server over HTTP', () => {
  let api: TestApp;
  let fake: FakeApi;
  /** Against the real API, without a proxy secret. */
  let web: WebServer;
  /** Against the stand-in, sharing a proxy secret with it. */
  let webFake: WebServer;
  /** Behind a trusted load balancer (127.0.0.1), with a small body limit. */
  let webBehindLb: WebServer;
  let session: string;
  let defaultAnswer: FakeApi['answer'];
  const SECRET = 'web-security-test-secret-0123456789abcdef';
  const password = 'Sign-In-Redirects-Stay-Home-42';

  const signInCookie = (base: string, email: string) => webSessionCookie(base, email, password);

  beforeAll(async () => {
    await ensureWebBuild();
    api = await startTestApp();
    ok(
      await api.gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, {
        i: { email: 'web.security@example.test', name: 'Web Security', role: 'ADMIN', password },
      }),
    );
    fake = await startFakeApi();
    defaultAnswer = fake.answer;
    web = await startWeb(api.app.graphqlUrl);
    webFake = await startWeb(fake.graphqlUrl, { proxySecret: SECRET });
    webBehindLb = await startWeb(fake.graphqlUrl, {
      proxySecret: SECRET,
      env: { TRUSTED_PROXIES: '127.0.0.1, ::1, 203.0.113.0/24', MAX_BODY_BYTES: '4096' },
    });
    session = await signInCookie(web.url, 'web.security@example.test');
  }, 300_000);

  afterAll(async () => {
    await Promise.all([web?.close(), webFake?.close(), webBehindLb?.close()]);
    await fake?.close();
    await api?.close();
  }, 60_000);

  describe('open redirects', () => {
    it('sends a signed-in browser only to same-site paths from /sign-in?next=', async () => {
      const base = new URL(web.url);
      const leaks: string[] = [];
      for (const next of HOSTILE_PATHS) {
        const res = await fetch(`${web.url}/sign-in?next=${encodeURIComponent(next)}`, {
          headers: { cookie: session },
          redirect: 'manual',
        });
        expect(res.status, JSON.stringify(next)).toBeGreaterThanOrEqual(300);
        expect(res.status, JSON.stringify(next)).toBeLessThan(400);
        const location = res.headers.get('location') ?? '';
        // What the browser does with the Location: resolve it against the page, stripping tabs and newlines.
        if (new URL(location, base).origin !== base.origin) leaks.push(`${JSON.stringify(next)} -> ${JSON.stringify(location)}`);
      }
      expect(leaks).toEqual([]);
      const good = await fetch(`${web.url}/sign-in?next=${encodeURIComponent('/incidents?status=NEW')}`, {
        headers: { cookie: session },
        redirect: 'manual',
      });
      expect(new URL(good.headers.get('location')!, base).pathname + new URL(good.headers.get('location')!, base).search).toBe(
        '/incidents?status=NEW',
      );
    });

    it('renders no Markdown link in workaround steps that leaves the site', async () => {
      const steps = [
        '[backslash](/\\evil.example/phish)',
        '[encoded](/%5Cevil.example/phish)',
        '[double](//evil.example/phish)',
        '[dot](/.//evil.example/phish)',
        '[scheme](https:evil.example/phish)',
        '[script](javascript:alert(1))',
        '[ok](/incidents)',
      ].join(' then ');
      const w = ok(
        await api.gql<{ createWorkaround: { id: string } }>(`mutation($i: CreateWorkaroundInput!) { createWorkaround(input: $i) { id } }`, {
          i: { title: 'Links that try to leave', steps },
        }),
      ).createWorkaround;
      const res = await fetch(`${web.url}/workarounds/${w.id}`, { headers: { cookie: session } });
      expect(res.status).toBe(200);
      const html = await res.text();
      const base = new URL(web.url);
      const hrefs = [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => decodeHtml(m[1]!));
      expect(hrefs).toContain('/incidents');
      const leaving = hrefs.filter((h) => new URL(h, base).origin !== base.origin);
      expect(leaving).toEqual([]);
    });
  });

  describe('security headers', () => {
    function expectSecurityHeaders(res: Response, what: string) {
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of [
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "connect-src 'self'",
        "default-src 'self'",
      ]) {
        expect(csp, `${what}: ${directive}`).toContain(directive);
      }
      expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/_-]{16,}={0,2}' 'strict-dynamic'/);
      expect(csp, `${what}: no unsafe script source`).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(res.headers.get('x-frame-options'), what).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-powered-by'), what).toBeNull();
    }

    it('come with pages, redirects, the GraphQL proxy, route handlers, static files and 404s', async () => {
      const page = await fetch(`${web.url}/`, { headers: { cookie: session } });
      expect(page.status).toBe(200);
      expectSecurityHeaders(page, 'page');
      const html = await page.text();
      const nonce = /'nonce-([^']+)'/.exec(page.headers.get('content-security-policy')!)![1]!;
      // Every script Next writes into the page carries this response's nonce.
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
      const again = await fetch(`${web.url}/`, { headers: { cookie: session } });
      expect(/'nonce-([^']+)'/.exec(again.headers.get('content-security-policy')!)![1]).not.toBe(nonce);

      const chunk = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)![1]!;
      const stat = await fetch(`${web.url}${chunk}`);
      expect(stat.status).toBe(200);
      expectSecurityHeaders(stat, 'static file');

      expectSecurityHeaders(await fetch(`${web.url}/incidents`, { redirect: 'manual' }), 'redirect to sign-in');
      expectSecurityHeaders(await fetch(`${web.url}/sign-in`), 'sign-in page');
      expectSecurityHeaders(
        await fetch(`${web.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ me { role } }"}',
        }),
        'GraphQL proxy',
      );
      expectSecurityHeaders(await fetch(`${web.url}/reviews/${randomUUID()}/export`, { headers: { cookie: session } }), 'route handler');
      expectSecurityHeaders(await fetch(`${web.url}/icon.svg`), 'icon');
      expectSecurityHeaders(await fetch(`${web.url}/no-such-page.png`), 'not found');
    });
  });

  describe('the /graphql proxy', () => {
    /** Requests with a big body that reached the API (pages' own `me` queries are small). */
    const count = () => fake.requests.filter((r) => r.body.length > 100_000).length;

    it('refuses bodies over 1 MB with 413 and a GraphQL error, without asking the API', async () => {
      const before = count();
      const big = JSON.stringify({ query: '{ me { role } }', variables: { pad: 'x'.repeat(1_100_000) } });
      const res = await fetch(`${webFake.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(res.status).toBe(413);
      expect((await res.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');

      // Chunked, so no Content-Length announces it: the size is found while reading.
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 3_000_000) return controller.close();
          sent += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        },
      });
      const chunked = await fetch(`${webFake.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit).catch((e: Error & { cause?: { code?: string } }) => e);
      // The server answers 413 and closes while the client still streams: the client may see its 413,
      // or (timing) only the cut connection (EPIPE / ECONNRESET). Either way it is refused, never forwarded.
      if (chunked instanceof Error) expect(chunked.cause?.code, String(chunked.cause)).toMatch(/^(EPIPE|ECONNRESET)$/);
      else {
        expect(chunked.status).toBe(413);
        expect((await chunked.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      }
      expect(count()).toBe(before);

      // A 20 MB body announced by Content-Length is refused from its head: with only 64 KB of it sent,
      // the answer comes (the server does not wait for the rest), and the server goes on answering.
      // Judged by what was sent, not by a clock, so a loaded machine cannot fail it.
      const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n`;
      const huge = await rawRequest(webFake.url, Buffer.concat([Buffer.from(head), Buffer.alloc(64 * 1024, 0x20)]), 30_000, {
        stopAfterAnswers: 1,
      });
      expect(huge.statuses, huge.text.slice(0, 300)).toEqual([413]);
      expect((await fetch(`${webFake.url}/sign-in`)).status).toBe(200);
      expect(count()).toBe(before);

      // Under the limit it goes through.
      const fine = await fetch(`${webFake.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { role } }', variables: { pad: 'x'.repeat(900_000) } }),
      });
      expect(fine.status).toBe(200);
      expect(count()).toBe(before + 1);
    });

    it('reads the limit from MAX_BODY_BYTES', async () => {
      const body = JSON.stringify({ query: '{ me { role } }', variables: { pad: 'x'.repeat(5000) } });
      const res = await fetch(`${webBehindLb.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(413);
      expect((await res.json()).errors[0].message).toMatch(/4096 bytes/);
    });

    it("passes the API's Retry-After and WWW-Authenticate through", async () => {
      fake.answer = () => ({
        status: 429,
        headers: { 'retry-after': '17', 'www-authenticate': 'Bearer', 'x-internal': 'no' },
        body: { errors: [{ message: 'Too many requests; retry in 17 s', extensions: { code: 'RATE_LIMITED' } }] },
      });
      try {
        const res = await fetch(`${webFake.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ me { role } }"}',
        });
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe('17');
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(res.headers.get('x-internal')).toBeNull();
        expect((await res.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
      } finally {
        fake.answer = defaultAnswer;
      }
    });

    it('answers 502 only when the API cannot be reached', async () => {
      fake.answer = () => ({ destroy: true });
      try {
        const res = await fetch(`${webFake.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ me { role } }"}',
        });
        expect(res.status).toBe(502);
        expect((await res.json()).errors[0].extensions.code).toBe('API_UNREACHABLE');
      } finally {
        fake.answer = defaultAnswer;
      }
    });
  });

  describe('route handlers', () => {
    it('answer 404 for a malformed or unknown review id, and send a signed-out browser to sign in', async () => {
      const malformed = await fetch(`${web.url}/reviews/not-a-uuid/export`, { headers: { cookie: session }, redirect: 'manual' });
      expect(malformed.status).toBe(404);
      const unknown = await fetch(`${web.url}/reviews/${randomUUID()}/export`, { headers: { cookie: session }, redirect: 'manual' });
      expect(unknown.status).toBe(404);
      const signedOut = await fetch(`${web.url}/reviews/${randomUUID()}/export`, {
        headers: { cookie: 'ikb_session=expired' },
        redirect: 'manual',
      });
      expect(signedOut.status).toBeGreaterThanOrEqual(300);
      expect(signedOut.status).toBeLessThan(400);
      expect(new URL(signedOut.headers.get('location')!, web.url).pathname).toBe('/sign-in');
    });

    it('and detail pages show the not-found page for a malformed or unknown id, not an error', async () => {
      // Pages stream (app/(app)/loading.tsx), so their status is sent before the id is looked up:
      // Next marks the answer noindex and renders app/not-found.tsx.
      for (const path of [
        '/workarounds/not-a-uuid',
        `/workarounds/${randomUUID()}`,
        '/reviews/not-a-uuid',
        '/models/%00',
        '/incidents/INC-999999',
        '/problems/not-a-number',
      ]) {
        const res = await fetch(`${web.url}${path}`, { headers: { cookie: session }, redirect: 'manual' });
        const html = await res.text();
        expect(html, path).toContain('Nothing lives at this address');
        expect(html, path).not.toContain('could not be loaded');
      }
    });

    it('answer 502 when the API is unreachable, 503 when it is unavailable', async () => {
      fake.answer = (r) => (r.operation === 'ReviewMarkdown' ? { destroy: true } : defaultAnswer(r));
      try {
        expect(
          (await fetch(`${webFake.url}/reviews/${randomUUID()}/export`, { headers: { cookie: 'ikb_session=x' }, redirect: 'manual' }))
            .status,
        ).toBe(502);
        fake.answer = (r) =>
          r.operation === 'ReviewMarkdown'
            ? {
                status: 503,
                headers: { 'retry-after': '1' },
                body: { errors: [{ message: 'database down', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
              }
            : defaultAnswer(r);
        expect(
          (await fetch(`${webFake.url}/reviews/${randomUUID()}/export`, { headers: { cookie: 'ikb_session=x' }, redirect: 'manual' }))
            .status,
        ).toBe(503);
      } finally {
        fake.answer = defaultAnswer;
      }
    });
  });

  describe("the browser's address", () => {
    const spoof = { 'x-ikb-client-address': '6.6.6.6', 'x-ikb-proxy-secret': 'guessed', 'x-forwarded-for': '7.7.7.7' };

    it('reaches the API with the shared secret from the proxy, pages and route handlers, never as the browser claims', async () => {
      fake.requests.length = 0;
      await fetch(`${webFake.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spoof },
        body: '{"query":"{ me { role } }"}',
      });
      await fetch(`${webFake.url}/sign-in`, { headers: spoof });
      await fetch(`${webFake.url}/reviews/${randomUUID()}/export`, { headers: { ...spoof, cookie: 'ikb_session=x' }, redirect: 'manual' });
      expect(fake.requests.map((r) => r.operation)).toEqual(expect.arrayContaining([null, 'Me', 'ReviewMarkdown']));
      for (const r of fake.requests) {
        expect(r.headers['x-ikb-client-address'], r.operation ?? r.path).toBe('127.0.0.1');
        expect(r.headers['x-ikb-proxy-secret'], r.operation ?? r.path).toBe(SECRET);
      }
    });

    it('is not sent at all when the web app has no PROXY_SECRET', async () => {
      const noSecret = await startWeb(fake.graphqlUrl);
      try {
        fake.requests.length = 0;
        await fetch(`${noSecret.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...spoof },
          body: '{"query":"{ me { role } }"}',
        });
        await fetch(`${noSecret.url}/sign-in`, { headers: spoof });
      } finally {
        await noSecret.close();
      }
      expect(fake.requests.length).toBeGreaterThanOrEqual(2);
      for (const r of fake.requests) {
        expect(r.headers['x-ikb-client-address'], r.operation ?? r.path).toBeUndefined();
        expect(r.headers['x-ikb-proxy-secret'], r.operation ?? r.path).toBeUndefined();
      }
    });

    it('behind a trusted proxy is the right-most untrusted X-Forwarded-For hop', async () => {
      const cases: [string | undefined, string][] = [
        ['198.51.100.7', '198.51.100.7'],
        ['6.6.6.6, 198.51.100.7, 203.0.113.9', '198.51.100.7'],
        ['203.0.113.9', '203.0.113.9'],
        ['2001:db8::42', '2001:db8::42'],
        ['bogus', '127.0.0.1'],
        [undefined, '127.0.0.1'],
      ];
      for (const [xff, expected] of cases) {
        fake.requests.length = 0;
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-ikb-client-address': '6.6.6.6' };
        if (xff) headers['x-forwarded-for'] = xff;
        await fetch(`${webBehindLb.url}/graphql`, { method: 'POST', headers, body: '{"query":"{ me { role } }"}' });
        expect(fake.requests[0]?.headers['x-ikb-client-address'], String(xff)).toBe(expected);
      }
    });
  });

  describe('rate limits per browser, end to end', () => {
    it("one browser's flood of anonymous requests does not rate-limit another browser's sign-in", async () => {
      // The API with its limit on and the web app's secret; the web app behind a trusted balancer
      // (127.0.0.1), so this test can be two browsers at two addresses.
      const secret = 'rate-limit-e2e-secret-0123456789';
      const limited = await startLimitedApi(secret);
      const lbWeb = await startWeb(limited.app.graphqlUrl, { proxySecret: secret, env: { TRUSTED_PROXIES: '127.0.0.1, ::1' } });
      try {
        const post = (from: string, body: unknown) =>
          fetch(`${lbWeb.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
            body: JSON.stringify(body),
          });
        let limitedAnswer: Response | undefined;
        for (let i = 0; i < 200 && !limitedAnswer; i++) {
          const r = await post('198.51.100.1', { query: '{ __typename }' });
          if (r.status === 429) limitedAnswer = r;
          else await r.arrayBuffer();
        }
        expect(limitedAnswer, 'the flooding browser is limited').toBeDefined();
        expect(Number(limitedAnswer!.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await limitedAnswer!.json()).errors[0].extensions.code).toBe('RATE_LIMITED');

        const signIn = await post('198.51.100.2', {
          query: 'mutation($i: SignInInput!) { signIn(input: $i) { user { id } } }',
          variables: { i: { email: 'limited@example.test', password } },
        });
        expect(signIn.status).toBe(200);
        expect((await signIn.json()).data.signIn.user.id).toBeTruthy();
      } finally {
        await lbWeb.close();
        await limited.close();
      }
    }, 120_000);
  });

  describe('malformed requests', () => {
    function raw(port: number, text: string | Buffer): Promise<string> {
      return new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let data = '';
        socket.on('data', (d) => (data += String(d)));
        socket.on('error', () => resolve(data));
        socket.on('close', () => resolve(data));
        socket.write(text);
        // A truncated body never ends by itself: hang up after a while.
        setTimeout(() => socket.end(), 1500);
        setTimeout(() => socket.destroy(), 4000);
      });
    }

    it('are refused without a 5xx, and the server goes on answering', async () => {
      const requests = [
        'GET //[ HTTP/1.1\r\nHost: localhost\r\n\r\n',
        'GET //% HTTP/1.1\r\nHost: localhost\r\n\r\n',
        'GET /%E0%A4%A HTTP/1.1\r\nHost: localhost\r\n\r\n',
        'GET /sign-in?next=%zz%00 HTTP/1.1\r\nHost: localhost\r\n\r\n',
        'GET * HTTP/1.1\r\nHost: localhost\r\n\r\n',
        'OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n',
        'GET http://evil.example/sign-in HTTP/1.1\r\nHost: localhost\r\n\r\n',
        'GET /sign-in HTTP/1.1\r\nHost: [\r\n\r\n',
        'GET / HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n',
        'GET / HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0000b\r\n\r\n',
        `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
        'GET /\u0000 HTTP/1.1\r\nHost: localhost\r\n\r\n',
        'GET / HTTP/9.9\r\nHost: localhost\r\n\r\n',
        'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a"',
        'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: ' +
          'chunked\r\n\r\nzz\r\n{"a"\r\n0\r\n\r\n',
        'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query"',
        'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ' +
          '5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n',
        Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]),
      ];
      const base = new URL(webFake.url);
      for (const r of requests) {
        const answer = await raw(webFake.port, r);
        const what = JSON.stringify(String(r).slice(0, 60));
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
        expect(status >= 500, `${what} answered ${answer.split('\r\n')[0]}`).toBe(false);
        const location = /\r\nlocation: ([^\r]*)/i.exec(answer)?.[1];
        if (location) expect(new URL(location, base).origin, `${what} redirected to ${location}`).toBe(base.origin);
        expect(webFake.alive(), `${what} stopped the server:\n${webFake.logs().slice(-2000)}`).toBe(true);
      }
      expect((await fetch(`${webFake.url}/sign-in`)).status).toBe(200);
    });
  });
});

/** An API with its rate limit on (80 a minute, bursts of 20) and PROXY_SECRET, on a database of its own. */
async function startLimitedApi(proxySecret: string): Promise<{ app: RunningApp; close(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  const dbName = `ikb_test_web_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (serverUrl) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(serverUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const app = await startApp({ databaseUrl, port: 0, seedDemo: false, rateLimitPerMinute: 80, proxySecret });
  await new AuthService(app.orm.em.fork()).createUserAccount({
    email: 'limited@example.test',
    name: 'Limited',
    role: 'VIEWER',
    password: 'Sign-In-Redirects-Stay-Home-42',
  });
  return {
    app,
    async close() {
      await app.close();
      if (serverUrl) {
        const admin = new Client({ connectionString: serverUrl });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
    },
  };
}

function decodeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}
