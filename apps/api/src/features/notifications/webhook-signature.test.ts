import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign, verify } from './webhook-signature';

const secret = 'whsec_test_0123456789';
const body = JSON.stringify({
  id: 'd-1',
  event: 'INCIDENT_MAJOR',
  data: { number: 'INC-000123', title: 'Checkout returns 502 — Zahlung' },
});
const now = 1_780_000_000;

describe('webhook signatures', () => {
  it('is an HMAC-SHA256 of "<t>.<body>", hex, as documented', () => {
    const header = sign(secret, body, now);
    const mac = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(header).toBe(`t=${now},v1=${mac}`);
    expect(verify(secret, body, header, now)).toEqual({ ok: true, at: now });
    // The same bytes as a Buffer (what a receiver holds before parsing) verify too.
    expect(verify(secret, Buffer.from(body), header, now + 10).ok).toBe(true);
  });

  it('refuses a changed body, another secret, a replay outside five minutes and malformed headers', () => {
    const header = sign(secret, body, now);
    expect(verify(secret, body.replace('502', '503'), header, now)).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verify('another', body, header, now).ok).toBe(false);
    expect(verify(secret, body, header, now + 301)).toEqual({ ok: false, reason: `timestamp ${now} is more than 300 s from now` });
    expect(verify(secret, body, header, now - 301).ok).toBe(false);
    for (const bad of [undefined, '', 'v1=abc', `t=${now}`, `t=${now},v1=zz`, `t=abc,v1=${'0'.repeat(64)}`, 't=1'.repeat(5000)]) {
      expect(verify(secret, body, bad, now).ok).toBe(false);
    }
  });

  it('accepts any one of several v1 values (a secret being rotated)', () => {
    const fresh = sign(secret, body, now);
    const old = sign('old-secret', body, now).split(',')[1]!;
    expect(verify(secret, body, `${fresh},${old}`, now).ok).toBe(true);
    expect(verify(secret, body, `t=${now},${old}`, now).ok).toBe(false);
  });
});
