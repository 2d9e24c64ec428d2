import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { isDatabaseUnavailable } from '../../errors';
import { logger } from '../../http/logger';
import { countIngestAnswer, countIngestReceived, countIngestRecorded } from '../../http/metrics';
import type { Limiter } from '../../http/rate-limit';
import { sendJson } from '../../http/respond';
import { IngestInterrupted, ingestAlerts } from './ingest';
import { ALERT_FORMATS, isAlertFormat, parseAlertPayload, type AlertFormat } from './ingest-payload';
import { sourceForToken } from './ingest-source';

/**
 * POST /ingest/alerts. Authenticated by the alert source's token, as `Authorization: Bearer <token>`
 * (what Alertmanager's `http_config.authorization` sends) or `X-Ingest-Token: <token>`.
 * 200 with one result per alert; 400 names every problem of a bad payload (nothing is written);
 * 503 when the database is unavailable and 500 for any other failure (Alertmanager re-sends either;
 * the alerts recorded before are listed, and matched again by identity);
 * 401 without a valid token; 405 for other methods; 413 (from the server) for a body over its limit;
 * 429 with Retry-After when one source sends more than the API's per-caller rate limit (a storm of
 * re-sent alerts must not starve people using the API).
 */
export const INGEST_PATH = '/ingest/alerts';

/** Bad tokens per client address, counted with the API's own (see http/limits.ts). */
export interface TokenGuard {
  authFailures: Limiter;
  clientAddress: (req: IncomingMessage) => string;
}

/** The route for http/server.ts: handles /ingest/alerts, leaves every other path alone. */
export function ingestRoute(opts: { orm: MikroORM; maxBodyBytes: number; limiter?: Limiter; guard?: TokenGuard }) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, body: () => Promise<string>): Promise<boolean> => {
    if (url.pathname !== INGEST_PATH) return false;
    await handleAlertIngest(req, res, opts.orm, body, opts.limiter, opts.guard, url);
    return true;
  };
}

export async function handleAlertIngest(
  req: IncomingMessage,
  res: ServerResponse,
  orm: MikroORM,
  body: () => Promise<string>,
  limiter?: Limiter,
  guard?: TokenGuard,
  url: URL = new URL(req.url ?? '/', 'http://localhost'),
): Promise<void> {
  const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
    countIngestAnswer(status);
    sendJson(res, status, payload, { 'cache-control': 'no-store', ...headers });
  };
  if (req.method !== 'POST') return send(405, { error: `Use POST to send alerts to ${INGEST_PATH}` }, { allow: 'POST' });

  const auth = req.headers.authorization;
  const token = (auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim()) || (req.headers['x-ingest-token'] as string | undefined)?.trim();
  if (!token) {
    return send(
      401,
      {
        error:
          'An alert source token is required: Authorization: Bearer <token> (create one with `pnpm cli ingest-source create ' +
          '--name <name>`)',
      },
      { 'www-authenticate': 'Bearer' },
    );
  }
  // Read before answering, so the client is not cut off mid-upload; too large a body is the server's 413.
  const raw = await body();
  // An address that keeps sending bad tokens is refused before its token is looked up.
  const address = guard?.clientAddress(req);
  const blocked = address ? await guard!.authFailures.peek(address) : 0;
  if (blocked > 0)
    return send(
      429,
      { error: `Too many bad tokens from your address; nothing was recorded, retry in ${blocked} s` },
      { 'retry-after': String(blocked) },
    );
  const em = orm.em.fork();
  const source = await sourceForToken(em, token);
  if (!source) {
    if (address) await guard!.authFailures.take(address);
    return send(
      401,
      { error: 'The token is not valid for any alert source (or the source was revoked)' },
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    );
  }
  const wait = (await limiter?.take(`ingest:${source.id}`)) ?? 0;
  if (wait > 0)
    return send(
      429,
      { error: `Too many requests from alert source ${source.name}; nothing was recorded, retry in ${wait} s` },
      { 'retry-after': String(wait) },
    );

  let parsedBody: unknown;
  try {
    // JSON.parse does not recurse on the stack: any depth is read (and refused by its shape).
    parsedBody = JSON.parse(raw);
  } catch {
    return send(400, {
      error: 'The body is not valid JSON; nothing was recorded',
      problems: [{ index: null, message: `the body must be JSON (UTF-8) in one of the recognised formats: ${ALERT_FORMATS.join(', ')}` }],
    });
  }
  // ?format= names the format for one sender whose body is ambiguous; the source's `format` setting for all its bodies.
  const asked = url.searchParams.get('format');
  if (asked !== null && !isAlertFormat(asked)) {
    return send(400, {
      error: 'The payload was not accepted; nothing was recorded',
      problems: [
        { index: null, message: `?format=: must be one of ${ALERT_FORMATS.join(', ')}, got ${JSON.stringify(asked.slice(0, 40))}` },
      ],
    });
  }
  const parsed = parseAlertPayload(parsedBody, (asked as AlertFormat | null) ?? source.rules.format ?? null);
  if (!parsed.ok) return send(400, { error: 'The payload was not accepted; nothing was recorded', problems: parsed.problems });
  countIngestReceived(parsed.alerts.length);
  try {
    const results = await ingestAlerts(em, source, parsed.alerts);
    countIngestRecorded(results);
    return send(200, { source: source.name, format: parsed.format, received: parsed.alerts.length, results });
  } catch (err) {
    // Bad input was refused above: this is the database failing (503: Alertmanager re-sends, and the
    // alerts already recorded are matched again by identity, not recorded twice), or a bug (500).
    const recorded = err instanceof IngestInterrupted ? err.recorded : [];
    countIngestRecorded(recorded);
    const cause = err instanceof IngestInterrupted ? err.cause : err;
    logger.error(
      { err: cause, requestId: res.getHeader('x-request-id'), source: source.name, recorded: recorded.length },
      'alert ingestion failed',
    );
    const error = recorded.length
      ? `Alert ${recorded.length} could not be recorded; the ${recorded.length} before it were. Re-sending the batch is safe: they are ` +
        'matched by identity.'
      : 'The alerts could not be recorded; nothing was written. Retry later.';
    if (!isDatabaseUnavailable(cause)) {
      const requestId = String(res.getHeader('x-request-id') ?? '');
      return send(500, { error: `Internal server error (request id ${requestId}). ${error}`, requestId, results: recorded });
    }
    return send(503, { error, results: recorded }, { 'retry-after': '5' });
  }
}
