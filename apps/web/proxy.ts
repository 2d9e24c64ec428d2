// Runs before every page: tells server components which path was asked for (so /sign-in can send
// the browser back there), and sends a browser without a session cookie straight to /sign-in
// without asking the API, except on /sign-in itself, /setup (the first admin's one-time link,
// opened before anyone can sign in), the public status page (/status and its subscription
// links) and single sign-on's routes (/auth/sso/<slug>/start, callback, logout: they sign people
// in). Whether a cookie is still a valid session is decided by the API (the (app) layout and
// lib/server.ts redirect when `me.user` is null or a query is UNAUTHENTICATED).
import { NextResponse, type NextRequest } from 'next/server';

const SESSION_COOKIE = 'ikb_session';
/** Pages a signed-out browser may open. */
const PUBLIC_PATHS = new Set(['/sign-in', '/setup', '/status', '/status/confirm', '/status/unsubscribe']);

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // A path with a broken %-escape (/incidents/%E0%A4%A) names no page: Next would fail decoding its
  // segment with a 500, so it is refused here as the malformed request it is.
  if (!decodes(pathname)) {
    return new NextResponse('Bad request: the path has a malformed %-escape.\n', {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  const signedOut = !request.cookies.has(SESSION_COOKIE) && !request.headers.has('authorization');
  if (signedOut && !PUBLIC_PATHS.has(pathname) && !pathname.startsWith('/auth/sso/')) {
    const url = request.nextUrl.clone();
    url.pathname = '/sign-in';
    url.search = pathname === '/' && !search ? '' : `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  const headers = new Headers(request.headers);
  headers.set('x-ikb-path', pathname + search);
  return NextResponse.next({ request: { headers } });
}

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  // Not the GraphQL proxy, Next's own files, or static assets.
  matcher: ['/((?!graphql|_next/|favicon\\.ico|robots\\.txt|.*\\.(?:png|svg|ico|css|js|map|txt)$).*)'],
};
