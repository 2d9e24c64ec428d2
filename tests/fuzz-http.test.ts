import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { rawRequest } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Malformed raw HTTP (request lines, headers, chunked bodies, bodies) sent
 * to the API as deployed (its own process) for a bounded time: no answer is a 5xx, and the process
 * is up and serving afterwards. FUZZ_HTTP_MS (default 8000) sets the time; FUZZ_SEED fixes the seed.
 */

const TIME_MS = Number(process.env.FUZZ_HTTP_MS ?? 8000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let t: TestApp;
let api: ApiProcess;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  token = await t.tokenFor('test-admin@example.test');
  api = await startApiProcess(t.app.databaseUrl);
});
afterAll(async () => {
  api?.child.kill('SIGTERM');
  await api?.exited;
  await t?.close();
});

// ---- generators ---------------------------------------------------------------------------------

const HOSTILE = [
  '/',
  '[',
  ']',
  '%',
  '%%',
  '%zz',
  '%00',
  '@',
  ':',
  '::',
  '?',
  '#',
  '\\',
  '..',
  '//',
  '~',
  '*',
  "'",
  '"',
  '<',
  '>',
  '{',
  '}',
  '|',
  '^',
  '`',
  '\u00e9',
  '\u202e',
  ' ',
  '\t',
];
const piece = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.stringMatching(/^[a-z0-9._-]{0,6}$/),
  fc.constantFrom('graphql', 'ingest', 'alerts', 'healthz', 'readyz', 'export/', 'volume.csv', '99999', '[::1', 'a:b@'),
);
// Mostly well-formed at the HTTP level with one part off, so that requests get past the parser into
// the server's own code; now and then broken outright.
const target = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '/graphql',
      '/graphql',
      '/graphql?query={me{role}}',
      '/graphql?query={&variables=%7B',
      '/ingest/alerts',
      '/hooks/github/00000000-0000-4000-8000-000000000000',
      '/hooks/jira/not-a-connection',
      '/export/volume.csv?range=90d',
      '/export/knowledge-health.csv?kind=%00',
      '/export/sla-by-service?tz=%E0%A4%A&from=2026-02-30',
      '/healthz',
      '/readyz',
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom('*', 'http://[', '//[', '//%', '//a:b@:99999', '//a:b@[::1', '/graphql#x', '/%2e%2e/graphql') },
  { weight: 2, arbitrary: fc.array(piece, { maxLength: 12 }).map((parts) => `/${parts.join('')}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
);
const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'HEAD', 'PATCH') },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'CONNECT', 'PRI', 'M-SEARCH') },
  { weight: 1, arbitrary: fc.oneof(fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,10}$/), fc.string({ maxLength: 8 })) },
);
const version = fc.oneof(
  { weight: 9, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/0.9', 'HTTP/2.0', 'HTTP/1.x', 'HTTP/9.9', '', 'http/1.1') },
);

const headerName = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'content-type',
      'content-length',
      'transfer-encoding',
      'authorization',
      'cookie',
      'origin',
      'x-request-id',
      'x-csrf-token',
      'x-forwarded-for',
      'x-ikb-client-address',
      'x-ikb-proxy-secret',
      'connection',
      'expect',
      'host',
      'accept',
    ),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 12 }) },
);
const headerValue = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'application/json',
      'application/graphql-response+json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'chunked',
      'gzip, chunked',
      '-1',
      '99999999999999999999',
      '0',
      'close',
      '100-continue',
      'Bearer ',
      'Bearer \u0000',
      'ikb_session=%E0%A4%A',
      'ikb_session=abc; ikb_session=def',
      `Bearer ${'x'.repeat(300)}`,
      'null',
      'http://evil.example',
      '::1',
      '300.1.1.1, 10.0.0.1',
      'application/json; charset=utf-16',
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 60 }) },
);
const headerLine = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(headerName, headerValue).map(([n, v]) => `${n}: ${v}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) }, // no colon, odd bytes
  { weight: 1, arbitrary: fc.constant(`x-long: ${'a'.repeat(20_000)}`) },
);

