#!/usr/bin/env node
// The web app's HTTP server: Next.js's request handler (a documented custom server) behind a thin
// node:http layer doing what Next cannot do from inside:
// - the browser's address, from the socket or trusted proxies (server/client-address.mjs), put in
//   x-ikb-client-address for the app to pass to the API, over whatever the browser sent;
// - security headers and a per-request CSP nonce on every answer, static files included
//   (server/security-headers.mjs); Next reads the nonce from the request's CSP header;
// - a body over MAX_BODY_BYTES refused from its Content-Length before Next reads any of it;
// - request targets Next would trip on (`*`, absolute-form) answered or normalised here.
// Usage: node server.mjs [--dev] [--port N] [--hostname H]; WEB_PORT is the default port (3000).
// Environment: PROXY_SECRET, TRUSTED_PROXIES, MAX_BODY_BYTES, API_URL (see README).
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseMaxBodyBytes, payloadTooLarge } from './server/body-limit.mjs';
import { clientAddress, parseTrustedProxies } from './server/client-address.mjs';
import { CLIENT_ADDRESS_HEADER, SERVED_BY_OWN_SERVER } from './server/markers.mjs';
import { STATIC_SECURITY_HEADERS, contentSecurityPolicy, newNonce } from './server/security-headers.mjs';

const { values } = parseArgs({
  options: { dev: { type: 'boolean', default: false }, port: { type: 'string', short: 'p' }, hostname: { type: 'string', short: 'H' } },
});
const dev = values.dev;
const port = Number(values.port ?? process.env.WEB_PORT ?? 3000);
process.env.NEXT_TELEMETRY_DISABLED = '1';
// As `next start` / `next dev` do: the mode decides which build Next loads.
process.env.NODE_ENV = dev ? 'development' : 'production';

let config;
try {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`WEB_PORT must be a port number; got "${values.port ?? process.env.WEB_PORT}"`);
  const secret = process.env.PROXY_SECRET?.trim();
  if (secret && secret.length < 16) throw new Error('PROXY_SECRET must be at least 16 characters (e.g. `openssl rand -base64 32`)');
  config = {
    maxBodyBytes: parseMaxBodyBytes(process.env.MAX_BODY_BYTES),
    trustedProxies: parseTrustedProxies(process.env.TRUSTED_PROXIES),
  };
} catch (err) {
  console.error(`[web] ${err.message}`);
  process.exit(1);
}

/** Headers only a proxy in front may set; from anyone else they are dropped so Next fills its own. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip', 'forwarded'];

/** The path and query of a request target, or null for one Next cannot serve (`*`, garbage). */
function originForm(target) {
  if (typeof target !== 'string') return null;
  if (target.startsWith('/')) return target;
  // Absolute-form (`GET http://host/path`) is for proxies; serve its path here, never its host.
  if (/^https?:\/\//i.test(target)) {
    try {
      const u = new URL(target);
      return u.pathname + u.search;
    } catch {
      return null;
    }
  }
  return null;
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

const { default: next } = await import('next');
const app = next({ dev, dir: dirname(fileURLToPath(import.meta.url)), hostname: values.hostname ?? 'localhost', port });
const handle = app.getRequestHandler();
await app.prepare();
// lib/upstream.ts passes x-ikb-client-address to the API only when this server set it.
globalThis[SERVED_BY_OWN_SERVER] = true;

const server = createServer((req, res) => {
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.setHeader(name, value);
  const csp = contentSecurityPolicy(newNonce(), { dev });
  res.setHeader('content-security-policy', csp);
  req.headers['content-security-policy'] = csp;
  delete req.headers['content-security-policy-report-only'];

  const target = originForm(req.url);
  if (target === null) {
    if (req.method === 'OPTIONS' && req.url === '*') {
      res.writeHead(204, { allow: 'GET, HEAD, POST, OPTIONS', 'content-length': 0 });
      return res.end();
    }
    return sendJson(res, 400, { error: 'The request target must be a path' }, { connection: 'close' });
  }
  req.url = target;

  const peer = req.socket.remoteAddress;
  req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(peer, req.headers['x-forwarded-for'], config.trustedProxies);
  if (!config.trustedProxies.has(peer)) for (const name of FORWARDING_HEADERS) delete req.headers[name];

  const declared = Number(req.headers['content-length']);
  if (declared > config.maxBodyBytes) {
    // Answer at once and close, without reading the body: the client reads a 413, not a reset.
    res.on('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
    const body =
      target.split('?')[0] === '/graphql'
        ? payloadTooLarge(config.maxBodyBytes)
        : { error: `Request body larger than ${config.maxBodyBytes} bytes` };
    return sendJson(res, 413, body, { connection: 'close' });
  }

  handle(req, res).catch((err) => {
    console.error(`[web] ${req.method} ${req.url} failed:`, err);
    if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' });
    else res.destroy();
  });
});
// Sockets that die mid-request (a truncated body, a reset) must not take the process with them.
server.on('clientError', (err, socket) => {
  if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
  const status =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
});

server.on('error', (err) => {
  console.error(`[web] ${err.message}`);
  process.exit(1);
});
server.listen(port, values.hostname, () => {
  const { port: actual } = server.address();
  console.log(`▲ Next.js ${dev ? 'development' : 'production'} server (apps/web/server.mjs)`);
  console.log(`- Local:        http://localhost:${actual}`);
  console.log(`✓ Ready${config.trustedProxies.size ? ` (trusting X-Forwarded-For from ${process.env.TRUSTED_PROXIES.trim()})` : ''}`);
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  // Finish the requests in flight, refuse new ones, then let go of Next.
  server.close(() => {
    Promise.resolve(app.close?.())
      .catch(() => {})
      .finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => {
    console.error(`[web] ${signal}: requests still open after 10 s; stopping anyway`);
    process.exit(0);
  }, 10_000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
