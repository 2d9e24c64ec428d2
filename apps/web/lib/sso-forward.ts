// The single sign-on routes of the web origin (/auth/sso/<slug>/start, /callback, /logout) forward
// to the API's routes of the same path, so the provider redirects the browser here and every cookie
// (the sign-in binding, the session) is set on the web app's own origin. The API's answer is a
// redirect; its Location and Set-Cookie come back as they are.
import { apiBase } from './status-api';
import { clientAddressHeaders } from './upstream';

const FORWARDED = ['cookie', 'user-agent', 'x-request-id'];

export async function forwardSso(request: Request, slug: string, action: 'start' | 'callback' | 'logout'): Promise<Response> {
  const search = new URL(request.url).search;
  const headers = new Headers(clientAddressHeaders(request.headers));
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  const out = new Headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  let upstream: Response;
  try {
    upstream = await fetch(`${apiBase()}/auth/sso/${encodeURIComponent(slug)}/${action}${search}`, {
      headers,
      redirect: 'manual',
      cache: 'no-store',
    });
  } catch {
    out.set('location', '/sign-in?sso_error=SIGN_IN_FAILED');
    return new Response(null, { status: 302, headers: out });
  }
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  const location = upstream.headers.get('location');
  if (location) out.set('location', location);
  out.set('content-type', upstream.headers.get('content-type') ?? 'text/plain; charset=utf-8');
  return new Response(upstream.status === 302 ? null : upstream.body, { status: upstream.status, headers: out });
}
