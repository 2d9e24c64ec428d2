type GqlError = { message: string; extensions?: { code?: string; [k: string]: unknown } };

function graphQLErrors(err: unknown): GqlError[] {
  if (err && typeof err === 'object') {
    const e = err as { errors?: unknown; graphQLErrors?: unknown; bodyText?: unknown };
    if (Array.isArray(e.errors)) return e.errors as GqlError[];
    if (Array.isArray(e.graphQLErrors)) return e.graphQLErrors as GqlError[];
    // Apollo's ServerError: the API answered 4xx/5xx (401 UNAUTHENTICATED, 429, 503) with its errors as JSON.
    if (typeof e.bodyText === 'string' && e.bodyText.startsWith('{')) {
      try {
        const body = JSON.parse(e.bodyText) as { errors?: unknown };
        if (Array.isArray(body.errors)) return body.errors as GqlError[];
      } catch {}
    }
  }
  return [];
}

/** The HTTP status and Retry-After of a non-200 answer of the API (Apollo's ServerError); none when it was not reached. */
export function httpAnswer(err: unknown): { status?: number; retryAfter?: string } {
  const e = err as { statusCode?: unknown; response?: { headers?: { get?: (n: string) => string | null } } } | null;
  if (!e || typeof e !== 'object' || typeof e.statusCode !== 'number') return {};
  return { status: e.statusCode, retryAfter: e.response?.headers?.get?.('retry-after') ?? undefined };
}

/**
 * The HTTP status a route handler answers when its API call failed: the resource is missing for
 * an id that is malformed or unknown (404), the caller's own problems keep their status, and 502
 * is kept for an API that could not be reached at all.
 */
export function statusForFailure(f: { codes?: string[]; status?: number }): number {
  const codes = f.codes ?? [];
  if (codes.includes('NOT_FOUND') || codes.includes('BAD_USER_INPUT')) return 404;
  if (codes.includes('UNAUTHENTICATED')) return 401;
  if (codes.includes('FORBIDDEN')) return 403;
  if (codes.includes('RATE_LIMITED') || f.status === 429) return 429;
  if (codes.includes('SERVICE_UNAVAILABLE') || f.status === 503) return 503;
  if (f.status === undefined && codes.length === 0) return 502;
  return f.status && f.status >= 400 && f.status < 500 ? f.status : 500;
}

/** The `extensions.code` of each GraphQL error in an Apollo error (UNAUTHENTICATED, FORBIDDEN ...). */
export function errorCodes(err: unknown): string[] {
  return graphQLErrors(err)
    .map((e) => e.extensions?.code)
    .filter((c): c is string => typeof c === 'string');
}

function describeOne(e: GqlError): string {
  switch (e.extensions?.code) {
    case 'FORBIDDEN':
      return `Not allowed for your role: ${e.message}.`;
    case 'UNAUTHENTICATED':
      return `You are not signed in (or your session ended): ${e.message}. Sign in again.`;
    case 'CSRF_TOKEN_MISSING':
      return `${e.message}. Reload the page and try again.`;
    default:
      return e.message;
  }
}

/** One message of a failed call, with the input path it concerns when the API named one (e.g. "input.dueDate"). */
export interface FieldError {
  field?: string;
  message: string;
}

/**
 * The messages of an error, each with its field: a validation error lists every bad field in
 * extensions.fields (one message each), other errors name one field in extensions.field.
 */
export function fieldErrors(err: unknown): FieldError[] {
  const list = graphQLErrors(err);
  if (!list.length) return [{ message: describeError(err) }];
  return list.flatMap((e): FieldError[] => {
    const fields = e.extensions?.fields;
    if (Array.isArray(fields) && fields.length) {
      return (fields as { field?: unknown; messages?: unknown }[]).flatMap((f) =>
        (Array.isArray(f.messages) ? f.messages : []).map((m) => ({
          field: typeof f.field === 'string' ? f.field : undefined,
          // Messages about one field read as sentences of their own beside it ("end 09:00 must be ..." -> "End 09:00 must be ...").
          message: `${String(m).charAt(0).toUpperCase()}${String(m).slice(1)}.`,
        })),
      );
    }
    const field = e.extensions?.field;
    return [{ field: typeof field === 'string' ? field : undefined, message: describeOne(e) }];
  });
}

/** One readable line for an error from Apollo, fetch or anything else. */
export function describeError(err: unknown): string {
  const list = graphQLErrors(err);
  if (list.length) return list.map(describeOne).join('; ');
  if (err && typeof err === 'object') {
    const e = err as { message?: string; cause?: unknown; name?: string; statusCode?: number };
    const cause = e.cause as { message?: string; code?: string } | undefined;
    if (cause && typeof cause === 'object' && cause.message) return `${e.message ?? 'Request failed'}: ${cause.message}`;
    if (e.name === 'TimeoutError') return 'the API did not answer in time';
    if (e.message) return e.message;
  }
  return String(err);
}

/**
 * Seconds to wait from a Retry-After header (delay-seconds or an HTTP date), rounded up; null when
 * absent or unreadable.
 */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.max(1, Number(v));
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - now) / 1000));
}
