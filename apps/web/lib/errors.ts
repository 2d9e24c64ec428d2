type GqlError = { message: string; extensions?: { code?: string; [k: string]: unknown } };

function graphQLErrors(err: unknown): GqlError[] {
  if (err && typeof err === 'object') {
    const e = err as { errors?: unknown; graphQLErrors?: unknown };
    if (Array.isArray(e.errors)) return e.errors as GqlError[];
    if (Array.isArray(e.graphQLErrors)) return e.graphQLErrors as GqlError[];
  }
  return [];
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
