import type { IncomingMessage } from 'node:http';

const ALLOW_HEADERS = 'content-type, authorization, x-request-id, x-csrf-token, apollo-require-preflight';

/**
 * Cross-origin access, off unless CORS_ORIGINS lists the origin. The web app's browser code talks
 * to its own /graphql (a same-origin proxy), so the API needs no CORS for it; reflecting any
 * Origin with credentials let any page a signed-in user visited read their CSRF token and act as
 * them.
 */
export class CorsPolicy {
  private readonly allowed: Set<string>;

  constructor(origins: readonly string[]) {
    this.allowed = new Set(origins);
  }

  /** Headers for an answer to this request: the allow headers for a listed origin, else none. */
  headers(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!this.allowed.size) return {};
    if (!origin || !this.allowed.has(origin)) return { vary: 'Origin' };
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': ALLOW_HEADERS,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-max-age': '600',
      vary: 'Origin',
    };
  }

  /**
   * Why a request from a browser page of another origin is refused, or null. Only requests that
   * carry the session cookie matter (an API token is not sent by browsers on their own), and a page
   * served by the API's own host is not cross-origin.
   */
  refusal(req: IncomingMessage): string | null {
    const origin = req.headers.origin;
    if (!origin || this.allowed.has(origin) || sameHost(origin, req.headers.host)) return null;
    // A preflight, or a request that would act with the browser's session cookie.
    if (req.method !== 'OPTIONS' && !req.headers.cookie) return null;
    return `Cross-origin requests from ${origin.slice(0, 200)} are not allowed (an operator can allow an origin with CORS_ORIGINS)`;
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false; // "null" (sandboxed frames, file:) or junk
  }
}
