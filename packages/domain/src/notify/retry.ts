// When to try a failed delivery again: exponential backoff with jitter, a ceiling, a receiver's own
// Retry-After honoured (within the ceiling), and a last attempt after which the delivery is dead
// (kept in the log, replayable by an admin).

export interface RetryPolicy {
  /** Delay after the first failure, before jitter. */
  baseMs: number;
  /** No delay is longer than this. */
  capMs: number;
  /** Attempts in all, the first included; after the last failure the delivery is dead. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ baseMs: 30_000, capMs: 3_600_000, maxAttempts: 12 });

export type RetryDecision = { retry: true; atMs: number; delayMs: number } | { retry: false };

/**
 * After failed attempt number `attempt` (1 for the first) at `nowMs`: the next try, or none. The
 * delay is base x 2^(attempt-1), capped, then drawn from its upper half ("equal jitter", so many
 * deliveries failing together do not return together and none comes back sooner than half the
 * backoff). A Retry-After from the receiver (429, 503) moves it later, never earlier, still capped.
 * `random` in [0, 1).
 */
export function nextRetry(
  attempt: number,
  nowMs: number,
  policy: RetryPolicy = DEFAULT_RETRY,
  random = Math.random(),
  retryAfterMs?: number | null,
): RetryDecision {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number from 1, not ${attempt}`);
  if (attempt >= policy.maxAttempts) return { retry: false };
  const backoff = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  const r = Math.min(Math.max(random, 0), 1 - Number.EPSILON);
  let delayMs = Math.round(backoff / 2 + (backoff / 2) * r);
  if (retryAfterMs != null && Number.isFinite(retryAfterMs) && retryAfterMs > delayMs)
    delayMs = Math.min(policy.capMs, Math.round(retryAfterMs));
  return { retry: true, atMs: nowMs + delayMs, delayMs };
}

/** The longest a delivery can wait in all before it is dead: the sum of the ceilings of every retry. */
export function worstCaseSpanMs(policy: RetryPolicy = DEFAULT_RETRY): number {
  let total = 0;
  for (let a = 1; a < policy.maxAttempts; a++) total += Math.min(policy.capMs, policy.baseMs * 2 ** (a - 1));
  return total;
}

export type SendOutcome =
  { kind: 'delivered' } | { kind: 'retry'; reason: string; retryAfterMs: number | null } | { kind: 'refused'; reason: string };

/**
 * What a receiver's answer means for a delivery. 2xx: delivered. 408, 425, 429 and 5xx, and no
 * answer at all: try again later (after Retry-After when given). Any other 4xx: the receiver refuses
 * this message (a URL gone, a payload it cannot take), so retrying cannot help; the delivery is
 * dead at once, with the reason in the log for the admin to fix and replay.
 */
export function classifyAnswer(status: number | null, retryAfter?: string | null, nowMs = Date.now(), error?: string): SendOutcome {
  if (status === null) return { kind: 'retry', reason: error ? `no answer: ${error}` : 'no answer', retryAfterMs: null };
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const transient = status === 408 || status === 425 || status === 429 || status >= 500;
  if (!transient) return { kind: 'refused', reason: `the receiver answered ${status}` };
  return { kind: 'retry', reason: `the receiver answered ${status}`, retryAfterMs: retryAfterToMs(retryAfter, nowMs) };
}

/** Retry-After as delay-seconds or an HTTP date; null when absent, unreadable or in the past. */
export function retryAfterToMs(value: string | null | undefined, nowMs: number): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) || at <= nowMs ? null : at - nowMs;
}

/**
 * An SMTP server's answer to one mail (nodemailer's error: `responseCode`, `code`). 4xx replies and
 * connection trouble are temporary (RFC 5321 4.2.1: try again later); a wrong password or an
 * unreachable server is a setting the admin can fix, so those are tried again too; other 5xx
 * replies refuse this mail for good (no such mailbox, rejected content).
 */
export function classifySmtp(err: { responseCode?: number; code?: string; message?: string } | null): SendOutcome {
  if (!err) return { kind: 'delivered' };
  const code = err.responseCode;
  const what = code ? `the mail server answered ${code}` : `the mail server could not be reached (${err.code ?? 'error'})`;
  const detail = err.message ? `: ${err.message.replace(/\s+/g, ' ').slice(0, 300)}` : '';
  if (code && code >= 500 && code < 600 && err.code !== 'EAUTH') return { kind: 'refused', reason: `${what}${detail}` };
  return { kind: 'retry', reason: `${what}${detail}`, retryAfterMs: null };
}
