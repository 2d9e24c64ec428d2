// Webhooks from the trackers (no session; http/server.ts tries these routes for paths other than
// /graphql):
//   POST /hooks/github/<connectionId>  X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>,
//                                      X-GitHub-Event (ping, issues), X-GitHub-Delivery (replays dropped)
//   POST /hooks/jira/<connectionId>    X-Hub-Signature: sha256=<hex ...> (Jira Cloud admin webhooks with a
//                                      secret), X-Atlassian-Webhook-Identifier (replays dropped)
// Every refusal is a 4xx JSON { error } saying what was wrong; hostile bodies never reach SQL
// unverified, and nothing a sender puts in a body can make a 5xx.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, isDatabaseUnavailable } from '../../errors';
import { sendJson } from '../../http/respond';
import { applyChange, githubChange, jiraChange, type Applied } from './tracker-inbound';
import { isUuid } from '../../ids';

export const HOOK_BODY_LIMIT = 1_000_000;
const PATH = /^\/hooks\/(github|jira)\/([^/]*)$/;

class HookRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return reject(new HookRefusal(413, `The body is over ${limit} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        chunks.length = 0;
        req.resume();
        reject(new HookRefusal(413, `The body is over ${limit} bytes`));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
};

/** `sha256=<hex>` over the raw bytes, compared in constant time. */
export function signatureMatches(secret: string, raw: Buffer, given: string | undefined): boolean {
  if (!given || !/^sha256=[0-9a-fA-F]{64}$/.test(given.trim())) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'));
  return timingSafeEqual(Buffer.from(given.trim().slice(7).toLowerCase()), expected);
}

interface Conn {
  id: string;
  kind: 'JIRA' | 'GITHUB';
  name: string;
  webhook_secret: string;
  wont_do_resolutions: string[];
}

export function trackerHookRoutes(opts: { source: EntityManager; bodyLimit?: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const m = PATH.exec(url.pathname);
    if (!m) return false;
    try {
      const answer = await handle(req, m[1] === 'jira' ? 'JIRA' : 'GITHUB', m[2]!);
      sendJson(res, answer.status, answer.body, { 'cache-control': 'no-store' });
    } catch (err) {
      if (err instanceof HookRefusal) sendJson(res, err.status, { error: err.message }, { 'cache-control': 'no-store' });
      else if (isDatabaseUnavailable(err))
        sendJson(res, 503, { error: 'The database is unavailable for a moment; the tracker will retry' }, { 'retry-after': '5' });
      else throw err;
    }
    return true;
  };

  async function handle(req: IncomingMessage, kind: 'JIRA' | 'GITHUB', id: string): Promise<{ status: number; body: unknown }> {
    if (req.method !== 'POST') {
      req.resume();
      throw new HookRefusal(405, 'Use POST: this address takes the tracker\u2019s webhooks');
    }
    if (!isUuid(id)) {
      req.resume();
      throw new HookRefusal(404, 'No tracker connection has that id; copy the webhook URL from Admin \u2192 Trackers');
    }
    const raw = await readRaw(req, opts.bodyLimit ?? HOOK_BODY_LIMIT);
    const em = opts.source.fork();
    const [conn] = await em.execute<Conn[]>(
      `select id, kind, name, webhook_secret, wont_do_resolutions from tracker.connections where id = ? and kind = ?`,
      [id, kind],
    );
    if (!conn)
      throw new HookRefusal(
        404,
        `No ${kind === 'JIRA' ? 'Jira' : 'GitHub'} connection has that id; copy the webhook URL from Admin \u2192 Trackers`,
      );
    const sigHeader = kind === 'GITHUB' ? 'x-hub-signature-256' : 'x-hub-signature';
    const given = header(req, sigHeader);
    if (!given) throw new HookRefusal(401, `No ${sigHeader} header: set the webhook's secret to the one this connection shows`);
    if (!signatureMatches(conn.webhook_secret, raw, given))
      throw new HookRefusal(401, `The ${sigHeader} signature does not match this connection's webhook secret`);
    const event = kind === 'GITHUB' ? (header(req, 'x-github-event') ?? '') : 'jira';
    if (event === 'ping') return { status: 200, body: { ok: true, message: 'pong: the signature matches' } };
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HookRefusal(400, 'The body is not valid JSON (send application/json)');
    }
    if (kind === 'GITHUB' && event !== 'issues')
      return { status: 202, body: { ok: true, ignored: `"${event.slice(0, 40)}" events are not read; send issues events` } };
    const deliveryRaw = kind === 'GITHUB' ? header(req, 'x-github-delivery') : header(req, 'x-atlassian-webhook-identifier');
    const delivery =
      deliveryRaw && /^[\x21-\x7e]{1,200}$/.test(deliveryRaw) ? deliveryRaw : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    const change = kind === 'GITHUB' ? githubChange(payload, now()) : jiraChange(payload, now(), conn.wont_do_resolutions);
    return em.transactional(async (tem) => {
      const fresh = await tem.execute<{ delivery_id: string }[]>(
        `insert into tracker.receipts (connection_id, delivery_id) values (?, ?) on conflict do nothing returning delivery_id`,
        [conn.id, delivery],
      );
      if (!fresh.length)
        return { status: 200, body: { ok: true, duplicate: true, message: 'This delivery was received before; nothing done again' } };
      let applied: Applied;
      if (typeof change === 'string') applied = { outcome: 'UNLINKED', detail: change };
      else {
        try {
          applied = await applyChange(tem, conn, change);
        } catch (err) {
          // A change the item refuses (e.g. it was removed meanwhile) is the sender's input, not our failure.
          if (!(err instanceof AppError)) throw err;
          applied = { outcome: 'UNLINKED', detail: `not applied: ${err.message}` };
        }
      }
      await tem.execute(
        `insert into tracker.attempts (connection_id, link_id, operation, outcome, error)
         values (?, (select id from tracker.links where connection_id = ? and external_key = ?), ?, ?, ?)`,
        [
          conn.id,
          conn.id,
          typeof change === 'string' ? null : change.key,
          `webhook ${typeof change === 'string' ? event : change.event}`.slice(0, 300),
          applied.outcome === 'APPLIED' ? 'RECEIVED' : 'IGNORED',
          applied.detail.slice(0, 1000),
        ],
      );
      return { status: 200, body: { ok: true, outcome: applied.outcome, message: applied.detail } };
    });
  }
}
