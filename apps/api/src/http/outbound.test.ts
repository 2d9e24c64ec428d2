import { createServer, type Server } from 'node:http';
import { createConnection, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addressGuard, createOutboundFetch, isOutboundRefusal } from './outbound';

describe('addressGuard', () => {
  const strict = addressGuard({ allowPrivate: [] });

  test.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:a00:5',
    '::ffff:127.0.0.1',
  ])('refuses %s by default', (address) => {
    expect(strict(address)).toMatch(/private or special-purpose address; set OUTBOUND_ALLOW_PRIVATE/);
  });

  test.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:808:808'])('lets %s through', (address) =>
    expect(strict(address)).toBeNull(),
  );

  test('an allow list opens exactly its ranges; * opens everything', () => {
    const some = addressGuard({ allowPrivate: ['10.20.0.0/16', '::1'] });
    expect(some('10.20.3.4')).toBeNull();
    expect(some('10.21.3.4')).not.toBeNull();
    expect(some('::1')).toBeNull();
    expect(some('127.0.0.1')).not.toBeNull();
    expect(addressGuard({ allowPrivate: ['*'] })('169.254.169.254')).toBeNull();
    expect(strict('not-an-address')).toMatch(/not an IP address/);
  });
});

describe('createOutboundFetch', () => {
  let server: Server;
  let base: string;
  let raw: ReturnType<typeof createTcpServer>;
  let rawPort: number;
  const open = createOutboundFetch({ allowPrivate: ['127.0.0.0/8'], maxResponseBytes: 1000 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/echo') return res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body }));
        if (req.url === '/redirect') return res.writeHead(302, { location: 'http://169.254.169.254/latest' }).end();
        if (req.url === '/empty') return res.writeHead(204).end();
        if (req.url === '/big') return res.end('x'.repeat(5000));
        if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000);
        res.writeHead(404).end('no');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A server that answers with a status line no Response can hold.
    raw = createTcpServer((s) => s.once('data', () => s.end('HTTP/1.1 999 Odd\r\ncontent-length: 0\r\n\r\n')));
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    rawPort = (raw.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await new Promise((r) => raw.close(r));
  });

  test('refuses a loopback address and a name resolving to one, without connecting', async () => {
    let connected = 0;
    server.on('connection', () => connected++);
    const strict = createOutboundFetch({ allowPrivate: [] });
    const port = (server.address() as AddressInfo).port;
    for (const url of [`http://127.0.0.1:${port}/echo`, `http://localhost:${port}/echo`, `http://[::ffff:7f00:1]:${port}/echo`]) {
      const err = await strict(url).catch((e: unknown) => e);
      expect(isOutboundRefusal(err), `${url}: ${String(err)}`).toBe(true);
    }
    expect(connected).toBe(0);
    await expect(strict('file:///etc/passwd')).rejects.toThrow(/file: addresses are not reached/);
  });

  test('sends bodies as fetch does and reads the answer', async () => {
    const form = await open(`${base}/echo`, { method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) });
    expect(await form.json()).toEqual({ method: 'POST', type: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'a=1&b=x+y' });
    const json = await open(`${base}/echo`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"ü":1}' });
    expect(await json.json()).toEqual({ method: 'PUT', type: 'application/json', body: '{"ü":1}' });
    expect((await open(`${base}/empty`)).status).toBe(204);
    expect((await open(`${base}/nope`)).status).toBe(404);
  });

  test('returns a redirect as it is instead of following it to a refused address', async () => {
    const res = await open(`${base}/redirect`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://169.254.169.254/latest');
  });

  test('fails an answer over the size limit, a timeout and an impossible status, without throwing past the caller', async () => {
    await expect(open(`${base}/big`)).rejects.toThrow(/longer than 1000 bytes/);
    const timedOut = await open(`${base}/slow`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe('TimeoutError');
    await expect(open(`http://127.0.0.1:${rawPort}/`)).rejects.toThrow(/status 999/);
    // The raw server is still there: nothing above took the process down.
    await new Promise<void>((resolve, reject) => createConnection(rawPort, '127.0.0.1', resolve).on('error', reject).end());
  });
});