const jsonish = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.constantFrom(
    '{"query":"{ me { role } }"}',
    '{"query":"mutation { signIn(input: {email: \\"a@b.c\\", password: \\"x\\"}) { role } }"}',
    '{"query":',
    '{"query":"{',
    '[]',
    'null',
    '{"alerts":[{}]}',
    '\u0000\u0000',
    '{"query":"query($a: DateTime){ __typename }","variables":{"a":"99999-01-01"}}',
  ),
  fc.integer({ min: 1, max: 6000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** A body framed by Content-Length (right, wrong or missing) or by chunks (valid, truncated, bad sizes). */
const framed = fc.oneof(
  { weight: 4, arbitrary: jsonish.map((b) => ({ headers: [`content-length: ${Buffer.byteLength(b)}`], body: b })) },
  fc
    .tuple(jsonish, fc.integer({ min: -5, max: 5 }))
    .map(([b, d]) => ({ headers: [`content-length: ${Buffer.byteLength(b) + d}`], body: b })),
  fc
    .tuple(
      jsonish,
      fc.array(fc.constantFrom('ok', 'truncated', 'badsize', 'hugesize', 'ext', 'nolastchunk', 'trailer'), { minLength: 1, maxLength: 3 }),
    )
    .map(([b, modes]) => {
      let out = '';
      for (const mode of modes) {
        if (mode === 'badsize') out += `zz\r\n${b}\r\n`;
        else if (mode === 'hugesize') out += `fffffffffffffffffff\r\n${b}\r\n`;
        else if (mode === 'ext') out += `${Buffer.byteLength(b).toString(16)};name=value\r\n${b}\r\n`;
        else if (mode === 'truncated') out += `${(Buffer.byteLength(b) + 10).toString(16)}\r\n${b}`;
        else out += `${Buffer.byteLength(b).toString(16)}\r\n${b}\r\n`;
      }
      if (!modes.includes('nolastchunk')) out += modes.includes('trailer') ? '0\r\nx-trailer: yes\r\n\r\n' : '0\r\n\r\n';
      return { headers: ['transfer-encoding: chunked'], body: out };
    }),
  fc.constant({ headers: ['content-length: 5', 'transfer-encoding: chunked'], body: '0\r\n\r\n' }),
  fc.constant({ headers: ['content-length: 5', 'content-length: 6'], body: 'hello!' }),
  fc.constant({ headers: [] as string[], body: '' }),
);

/** A request Node's parser accepts, carrying hostile values: it reaches the server's own code. */
const safeValue = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json',
      'application/graphql-response+json',
      'text/plain',
      'Bearer ',
      'ikb_session=%E0%A4%A',
      'ikb_session=abc; ikb_session=def',
      'null',
      'http://evil.example',
      '::1',
      '300.1.1.1, 10.0.0.1',
      'application/json; charset=utf-16',
      `Bearer ${'x'.repeat(300)}`,
    ),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,60}$/) },
);
const safeName = fc.constantFrom(
  'content-type',
  'authorization',
  'cookie',
  'origin',
  'x-request-id',
  'x-csrf-token',
  'x-forwarded-for',
  'x-ikb-client-address',
  'x-ikb-proxy-secret',
  'accept',
  'user-agent',
  'apollo-require-preflight',
);
const wellFormed = fc.record({
  method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'),
  target,
  headers: fc.array(
    fc.tuple(safeName, safeValue).map(([n, v]) => `${n}: ${v}`),
    { maxLength: 4 },
  ),
  body: jsonish,
  chunked: fc.boolean(),
});

