import type { ConnectionSource } from '../db/internals';
import { RateLimiter, type Limiter } from './rate-limit';
import { SharedRateLimiter } from './shared-rate-limit';

/**
 * The request limits. Every limit is off when `perMinute` is 0 (RATE_LIMIT_PER_MINUTE=0), as tests
 * that are not about limits run.
 */
export interface Limits {
  /** Every request, per caller: API token, session, or client address when anonymous. */
  requests: Limiter;
  /**
   * Failed authentications (unknown, revoked or malformed tokens and alert-source tokens) per client
   * address. An address that has used them up is answered 429 before its credentials are looked up,
   * so guessing tokens costs the database nothing.
   */
  authFailures: Limiter;
  /** signIn attempts per client address (whatever the account) and per account (whatever the address). */
  signInByAddress: Limiter;
  signInByAccount: Limiter;
}

export const AUTH_FAILURES_PER_MINUTE = 30;
export const SIGN_INS_PER_MINUTE = 10;

/**
 * With `shared` (a PostgreSQL server) each limit holds per caller across every API instance and
 * process on the database, at one statement per limited request (SharedRateLimiter). Without it
 * (the embedded database, which one process serves) in this process's memory.
 */
export function createLimits(perMinute: number, shared?: ConnectionSource): Limits {
  const on = perMinute > 0;
  const limiter = (name: string, rate: number, burst: number): Limiter =>
    shared ? new SharedRateLimiter(shared, name, rate, burst) : new RateLimiter(rate, burst);
  return {
    requests: limiter('requests', perMinute, Math.max(20, Math.round(perMinute / 4))),
    authFailures: limiter('auth', on ? AUTH_FAILURES_PER_MINUTE : 0, AUTH_FAILURES_PER_MINUTE),
    signInByAddress: limiter('signin-address', on ? SIGN_INS_PER_MINUTE : 0, SIGN_INS_PER_MINUTE),
    signInByAccount: limiter('signin-account', on ? SIGN_INS_PER_MINUTE : 0, SIGN_INS_PER_MINUTE),
  };
}
