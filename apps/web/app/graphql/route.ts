// Same-origin GraphQL endpoint for the browser: forwards to API_URL with the acting user, so the
// browser never needs CORS. Only POST (queries and mutations as JSON).
import { ACTOR_COOKIE, ACTOR_HEADER } from '@/lib/actor';
import { apiUrl } from '@/lib/api-url';
import { describeError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' });
  const cookieActor = request.headers
    .get('cookie')
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${ACTOR_COOKIE}=`))
    ?.slice(ACTOR_COOKIE.length + 1);
  const actor = request.headers.get(ACTOR_HEADER) ?? (cookieActor ? decodeURIComponent(cookieActor) : null);
  if (actor) headers.set(ACTOR_HEADER, actor);
  // Forwarded as they are, so sign-in (session cookie, CSRF token) and API tokens work through here too.
  for (const name of ['x-request-id', 'authorization', 'cookie', 'x-csrf-token']) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }

  let upstream: Response;
  try {
    upstream = await fetch(apiUrl(), { method: 'POST', headers, body: await request.text(), cache: 'no-store' });
  } catch (err) {
    const message = `Cannot reach the API at ${apiUrl()} (${describeError(err)}).`;
    return Response.json({ errors: [{ message, extensions: { code: 'API_UNREACHABLE' } }] }, { status: 502 });
  }
  const out = new Headers({ 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
  const id = upstream.headers.get('x-request-id');
  if (id) out.set('x-request-id', id);
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  return new Response(upstream.body, { status: upstream.status, headers: out });
}
