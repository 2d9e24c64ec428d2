// The authorization code flow with PKCE (decision 0007). start: a pending login (state hashed,
// nonce, PKCE verifier, the browser's binding cookie hashed, the return path) and the provider's
// authorization URL. callback: the pending login is used once (a replayed or unknown state is
// refused), the code is exchanged with the verifier, the ID token is checked by openid-client
// (signature against the provider's JWKS, iss, aud, exp and iat with the provider's clock
// tolerance, nonce), and the account is found, linked or created.
import { createHash, randomBytes } from 'node:crypto';
import { safeReturnPath, SSO_ERRORS, type SsoErrorCode } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import * as oidc from 'openid-client';
import { logger } from '../../http/logger';
import { webUrl } from '../notifications/notify-settings';
import { SsoFailure, planAccount, type AccountPlan } from './sso-accounts';
import { discover, isUnreachable } from './sso-config';
import { SsoProvider } from './sso-provider.entity';

export const PENDING_MINUTES = 10;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const redirectUri = (slug: string) => webUrl(`/auth/sso/${slug}/callback`);

export async function findProvider(em: EntityManager, slug: string, includeDisabled: boolean): Promise<SsoProvider> {
  const p = await em.findOne(SsoProvider, { slug });
  if (!p || (!p.enabled && !includeDisabled)) throw new SsoFailure('PROVIDER_UNKNOWN');
  return p;
}

/** What went wrong talking to the provider, as a failure code; logged without tokens or secrets. */
export function providerFailure(err: unknown, slug: string, step: string): SsoFailure {
  if (err instanceof SsoFailure) return err;
  let code: SsoErrorCode = 'TOKEN_INVALID';
  if (isUnreachable(err)) code = 'PROVIDER_UNAVAILABLE';
  else if (err instanceof oidc.AuthorizationResponseError) code = err.error === 'access_denied' ? 'ACCESS_DENIED' : 'PROVIDER_ERROR';
  else if (err instanceof oidc.ResponseBodyError || step === 'discovery') code = 'PROVIDER_ERROR';
  const e = err as { name?: string; code?: string; message?: string };
  logger.warn({ provider: slug, step, code, error: { name: e?.name, code: e?.code, message: e?.message?.slice(0, 300) } }, 'sso failure');
  return new SsoFailure(code, e?.message);
}

export async function startLogin(
  em: EntityManager,
  slug: string,
  opts: { returnPath: unknown; testBy?: string },
): Promise<{ location: string; binding: string }> {
  const p = await findProvider(em, slug, !!opts.testBy);
  const config = await discover(p).catch((err: unknown) => {
    throw providerFailure(err, slug, 'discovery');
  });
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  const binding = randomBytes(32).toString('base64url');
  // Old rows go as new ones come: the table holds at most the last hour's starts.
  await em.execute(`delete from sso_pending_logins where expires_at < now() - interval '1 hour'`);
  await em.execute(
    `insert into sso_pending_logins (state_hash, provider_id, browser_hash, nonce, code_verifier, return_path, test_by, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, now() + interval '${PENDING_MINUTES} minutes')`,
    [sha256(state), p.id, sha256(binding), nonce, verifier, safeReturnPath(opts.returnPath), opts.testBy ?? null],
  );
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(p.slug),
    scope: p.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return { location: url.href, binding };
}

export interface CallbackOutcome {
  provider: SsoProvider;
  claims: Record<string, unknown>;
  returnPath: string;
  /** Set for a test sign-in: the pending row's key, where the result is kept for the admin who started it. */
  testKey: string | null;
  testBy: string | null;
}

const STATE = /^[A-Za-z0-9_-]{16,128}$/;

/** Uses the pending login once and verifies the provider's answer; every refusal is an SsoFailure. */
export async function verifyCallback(em: EntityManager, slug: string, url: URL, binding: string | undefined): Promise<CallbackOutcome> {
  const q = url.searchParams;
  const state = q.get('state') ?? '';
  if (!STATE.test(state) || q.getAll('state').length !== 1) throw new SsoFailure('STATE_INVALID');
  if (!binding || !STATE.test(binding)) throw new SsoFailure('STATE_INVALID');
  const p = await findProvider(em, slug, true);
  const rows = await em.execute<
    { state_hash: string; nonce: string; code_verifier: string; return_path: string; test_by: string | null }[]
  >(
    `update sso_pending_logins set used_at = now()
      where state_hash = ? and provider_id = ? and browser_hash = ? and used_at is null and expires_at > now()
      returning state_hash, nonce, code_verifier, return_path, test_by`,
    [sha256(state), p.id, sha256(binding)],
  );
  const pending = rows[0];
  if (!pending) throw new SsoFailure('STATE_INVALID');
  if (!p.enabled && !pending.test_by) throw new SsoFailure('PROVIDER_UNKNOWN');
  const base = {
    provider: p,
    returnPath: pending.return_path,
    testKey: pending.test_by ? pending.state_hash : null,
    testBy: pending.test_by,
  };
  const fail = (f: SsoFailure) => Object.assign(f, { testKey: base.testKey, testBy: base.testBy });
  const error = q.get('error');
  if (error !== null) throw fail(new SsoFailure(error === 'access_denied' ? 'ACCESS_DENIED' : 'PROVIDER_ERROR', error.slice(0, 100)));
  const code = q.get('code') ?? '';
  if (!code || code.length > 2048 || q.getAll('code').length !== 1 || /[^\x21-\x7e]/.test(code)) throw fail(new SsoFailure('BAD_REQUEST'));
  const current = new URL(redirectUri(p.slug));
  for (const [k, v] of q) current.searchParams.append(k, v);
  try {
    const config = await discover(p);
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.code_verifier,
      expectedNonce: pending.nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new SsoFailure('TOKEN_INVALID', 'no ID token');
    return { ...base, claims: { ...claims } };
  } catch (err) {
    throw fail(providerFailure(err, slug, 'token'));
  }
}

/** The test sign-in's result, kept on its pending row for the admin who started it. */
export async function saveTestResult(
  em: EntityManager,
  key: string,
  result: { claims: Record<string, unknown> | null; plan: AccountPlan | null; error: SsoErrorCode | null },
): Promise<void> {
  const doc = {
    ok: !result.error,
    error: result.error,
    message: result.error ? SSO_ERRORS[result.error] : null,
    claims: result.claims,
    groups: result.plan?.groups ?? [],
    role: result.plan?.role ?? null,
    account: result.plan?.account ?? (result.error ? 'REFUSE' : null),
  };
  await em.execute(`update sso_pending_logins set test_result = ?::jsonb where state_hash = ?`, [JSON.stringify(doc), key]);
}

export { planAccount };
