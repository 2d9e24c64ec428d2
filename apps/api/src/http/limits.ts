import { RateLimiter } from './rate-limit';

/**
 * The request limits of one API process. Every limit is off when `perMinute` is 0
 * (RATE_LIMIT_PER_MINUTE=0), as tests that are not about limits run.
 */
export interface Limits {
  /** Every request, per caller: API token, session, or client address when anonymous. */
  requests: RateLimiter;
  /**
   * Failed authentications (unknown, revoked or malformed tokens and alert-source tokens) per client
   * address. An address that has used them up is answered 429 before its credentials are looked up,
   * so guessing tokens costs the database nothing.
   */
  authFailures: RateLimiter;
  /** signIn attempts per client address (whatever the account) and per account (whatever the address). */
  signInByAddress: RateLimiter;
  signInByAccount: RateLimiter;
}

export const AUTH_FAILURES_PER_MINUTE = 30;
export const SIGN_INS_PER_MINUTE = 10;

export function createLimits(perMinute: number): Limits {
  const on = perMinute > 0;
  return {
    requests: new RateLimiter(perMinute, Math.max(20, Math.round(perMinute / 4))),
    authFailures: new RateLimiter(on ? AUTH_FAILURES_PER_MINUTE : 0, AUTH_FAILURES_PER_MINUTE),
    signInByAddress: new RateLimiter(on ? SIGN_INS_PER_MINUTE : 0, SIGN_INS_PER_MINUTE),
    signInByAccount: new RateLimiter(on ? SIGN_INS_PER_MINUTE : 0, SIGN_INS_PER_MINUTE),
  };
}
