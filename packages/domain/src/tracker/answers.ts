// What a tracker's HTTP answer means for a sync job: done, try again later (and when), or stop
// with an error an admin can read. Jira Cloud and GitHub signal limits differently: Jira answers
// 429 with Retry-After; GitHub answers 403 or 429 with x-ratelimit-remaining: 0 and
// x-ratelimit-reset (epoch seconds) for its primary limit, and 403 or 429 with a message naming a
// "secondary rate limit" (Retry-After when it gives one, else wait at least a minute).
import { retryAfterToMs, type SendOutcome } from '../notify/retry';
import type { TrackerKind } from './status';

export interface TrackerAnswer {
  status: number | null;
  /** Header lookup, lower-case names. */
  header: (name: string) => string | null;
  /** The parsed JSON body, or the text when it is not JSON; null when empty. */
  body: unknown;
  /** Why there was no answer (connection refused, timeout). */
  error?: string;
}

const SECONDARY_WAIT_MS = 60_000;

export function classifyTrackerAnswer(kind: TrackerKind, a: TrackerAnswer, nowMs: number): SendOutcome {
  const name = kind === 'JIRA' ? 'Jira' : 'GitHub';
  if (a.status === null) return { kind: 'retry', reason: `${name} did not answer: ${a.error ?? 'no answer'}`, retryAfterMs: null };
  if (a.status >= 200 && a.status < 300) return { kind: 'delivered' };
  const words = trackerErrorInWords(kind, a.status, a.body);
  if (kind === 'GITHUB' && (a.status === 403 || a.status === 429)) {
    const remaining = a.header('x-ratelimit-remaining');
    const message =
      typeof a.body === 'object' && a.body !== null ? String((a.body as { message?: unknown }).message ?? '') : String(a.body ?? '');
    if (remaining === '0') {
      const reset = Number(a.header('x-ratelimit-reset'));
      const wait = Number.isFinite(reset) && reset * 1000 > nowMs ? reset * 1000 - nowMs : SECONDARY_WAIT_MS;
      return { kind: 'retry', reason: `${words} (rate limit used up; it resets then)`, retryAfterMs: wait };
    }
    if (/secondary rate limit|abuse/i.test(message) || a.header('retry-after')) {
      return { kind: 'retry', reason: words, retryAfterMs: retryAfterToMs(a.header('retry-after'), nowMs) ?? SECONDARY_WAIT_MS };
    }
    return { kind: 'refused', reason: words };
  }
  if (a.status === 408 || a.status === 425 || a.status === 429 || a.status >= 500)
    return { kind: 'retry', reason: words, retryAfterMs: retryAfterToMs(a.header('retry-after'), nowMs) };
  return { kind: 'refused', reason: words };
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * An error answer in plain words: the status's meaning, then what the tracker said. Jira's body is
 * `{ errorMessages: [...], errors: { field: message } }` (401 may come as plain text); GitHub's is
 * `{ message, errors: [{ resource, field, code, message? }], documentation_url }`.
 */
export function trackerErrorInWords(kind: TrackerKind, status: number, body: unknown): string {
  const name = kind === 'JIRA' ? 'Jira' : 'GitHub';
  const meaning: Record<number, string> = {
    400: 'refused the request',
    401: 'did not accept the credentials (check the e-mail and API token, or the token)',
    403: 'refused: the account lacks a permission',
    404: 'does not know that project, repository or issue (or the account cannot see it)',
    410: 'says it is gone (issues may be turned off for the repository)',
    422: 'refused the values sent',
    429: 'asked us to slow down (rate limit)',
  };
  const head = `${name} answered ${status}: ${meaning[status] ?? (status >= 500 ? 'a server error on its side' : 'an error')}`;
  const said: string[] = [];
  if (typeof body === 'string' && body.trim())
    said.push(
      clip(
        body
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
        200,
      ),
    );
  else if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (Array.isArray(b.errorMessages)) said.push(...b.errorMessages.slice(0, 5).map((m) => clip(text(m), 200)));
    if (b.errors && typeof b.errors === 'object' && !Array.isArray(b.errors))
      said.push(
        ...Object.entries(b.errors as Record<string, unknown>)
          .slice(0, 5)
          .map(([k, v]) => `${clip(k, 60)}: ${clip(text(v), 200)}`),
      );
    if (typeof b.message === 'string') said.push(clip(b.message, 200));
    if (Array.isArray(b.errors))
      for (const e of b.errors.slice(0, 5)) {
        if (e && typeof e === 'object') {
          const x = e as Record<string, unknown>;
          const what = [x.resource, x.field].filter((v) => typeof v === 'string').join('.');
          const why = typeof x.message === 'string' ? x.message : typeof x.code === 'string' ? x.code : '';
          said.push(clip(`${what}${what && why ? ': ' : ''}${why}`, 200));
        } else if (typeof e === 'string') said.push(clip(e, 200));
      }
  }
  const detail = said.filter(Boolean).join('; ');
  return detail ? `${head} (${clip(detail, 600)})` : head;
}
