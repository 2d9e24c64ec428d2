import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The status page's routes under generated hostile input (bodies, content types, e-mail addresses,
 * tokens, methods) for a bounded time: every answer is a 2xx, 304 or a 4xx JSON { error, field },
 * never a 5xx, and the routes still serve afterwards. FUZZ_STATUS_RUNS (default 300) sets the runs.
 */
const RUNS = Number(process.env.FUZZ_STATUS_RUNS ?? 300);

let t: TestApp;
let smtp: SmtpInbox;

beforeAll(async () => {
  smtp = await startSmtpInbox();
  t = await startTestApp({ notify: { smtpUrl: smtp.url } });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const nasty = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('', ' ', '\u0000', 'a@b.c\r\nBcc: x@y.z', '"><script>alert(1)</script>@x.io', 'a@b.example', '%00', '{"email":'),
);
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const body = fc.oneof(
  nasty,
  jsonValue.map((v) => JSON.stringify(v)),
  fc
    .record({ email: fc.oneof(nasty, jsonValue), serviceIds: fc.oneof(jsonValue, fc.array(fc.uuid())) }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
  fc.integer({ min: 1, max: 2000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.constant('x'.repeat(6000)),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  '',
  'APPLICATION/JSON',
);
const path = fc.constantFrom('/status.json', '/status/subscribe', '/status/confirm', '/status/unsubscribe');
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH');
const token = fc.oneof(
  nasty,
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,120}$/), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)).map(([a, b]) => `${a}.${b}`),
);

describe('status page routes under hostile input', () => {
  it('never answer 5xx; refusals are JSON naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(path, method, contentType, body, token, async (p, m, type, b, tok) => {
        const url = `${t.app.url}${p}?token=${encodeURIComponent(tok)}`;
        const sendsBody = m !== 'GET' && m !== 'HEAD';
        const res = await fetch(url, {
          method: m,
          headers: type && sendsBody ? { 'content-type': type } : {},
          body: sendsBody ? b : undefined,
        });
        const text = await res.text();
        expect(res.status, `${m} ${p} ${type} ${b.slice(0, 80)}`).toBeLessThan(500);
        if (res.status >= 400 && m !== 'HEAD') {
          const parsed = JSON.parse(text) as { error?: string; field?: string };
          expect(typeof parsed.error).toBe('string');
          expect(typeof parsed.field).toBe('string');
        }
      }),
      { numRuns: RUNS },
    );
    // Still serving, and nothing it accepted became a confirmed subscriber.
    expect((await fetch(`${t.app.url}/status.json`)).status).toBe(200);
    expect(await t.sql(`select 1 from status_subscribers where confirmed_at is not null`)).toEqual([]);
  }, 120_000);
});

describe('status page subscriptions under a flood', () => {
  it('answers 429 naming the field once an address has used its 10 requests a minute', async () => {
    const limited = await startTestApp({ rateLimitPerMinute: 600, notify: { smtpUrl: smtp.url } });
    try {
      const statuses: number[] = [];
      for (let n = 0; n < 12; n++) {
        const res = await fetch(`${limited.app.url}/status/subscribe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `flood${n}@example.test` }),
        });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(await res.json()).toMatchObject({ field: 'email' });
        } else await res.body?.cancel();
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(202));
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  }, 60_000);
});
