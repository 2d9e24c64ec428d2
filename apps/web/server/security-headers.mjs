// Headers every answer of the web server carries (pages, the /graphql proxy, route handlers,
// static files, errors). The CSP is strict and nonce-based: Next.js writes its inline scripts with
// the nonce it finds in the request's own Content-Security-Policy header, and 'strict-dynamic'
// lets the scripts those load in turn run, so no script source list is needed.
import { randomBytes } from 'node:crypto';

export const STATIC_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  // frame-ancestors 'none' for browsers that read CSP; this for those that do not.
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/** 144 random bits, base64 without padding: what Next.js accepts as a nonce. */
export function newNonce() {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(nonce, { dev = false } = {}) {
  return [
    "default-src 'self'",
    // The development server's React refresh evaluates code; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // recharts (and React's style={...}) write style attributes: those need 'unsafe-inline', and a
    // nonce here would switch 'unsafe-inline' off. Styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
  ].join('; ');
}
