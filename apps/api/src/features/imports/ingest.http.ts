import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { logger } from '../../http/logger';
import type { RateLimiter } from '../../http/rate-limit';
import { sendJson } from '../../http/respond';
import { ingestAlerts, parseAlertPayload } from './ingest';
import { sourceForToken } from './ingest-source';

/**
 * POST /ingest/alerts. Authenticated by the alert source's token, as `Authorization: Bearer <token>`
 * (what Alertmanager's `http_config.authorization` sends) or `X-Ingest-Token: <token>`.
 * 200 with one result per alert; 400 names every problem of a bad payload (nothing is written);
 * 401 without a valid token; 405 for other methods; 413 (from the server) for a body over its limit;
 * 429 with Retry-After when one source sends more than the API's per-caller rate limit (a storm of
 * re-sent alerts must not starve people using the API).
 */
export const INGEST_PATH = '/ingest/alerts';

/** The route for http/server.ts: handles /ingest/alerts, leaves every other path alone. */
export function ingestRoute(opts: { orm: MikroORM; maxBodyBytes: number; limiter?: RateLimiter }) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, body: () => Promise<string>): Promise<boolean> => {
    if (url.pathname !== INGEST_PATH) return false;
    await handleAlertIngest(req, res, opts.orm, body, opts.limiter);
    return true;
  };
}

export async function handleAlertIngest(req: IncomingMessage, res: ServerResponse, orm: MikroORM, body: () => Promise<string>, limiter?: RateLimiter): Promise<void> {
  const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => sendJson(res, status, payload, { 'cache-control': 'no-store', ...headers });
  if (req.method !== 'POST') return send(405, { error: `Use POST to send alerts to ${INGEST_PATH}` }, { allow: 'POST' });

  const auth = req.headers.authorization;
  const token = (auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim()) || (req.headers['x-ingest-token'] as string | undefined)?.trim();
  if (!token) {
    return send(401, { error: 'An alert source token is required: Authorization: Bearer <token> (create one with `pnpm cli ingest-source create --name <name>`)' }, { 'www-authenticate': 'Bearer' });
  }
  // Read before answering, so the client is not cut off mid-upload; too large a body is the server's 413.
  const raw = await body();
  const em = orm.em.fork();
  const source = await sourceForToken(em, token);
  if (!source) return send(401, { error: 'The token is not valid for any alert source (or the source was revoked)' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
  const wait = limiter?.take(`ingest:${source.id}`) ?? 0;
  if (wait > 0) return send(429, { error: `Too many requests from alert source ${source.name}; nothing was recorded, retry in ${wait} s` }, { 'retry-after': String(wait) });

  let parsedBody: unknown;
  try {
    parsedBody = JSON.parse(raw);
  } catch {
    return send(400, { error: 'The body is not valid JSON' });
  }
  const parsed = parseAlertPayload(parsedBody);
  if (!parsed.ok) return send(400, { error: 'The payload was not accepted; nothing was recorded', problems: parsed.problems });
  try {
    const results = await em.transactional((tem) => ingestAlerts(tem, source, parsed.alerts));
    return send(200, { source: source.name, format: parsed.format, received: parsed.alerts.length, results });
  } catch (err) {
    logger.error({ err, source: source.name }, 'alert ingestion failed');
    return send(500, { error: 'The alerts could not be recorded; nothing was written. Retry later.' });
  }
}
