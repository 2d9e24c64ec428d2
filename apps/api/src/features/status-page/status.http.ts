// The public status page's HTTP routes (no session; http/server.ts tries them for paths other than
// /graphql):
//   GET|HEAD /status.json            the page's document (cacheable 30 s, ETag, 304)
//   POST     /status/subscribe       { email, serviceIds? } as JSON or a form; 202 whatever the address
//   GET      /status/confirm?token=  confirms a subscription (double opt-in)
//   GET|POST /status/unsubscribe?token=  removes it (POST: the token in the query or the body)
// Every refusal is a 4xx JSON { error, field } naming what was wrong; hostile bodies never reach SQL.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectionSource } from '../../db/internals';
import { isDatabaseUnavailable } from '../../errors';
import { RateLimiter, type Limiter } from '../../http/rate-limit';
import { SharedRateLimiter } from '../../http/shared-rate-limit';
import { sendJson, sendText } from '../../http/respond';
import { mailConfigured } from '../notifications/mail.outbox';
import { readStatus } from './status-read';
import { confirm, StatusInputError, subscribe, unsubscribe } from './status-subscriptions';
import { isUuid } from '../../ids';

export const STATUS_BODY_LIMIT = 4096;
const CACHE = 'public, max-age=30, s-maxage=30';
// A practical address: no spaces, quotes, angle brackets, commas or control characters (none can
// reach a header), one @, a domain with a dot.
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-]{1,64}@${LABEL}(?:\\.${LABEL})+$`);

export interface StatusRouteOptions {
  source: ConnectionSource;
  /** Subscription requests a minute per client address (0: no limit, as tests run). */
  subscribePerMinute?: number;
  /** Counted across every instance on the database (a PostgreSQL server), as the API's own limits. */
  sharedLimits?: boolean;
  /** The caller's address as the API's limits see it (trusted proxies, the web app's PROXY_SECRET). */
  clientAddress?: (req: IncomingMessage) => string;
  now?: () => number;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, body: () => Promise<string>) => Promise<boolean>;

const refuse = (res: ServerResponse, status: number, field: string, error: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { error, field }, { 'cache-control': 'no-store', ...headers });

export function statusRoutes(opts: StatusRouteOptions): Route {
  const perMinute = opts.subscribePerMinute ?? 10;
  const burst = Math.max(1, perMinute);
  const limiter: Limiter = opts.sharedLimits
    ? new SharedRateLimiter(opts.source, 'status-subscribe', perMinute, burst)
    : new RateLimiter(perMinute, burst);
  const address = opts.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const now = opts.now ?? Date.now;
  return async (req, res, url, body) => {
    const path = url.pathname;
    if (path !== '/status.json' && path !== '/status/subscribe' && path !== '/status/confirm' && path !== '/status/unsubscribe')
      return false;
    try {
      if (path === '/status.json') await statusJson(req, res, opts.source, now());
      else if (path === '/status/subscribe') await handleSubscribe(req, res, opts.source, body, () => limiter.take(address(req)));
      else if (path === '/status/confirm') await handleConfirm(req, res, opts.source, url);
      else await handleUnsubscribe(req, res, opts.source, url, body);
    } catch (err) {
      if (err instanceof StatusInputError) refuse(res, err.status, err.field, err.message);
      else if (isDatabaseUnavailable(err))
        refuse(res, 503, 'database', 'The status page is unavailable for a moment; try again', { 'retry-after': '5' });
      else throw err;
    }
    return true;
  };
}

async function statusJson(req: IncomingMessage, res: ServerResponse, source: ConnectionSource, nowMs: number) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method', 'Use GET for /status.json', { allow: 'GET, HEAD' });
  const doc = await readStatus(source, nowMs, mailConfigured());
  const text = JSON.stringify(doc);
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  const headers = { 'cache-control': CACHE, etag, 'content-type': 'application/json; charset=utf-8' };
  const asked = req.headers['if-none-match'];
  if (typeof asked === 'string' && asked.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*')) {
    res.writeHead(304, { 'cache-control': CACHE, etag });
    return void res.end();
  }
  if (req.method === 'HEAD') {
    res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
    return void res.end();
  }
  sendText(res, 200, headers, text);
}

/** The body's fields as JSON or a form; a clear refusal for anything else. */
async function fields(req: IncomingMessage, body: () => Promise<string>): Promise<Record<string, unknown>> {
  const raw = await body();
  if (Buffer.byteLength(raw) > STATUS_BODY_LIMIT)
    throw new StatusInputError('body', `body: at most ${STATUS_BODY_LIMIT} bytes are accepted here`, 413);
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = raw.trim() ? JSON.parse(raw) : {};
    } catch {
      throw new StatusInputError('body', 'body: not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new StatusInputError('body', 'body: a JSON object is expected');
    return parsed as Record<string, unknown>;
  }
  if (type === 'application/x-www-form-urlencoded' || (type === '' && raw === '')) {
    const form = new URLSearchParams(raw);
    const out: Record<string, unknown> = {};
    for (const key of new Set(form.keys())) {
      const all = form.getAll(key);
      out[key] = key === 'serviceIds' ? all.flatMap((v) => v.split(',')).filter(Boolean) : all.length === 1 ? all[0] : all;
    }
    return out;
  }
  throw new StatusInputError('body', 'body: send application/json or application/x-www-form-urlencoded', 415);
}

export function parseEmail(v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new StatusInputError('email', 'email: an e-mail address is required');
  const email = v.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw new StatusInputError('email', 'email: not an e-mail address (name@example.com)');
  const at = email.lastIndexOf('@');
  return `${email.slice(0, at)}@${email.slice(at + 1).toLowerCase()}`;
}

export function parseServiceIds(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  const list = Array.isArray(v) ? v : [v];
  if (list.length > 100) throw new StatusInputError('serviceIds', 'serviceIds: at most 100 services');
  const out = new Set<string>();
  for (const id of list) {
    if (typeof id !== 'string' || !isUuid(id)) throw new StatusInputError('serviceIds', 'serviceIds: each must be a service id (a UUID)');
    out.add(id.toLowerCase());
  }
  return [...out];
}

async function handleSubscribe(
  req: IncomingMessage,
  res: ServerResponse,
  source: ConnectionSource,
  body: () => Promise<string>,
  take: () => number | Promise<number>,
) {
  if (req.method !== 'POST') return refuse(res, 405, 'method', 'Use POST to subscribe', { allow: 'POST' });
  const f = await fields(req, body);
  const email = parseEmail(f.email);
  const serviceIds = parseServiceIds(f.serviceIds);
  const wait = await take();
  if (wait > 0)
    return refuse(res, 429, 'email', `Too many subscription requests from your address; retry in ${wait} s`, {
      'retry-after': String(wait),
    });
  if (!mailConfigured()) return refuse(res, 503, 'email', 'E-mail subscriptions are not available: this server sends no mail');
  await subscribe(source, email, serviceIds);
  sendJson(
    res,
    202,
    {
      ok: true,
      message: 'Check your inbox: unless this address is already subscribed, a confirmation link is on its way (valid 48 hours).',
    },
    { 'cache-control': 'no-store' },
  );
}

async function handleConfirm(req: IncomingMessage, res: ServerResponse, source: ConnectionSource, url: URL) {
  if (req.method !== 'GET' && req.method !== 'POST') return refuse(res, 405, 'method', 'Use GET to confirm', { allow: 'GET, POST' });
  await confirm(source, url.searchParams.get('token') ?? undefined);
  sendJson(
    res,
    200,
    { ok: true, message: 'Subscription confirmed: you will get an e-mail with each public update.' },
    { 'cache-control': 'no-store' },
  );
}

async function handleUnsubscribe(
  req: IncomingMessage,
  res: ServerResponse,
  source: ConnectionSource,
  url: URL,
  body: () => Promise<string>,
) {
  if (req.method !== 'GET' && req.method !== 'POST')
    return refuse(res, 405, 'method', 'Use GET or POST to unsubscribe', { allow: 'GET, POST' });
  let token: unknown = url.searchParams.get('token') ?? undefined;
  if (token === undefined && req.method === 'POST') token = (await fields(req, body)).token;
  else if (req.method === 'POST') await body(); // read, so the client is not cut off mid-upload
  await unsubscribe(source, token);
  sendJson(res, 200, { ok: true, message: 'You are unsubscribed: no more mail from the status page.' }, { 'cache-control': 'no-store' });
}
