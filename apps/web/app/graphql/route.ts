// Same-origin GraphQL endpoint for the browser: forwards to API_URL, so the browser never needs
// CORS. Only POST (queries and mutations as JSON). The session cookie, the CSRF token and API
// tokens go through as they are, and the API's Set-Cookie (sign-in, sign-out) comes back unchanged.
import { apiUrl } from '@/lib/api-url';
import { describeError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

const FORWARDED = ['cookie', 'authorization', 'x-csrf-token', 'x-request-id', 'user-agent'];

export async function POST(request: Request): Promise<Response> {
  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' });
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }

  let upstream: Response;
  try {
    upstream = await fetch(apiUrl(), { method: 'POST', headers, body: await request.text(), cache: 'no-store', signal: request.signal });
  } catch (err) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const message = `Cannot reach the API at ${apiUrl()} (${describeError(err)}).`;
    return Response.json({ errors: [{ message, extensions: { code: 'API_UNREACHABLE' } }] }, { status: 502 });
  }
  const out = new Headers({ 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' });
  const id = upstream.headers.get('x-request-id');
  if (id) out.set('x-request-id', id);
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  return new Response(upstream.body, { status: upstream.status, headers: out });
}
