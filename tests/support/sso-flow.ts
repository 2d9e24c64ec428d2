// Plays the browser through a single sign-on: the API's start route, the in-process provider's
// redirects (followToCallback), and the API's callback with the binding cookie of the start.
import { followToCallback, type TestProvider } from './oidc-test-provider';
import { ok, type TestApp } from './test-app';

export const WEB = 'http://localhost:3999';
export const callbackOf = (slug: string) => `${WEB}/auth/sso/${slug}/callback`;

export interface Hop {
  status: number;
  location: string;
  cookies: Map<string, string>;
}

export async function hop(url: string, cookie = ''): Promise<Hop> {
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const cookies = new Map<string, string>();
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    cookies.set(pair!.slice(0, i), decodeURIComponent(pair!.slice(i + 1)));
  }
  await res.text();
  return { status: res.status, location: res.headers.get('location') ?? '', cookies };
}

export interface Started {
  start: Hop;
  binding: string;
  nonce: string;
}

export async function startSso(t: TestApp, slug: string, query = '', cookie = ''): Promise<Started> {
  const start = await hop(`${t.app.url}/auth/sso/${slug}/start${query}`, cookie);
  return {
    start,
    binding: start.cookies.get('ikb_sso') ?? '',
    nonce: new URL(start.location || '/', 'http://x.invalid').searchParams.get('nonce') ?? '',
  };
}

/** The whole flow; `who` is the account that signs in at the provider, or an error it answers with. */
export async function ssoSignIn(
  t: TestApp,
  op: TestProvider,
  slug: string,
  who: { accountId: string } | { error: string },
  opts: { query?: string; cookie?: string } = {},
): Promise<{ started: Started; callbackUrl: URL; result: Hop; session: string | undefined }> {
  const started = await startSso(t, slug, opts.query ?? '', opts.cookie ?? '');
  if (started.start.status !== 302 || !started.start.location.startsWith(op.issuer))
    throw new Error(`start did not go to the provider: ${started.start.status} ${started.start.location}`);
  op.next = who;
  const callbackUrl = await followToCallback(started.start.location, callbackOf(slug));
  const cookie = [`ikb_sso=${started.binding}`, opts.cookie].filter(Boolean).join('; ');
  const result = await hop(`${t.app.url}/auth/sso/${slug}/callback${callbackUrl.search}`, cookie);
  return { started, callbackUrl, result, session: result.cookies.get('ikb_session') || undefined };
}

export const PROVIDER_FIELDS = `id slug displayName issuerUrl clientId scopes groupsClaim groupRoles { group role } defaultRole provisioning
  allowedDomains trustEmail clockToleranceSeconds enabled`;

export async function createProvider(t: TestApp, input: Record<string, unknown>): Promise<{ id: string; slug: string }> {
  return ok(
    await t.gql<{ createSsoProvider: { id: string; slug: string } }>(
      `mutation($input: CreateSsoProviderInput!) { createSsoProvider(input: $input) { ${PROVIDER_FIELDS} } }`,
      { input },
    ),
  ).createSsoProvider;
}

export async function updateProvider(t: TestApp, id: string, input: Record<string, unknown>) {
  return t.gql(`mutation($id: ID!, $input: UpdateSsoProviderInput!) { updateSsoProvider(id: $id, input: $input) { id } }`, { id, input });
}

export const errorOf = (h: Hop) =>
  h.location.startsWith('/sign-in?') ? new URLSearchParams(h.location.split('?')[1]).get('sso_error') : null;
