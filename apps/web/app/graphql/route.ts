// Same-origin GraphQL endpoint for the browser: forwards to API_URL, so the browser never needs
// CORS. Only POST (queries and mutations as JSON). The session cookie, the CSRF token and API
// tokens go through as they are, with the browser's address (lib/upstream.ts); the API's
// Set-Cookie (sign-in, sign-out), Retry-After (rate limited) and WWW-Authenticate come back.
// Bodies are read as a stream up to MAX_BODY_BYTES (server.mjs already refused a Content-Length
// over it), so a huge chunked body is never held in memory nor forwarded.
import { apiUrl } from '@/lib/api-url';
import { describeError } from '@/lib/errors';
import { clientAddressHeaders } from '@/lib/upstream';
import { parseMaxBodyBytes, payloadTooLarge } from '@/server/body-limit.mjs';

export const dynamic = 'force-dynamic';

const FORWARDED = ['cookie', 'authorization', 'x-csrf-token', 'x-request-id', 'user-agent'];
/** Headers of the API's answer the browser needs; the rest (hop-by-hop, internal) stay here. */
const RETURNED = ['x-request-id', 'retry-after', 'www-authenticate', 'content-language'];

const maxBodyBytes = parseMaxBodyBytes(process.env.MAX_BODY_BYTES);

class TooLarge extends Error {}

/** The whole body, or TooLarge as soon as it passes `limit` bytes (the rest is never read). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export async function POST(request: Request): Promise<Response> {
  let body: Uint8Array;
  try {
    body = await readLimited(request, maxBodyBytes);
  } catch (err) {
    // `connection: close`: the client may still be sending; do not read the rest to keep the connection.
    if (err instanceof TooLarge)
      return Response.json(payloadTooLarge(maxBodyBytes), { status: 413, headers: { connection: 'close', 'cache-control': 'no-store' } });
    if (request.signal.aborted) return new Response(null, { status: 499 });
    return Response.json(
      { errors: [{ message: `The request body could not be read (${describeError(err)}).`, extensions: { code: 'BAD_REQUEST' } }] },
      { status: 400 },
    );
  }

  const headers = new Headers({
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    ...clientAddressHeaders(request.headers),
  });
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }

  let upstream: Response;
  try {
    upstream = await fetch(apiUrl(), { method: 'POST', headers, body: body as BodyInit, cache: 'no-store', signal: request.signal });
  } catch (err) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const message = `Cannot reach the API at ${apiUrl()} (${describeError(err)}).`;
    return Response.json({ errors: [{ message, extensions: { code: 'API_UNREACHABLE' } }] }, { status: 502 });
  }
  const out = new Headers({ 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' });
  for (const name of RETURNED) {
    const value = upstream.headers.get(name);
    if (value) out.set(name, value);
  }
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  return new Response(upstream.body, { status: upstream.status, headers: out });
}