const request = fc
  .record({
    kind: fc.oneof(
      { weight: 5, arbitrary: fc.constant('well-formed' as const) },
      { weight: 2, arbitrary: fc.constant('one-bad-header' as const) },
      { weight: 1, arbitrary: fc.constant('bad-framing' as const) },
      { weight: 2, arbitrary: fc.constant('anything' as const) },
    ),
    base: wellFormed,
    badHeader: headerLine,
    any: fc.record({
      method,
      target,
      version,
      headers: fc.array(headerLine, { maxLength: 5 }),
      framed,
      lineEnd: fc.oneof({ weight: 4, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r') }),
    }),
    auth: fc.constantFrom('none', 'token', 'bad-token'),
    json: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    close: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  })
  .map((r) => {
    const extra: string[] = [];
    if (r.json) extra.push('content-type: application/json');
    if (r.auth === 'token') extra.push(`authorization: Bearer ${token}`);
    if (r.auth === 'bad-token') extra.push('authorization: Bearer ikb_not_a_real_token');
    if (r.close) extra.push('connection: close');
    if (r.kind === 'anything') {
      const a = r.any;
      const lines = [`${a.method} ${a.target} ${a.version}`.trimEnd(), 'host: localhost', ...a.headers, ...a.framed.headers, ...extra];
      return Buffer.from(`${lines.join(a.lineEnd)}${a.lineEnd}${a.lineEnd}${a.framed.body}`, 'utf8');
    }
    const b = r.base;
    const framing =
      r.kind === 'bad-framing'
        ? r.any.framed
        : b.chunked
          ? { headers: ['transfer-encoding: chunked'], body: `${Buffer.byteLength(b.body).toString(16)}\r\n${b.body}\r\n0\r\n\r\n` }
          : { headers: [`content-length: ${Buffer.byteLength(b.body)}`], body: b.body };
    const lines = [
      // oxlint-disable-next-line no-control-regex -- control characters are what it looks for
      `${b.method} ${b.target.replace(/[\s\x00-\x1f\x7f-\uffff]/g, '')} HTTP/1.1`,
      'host: localhost',
      ...b.headers,
      ...(r.kind === 'one-bad-header' ? [r.badHeader] : []),
      ...framing.headers,
      ...extra,
    ];
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${framing.body}`, 'utf8');
  });

// ---- the property -------------------------------------------------------------------------------

describe('fuzz: malformed raw HTTP to the API process', () => {
  it(`never answers 5xx and never ends the process (${TIME_MS} ms of generated requests)`, async () => {
    const seen = new Map<number, number>();
    let sent = 0;
    let reachedServer = 0;
    await fc.assert(
      fc.asyncProperty(request, async (bytes) => {
        const answer = await rawRequest(api.url, bytes, 300, { stopAfterAnswers: 1 });
        sent++;
        for (const s of answer.statuses) seen.set(s, (seen.get(s) ?? 0) + 1);
        // Past the HTTP parser: answered by the server's own code (it names a request id).
        if (answer.text.includes('x-request-id')) reachedServer++;
        const bad = answer.statuses.filter((s) => s >= 500);
        if (bad.length)
          throw new Error(
            `HTTP ${bad.join(', ')} for ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}:\n${answer.text.slice(0, 600)}`,
          );
        if (api.child.exitCode !== null)
          throw new Error(
            `the API exited (${api.child.exitCode}) after ` +
              `${JSON.stringify(bytes.toString('latin1').slice(0, 300))}\n${api.lines.slice(-20).join('\n')}`,
          );
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: TIME_MS, markInterruptAsFailure: false, seed: SEED, endOnFailure: true },
    );
    console.log(
      `fuzz-http: ${sent} requests, ${reachedServer} answered by the server's code; statuses ` +
        `${JSON.stringify(Object.fromEntries([...seen].sort()))}`,
    );
    expect(sent).toBeGreaterThan(50);
    // Most requests must get past the HTTP parser, or the fuzzing tests only Node's parser.
    expect(reachedServer).toBeGreaterThan(sent / 3);
    expect(api.child.exitCode).toBeNull();
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const r = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect((await r.json()).data.me.role).toBe('ADMIN');
  }, 120_000);
});
