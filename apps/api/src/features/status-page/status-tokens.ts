// Signed links of the status page's e-mail subscriptions: `<payload>.<mac>` in base64url, where the
// payload is `<kind>.<subscriber id>.<expiry in unix seconds, 0: none>` and the mac its HMAC-SHA256
// under a server secret kept in the database (status_page_keys, made on first use, the same for
// every instance). Confirmation links expire after 48 h; unsubscribe links do not (a mail of last
// year must still let its reader leave), and stop working once the subscriber is gone.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConnectionSource, PgClient } from '../../db/internals';
import { withClient } from '../analytics/analytics.db';

export const CONFIRM_TTL_S = 48 * 3600;
export type TokenKind = 'confirm' | 'unsubscribe';
const KIND_CODE: Record<TokenKind, string> = { confirm: 'c', unsubscribe: 'u' };

const secrets = new WeakMap<object, Promise<string>>();

async function loadSecret(c: PgClient): Promise<string> {
  await c.query(`insert into status_page_keys (name, secret) values ('links', $1) on conflict (name) do nothing`, [
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await c.query<{ secret: string }>(`select secret from status_page_keys where name = 'links'`);
  return rows[0]!.secret;
}

/** The secret, read once per database connection source (and made if none exists yet). */
export function linkSecret(source: ConnectionSource): Promise<string> {
  let s = secrets.get(source);
  if (!s) {
    s = withClient(source, loadSecret);
    s.catch(() => secrets.delete(source));
    secrets.set(source, s);
  }
  return s;
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function signToken(secret: string, kind: TokenKind, subscriberId: string, nowMs = Date.now()): string {
  const exp = kind === 'confirm' ? Math.floor(nowMs / 1000) + CONFIRM_TTL_S : 0;
  const payload = `${KIND_CODE[kind]}.${subscriberId}.${exp}`;
  return `${Buffer.from(payload).toString('base64url')}.${mac(secret, payload)}`;
}

export type TokenCheck = { ok: true; subscriberId: string } | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'kind' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function verifyToken(secret: string, kind: TokenKind, token: unknown, nowMs = Date.now()): TokenCheck {
  if (typeof token !== 'string' || token.length > 300 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/.test(token))
    return { ok: false, reason: 'malformed' };
  const [p64, given] = token.split('.') as [string, string];
  const payload = Buffer.from(p64, 'base64url').toString('utf8');
  const expected = mac(secret, payload);
  if (!timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return { ok: false, reason: 'forged' };
  const [k, id, exp] = payload.split('.');
  if (!id || !UUID.test(id) || !exp || !/^\d{1,12}$/.test(exp)) return { ok: false, reason: 'malformed' };
  if (k !== KIND_CODE[kind]) return { ok: false, reason: 'kind' };
  if (Number(exp) !== 0 && Number(exp) * 1000 < nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, subscriberId: id };
}
