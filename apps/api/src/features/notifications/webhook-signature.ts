// Outgoing webhooks are signed so receivers can tell they came from here and are not replays:
//   X-IKB-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// A receiver recomputes v1 over the raw bytes it received, compares in constant time, and refuses
// a t more than five minutes from its clock (`verify` below is that check; decision 0006).
// Several v1 values may appear while a secret is being rotated; any one matching is enough.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ikb-signature';
export const DELIVERY_HEADER = 'x-ikb-delivery';
export const DEFAULT_TOLERANCE_S = 300;

export function sign(secret: string, body: string | Buffer, atSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${atSeconds}.`).update(body).digest('hex');
  return `t=${atSeconds},v1=${mac}`;
}

export type Verdict = { ok: true; at: number } | { ok: false; reason: string };

/** What a receiver does; used by the tests' receivers and documented for everyone else's. */
export function verify(
  secret: string,
  body: string | Buffer,
  header: string | null | undefined,
  nowSeconds: number,
  toleranceS = DEFAULT_TOLERANCE_S,
): Verdict {
  if (!header) return { ok: false, reason: 'no signature header' };
  let at: number | null = null;
  const given: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) at = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) given.push(value);
  }
  if (at === null) return { ok: false, reason: 'no timestamp in the signature' };
  if (!given.length) return { ok: false, reason: 'no v1 signature' };
  if (Math.abs(nowSeconds - at) > toleranceS) return { ok: false, reason: `timestamp ${at} is more than ${toleranceS} s from now` };
  const expected = Buffer.from(createHmac('sha256', secret).update(`${at}.`).update(body).digest('hex'));
  const match = given.some((g) => timingSafeEqual(Buffer.from(g), expected));
  return match ? { ok: true, at } : { ok: false, reason: 'signature does not match' };
}
