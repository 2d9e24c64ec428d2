// The connection test of a provider: each step says what it found in words, and the steps after a
// failed one are not run (they would only repeat it). Plain fetch rather than openid-client, whose
// discovery succeeds or fails as a whole and so could not say which step is wrong.
import { sso } from './sso-config';
import type { SsoCheck, SsoCheckStep } from './sso.types';
import type { SsoProvider } from './sso-provider.entity';

const MAX_BYTES = 512 * 1024;

async function getJson(url: string): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; why: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(sso.timeoutSeconds * 1000),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    if (e.name === 'TimeoutError') return { ok: false, why: `no answer within ${sso.timeoutSeconds} s` };
    return { ok: false, why: `could not connect (${e.cause?.code ?? 'network error'})` };
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) return { ok: false, why: `answered HTTP ${res.status}` };
  if (text.length > MAX_BYTES) return { ok: false, why: 'answered with a document over 512 KiB' };
  try {
    const body = JSON.parse(text) as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, why: 'answered with JSON that is not an object' };
    return { ok: true, body: body as Record<string, unknown> };
  } catch {
    return { ok: false, why: 'answered with something that is not JSON' };
  }
}

export async function checkProvider(p: SsoProvider): Promise<SsoCheck> {
  const steps: SsoCheckStep[] = [];
  const done = (step: string, ok: boolean, message: string) => {
    steps.push({ step, ok, message });
    return ok;
  };
  const finish = () => ({ ok: steps.every((s) => s.ok), steps });
  const wellKnown = `${p.issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const doc = await getJson(wellKnown);
  if (!done('DISCOVERY', doc.ok, doc.ok ? `Read ${wellKnown}` : `${wellKnown} ${doc.why}`) || !doc.ok) return finish();
  const m = doc.body;
  const issuerOk = m.issuer === p.issuerUrl || m.issuer === `${p.issuerUrl}/`;
  if (
    !done(
      'ISSUER',
      issuerOk,
      issuerOk
        ? `The issuer is ${p.issuerUrl}`
        : `The document names the issuer "${String(m.issuer).slice(0, 200)}", not ${p.issuerUrl}: copy that value into the issuer URL`,
    )
  )
    return finish();
  const missing = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'].filter((k) => typeof m[k] !== 'string');
  const types = Array.isArray(m.response_types_supported) ? m.response_types_supported : [];
  const pkce = Array.isArray(m.code_challenge_methods_supported) ? m.code_challenge_methods_supported : null;
  const endpointsWhy = missing.length
    ? `The document lacks ${missing.join(', ')}`
    : !types.includes('code')
      ? 'The provider does not offer the authorization code flow (response type "code")'
      : pkce && !pkce.includes('S256')
        ? 'The provider does not offer PKCE with S256'
        : null;
  if (
    !done(
      'ENDPOINTS',
      !endpointsWhy,
      endpointsWhy ?? `Authorization ${String(m.authorization_endpoint)}, token ${String(m.token_endpoint)}`,
    )
  )
    return finish();
  const jwks = await getJson(String(m.jwks_uri));
  const keys = jwks.ok && Array.isArray(jwks.body.keys) ? jwks.body.keys.length : 0;
  done(
    'JWKS',
    keys > 0,
    jwks.ok
      ? keys
        ? `${keys} signing key(s) at ${String(m.jwks_uri)}`
        : `${String(m.jwks_uri)} holds no keys`
      : `${String(m.jwks_uri)} ${jwks.why}`,
  );
  return finish();
}
