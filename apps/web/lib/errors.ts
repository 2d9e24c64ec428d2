/** One readable line for an error from Apollo, fetch or anything else. */
export function describeError(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: string; errors?: { message: string }[]; cause?: unknown; name?: string; statusCode?: number };
    if (Array.isArray(e.errors) && e.errors.length) return e.errors.map((x) => x.message).join('; ');
    const cause = e.cause as { message?: string; code?: string } | undefined;
    if (cause && typeof cause === 'object' && cause.message) return `${e.message ?? 'Request failed'}: ${cause.message}`;
    if (e.name === 'TimeoutError') return 'the API did not answer in time';
    if (e.message) return e.message;
  }
  return String(err);
}
