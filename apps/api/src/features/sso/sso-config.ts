// The openid-client Configuration of a provider: discovered from its issuer
// (/.well-known/openid-configuration, which openid-client checks names the same issuer) and kept
// for DISCOVERY_TTL_MS per version of the provider's row, so a sign-in costs no discovery round
// trip but an edited provider or a rotated endpoint is seen within minutes. Failures are not kept.
import * as oidc from 'openid-client';
import { outboundFetch, refusedHost } from '../../http/outbound';
import type { SsoProvider } from './sso-provider.entity';

export const DISCOVERY_TTL_MS = 10 * 60_000;
/** Seconds for every request to a provider (discovery, token, JWKS): a provider that hangs is a provider that is down. */
export const sso = { timeoutSeconds: 5 };

const cache = new Map<string, { config: oidc.Configuration; at: number }>();

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** https, or http on a loopback address (tests, a provider on the same machine); null when fine, else why not. */
export function issuerProblem(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'must be a URL like https://login.example.com/realms/main';
  }
  if (u.username || u.password) return 'must not hold a user name or password';
  if (u.search || u.hash) return 'must not have a query or fragment';
  const refused = refusedHost(u.hostname);
  if (refused) return `cannot be reached by the server: ${refused}`;
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) return null;
  return 'must use https (http only for a loopback address such as 127.0.0.1)';
}

const insecure = (issuer: string) => new URL(issuer).protocol === 'http:';

export async function discover(p: SsoProvider, opts: { fresh?: boolean } = {}): Promise<oidc.Configuration> {
  const key = `${p.id}:${p.updatedAt.getTime()}`;
  const hit = cache.get(key);
  if (hit && !opts.fresh && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const config = await oidc.discovery(
    new URL(p.issuerUrl),
    p.clientId,
    { client_secret: p.clientSecret, [oidc.clockTolerance]: p.clockToleranceSeconds },
    oidc.ClientSecretPost(p.clientSecret),
    {
      timeout: sso.timeoutSeconds,
      // Every call to the provider (discovery, JWKS, token) through the outbound address guard; the
      // Configuration keeps it for the later calls.
      // Its bodies are strings or URLSearchParams, which outboundFetch sends as fetch would.
      [oidc.customFetch]: (url, options) => outboundFetch(url, options as RequestInit),
      ...(insecure(p.issuerUrl) ? { execute: [oidc.allowInsecureRequests] } : {}),
    },
  );
  for (const k of cache.keys()) if (k.startsWith(`${p.id}:`)) cache.delete(k);
  cache.set(key, { config, at: Date.now() });
  return config;
}

/** Drops every cached configuration (tests; a provider edit changes updatedAt, which is enough otherwise). */
export const forgetDiscovery = () => cache.clear();

/** Whether an error is the provider being unreachable (refused, reset, DNS, timeout), rather than an answer. */
export function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    const x = e as { name?: string; code?: string; message?: string };
    if (x.name === 'AbortError' || x.name === 'TimeoutError') return true;
    if (x.code && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|UND_ERR_\w+)$/.test(x.code)) return true;
    if (x.name === 'TypeError' && x.message === 'fetch failed') return true;
  }
  return false;
}
