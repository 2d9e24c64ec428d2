import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, classifyAnswer, classifySmtp, nextRetry, worstCaseSpanMs, type RetryPolicy } from './retry';

const policy: fc.Arbitrary<RetryPolicy> = fc
  .record({
    baseMs: fc.integer({ min: 1, max: 60_000 }),
    capMs: fc.integer({ min: 1, max: 86_400_000 }),
    maxAttempts: fc.integer({ min: 1, max: 20 }),
  })
  .filter((p) => p.capMs >= p.baseMs);

describe('nextRetry', () => {
  it('waits between half and all of the capped exponential backoff, later for a Retry-After, never past the cap', () => {
    fc.assert(
      fc.property(
        policy,
        fc.integer({ min: 1, max: 25 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
        (p, attempt, random, retryAfterMs) => {
          const now = 1_700_000_000_000;
          const r = nextRetry(attempt, now, p, random, retryAfterMs);
          if (attempt >= p.maxAttempts) {
            expect(r).toEqual({ retry: false });
            return;
          }
          if (!r.retry) throw new Error('expected a retry');
          const backoff = Math.min(p.capMs, p.baseMs * 2 ** (attempt - 1));
          expect(r.atMs - now).toBe(r.delayMs);
          expect(r.delayMs).toBeLessThanOrEqual(p.capMs);
          expect(r.delayMs).toBeGreaterThanOrEqual(Math.floor(backoff / 2));
          if (retryAfterMs == null || retryAfterMs <= backoff / 2) expect(r.delayMs).toBeLessThanOrEqual(backoff);
          if (retryAfterMs != null) expect(r.delayMs).toBeGreaterThanOrEqual(Math.min(p.capMs, retryAfterMs));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('grows with each attempt (at the same draw) until the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((a) => {
      const r = nextRetry(a, 0, DEFAULT_RETRY, 0.5);
      return r.retry ? r.delayMs : null;
    });
    expect(delays).toEqual([22_500, 45_000, 90_000, 180_000, 360_000, 720_000, 1_440_000]);
    expect(nextRetry(11, 0, DEFAULT_RETRY, 0.5)).toEqual({ retry: true, atMs: 2_700_000, delayMs: 2_700_000 });
    expect(nextRetry(12, 0, DEFAULT_RETRY, 0.5)).toEqual({ retry: false });
    // Twelve attempts span at most 5 h 3 min 30 s: a receiver down for a morning loses nothing.
    expect(worstCaseSpanMs()).toBe(18_210_000);
  });

  it('refuses an attempt number that is not a whole number from 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => nextRetry(bad, 0)).toThrow(RangeError);
  });
});

describe('classifyAnswer', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  it('delivers on 2xx, retries on 408/425/429/5xx and no answer, and gives up on other 4xx', () => {
    for (const s of [200, 201, 202, 204, 299]) expect(classifyAnswer(s, null, now)).toEqual({ kind: 'delivered' });
    for (const s of [408, 425, 429, 500, 502, 503, 504, 599])
      expect(classifyAnswer(s, null, now)).toEqual({ kind: 'retry', reason: `the receiver answered ${s}`, retryAfterMs: null });
    for (const s of [100, 301, 302, 400, 401, 403, 404, 410, 413, 422])
      expect(classifyAnswer(s, null, now)).toEqual({ kind: 'refused', reason: `the receiver answered ${s}` });
    expect(classifyAnswer(null, null, now, 'ECONNREFUSED')).toEqual({
      kind: 'retry',
      reason: 'no answer: ECONNREFUSED',
      retryAfterMs: null,
    });
  });

  it('reads Retry-After as seconds or an HTTP date, ignoring what it cannot read', () => {
    expect(classifyAnswer(429, '120', now)).toMatchObject({ retryAfterMs: 120_000 });
    expect(classifyAnswer(503, 'Sun, 06 Dec 2026 12:05:00 GMT', now)).toMatchObject({ retryAfterMs: 300_000 });
    for (const bad of ['', 'soon', '-5', '1.5', 'Sun, 06 Dec 2026 11:00:00 GMT', '9'.repeat(20)])
      expect(classifyAnswer(429, bad, now)).toMatchObject({ retryAfterMs: null });
  });
});

describe('classifySmtp', () => {
  it('delivered without an error; 4xx and connection trouble retried; 5xx refused, but a wrong password retried', () => {
    expect(classifySmtp(null)).toEqual({ kind: 'delivered' });
    expect(classifySmtp({ responseCode: 451, code: 'EMESSAGE', message: '451 try later' }).kind).toBe('retry');
    expect(classifySmtp({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }).kind).toBe('retry');
    expect(classifySmtp({ responseCode: 550, code: 'EENVELOPE', message: '550 no such user' })).toEqual({
      kind: 'refused',
      reason: 'the mail server answered 550: 550 no such user',
    });
    expect(classifySmtp({ responseCode: 535, code: 'EAUTH', message: 'bad credentials' }).kind).toBe('retry');
  });
});
