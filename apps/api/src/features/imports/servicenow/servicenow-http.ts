/**
 * The HTTP side of a ServiceNow pull: GET requests to the REST API with basic authentication,
 * retried with exponential backoff and jitter on 429 (honouring Retry-After), 5xx and network
 * errors, a bounded number of attempts, answers read up to a size limit, and every way an instance
 * can answer wrongly (a login page instead of JSON, a redirect to single sign-on, truncated JSON,
 * 401) turned into a PullError with a message the user can act on.
 */

export class PullError extends Error {}

export interface HttpOptions {
  /** https://<name>.service-now.com, normalised by instanceUrl(). */
  base: URL;
  user: string;
  password: string;
  /** Attempts per request, the first included (default 6). */
  maxAttempts?: number;
  /** First backoff delay, doubled each attempt up to maxDelayMs (defaults 1 s and 60 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per request (default 120 s). */
  timeoutMs?: number;
  /** Largest answer read (default 64 MiB): a bigger page is refused with a hint to lower --page-size. */
  maxBytes?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Told of each retry (the CLI prints it). */
  onRetry?: (what: string, attempt: number, waitMs: number) => void;
}

export interface JsonAnswer {
  status: number;
  body: unknown;
  headers: Headers;
  url: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The instance's base URL from what the user typed: a full URL, a host, or the bare instance name
 * ("acme" -> https://acme.service-now.com). Plain http only for localhost or with allowHttp: the
 * password goes in every request.
 */
export function instanceUrl(typed: string, allowHttp = false): URL {
  const text = typed.trim();
  let url: URL;
  try {
    url = new URL(
      /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : /^[a-z0-9-]+$/i.test(text) ? `https://${text}.service-now.com` : `https://${text}`,
    );
  } catch {
    throw new PullError(`--instance: "${typed}" is not a URL (e.g. https://acme.service-now.com)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PullError(`--instance: ${url.protocol} is not http(s)`);
  if (url.protocol === 'http:' && !allowHttp && !LOCAL_HOSTS.has(url.hostname))
    throw new PullError(
      `--instance: ${url.origin} is plain http: the password would cross the network readable. Use https, or pass --allow-http ` +
        'if this is a test instance you trust.',
    );
  if (url.username || url.password) throw new PullError('--instance: no user or password in the URL (use --user and SERVICENOW_PASSWORD)');
  return new URL(url.origin);
}

export function backoffMs(attempt: number, base: number, max: number, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  // "Equal jitter": half the delay fixed, half random, so many clients do not retry in step.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const RETRIED = new Set([429, 500, 502, 503, 504]);

export class ServiceNowHttp {
  private readonly auth: string;
  requests = 0;

  constructor(private readonly o: HttpOptions) {
    this.auth = `Basic ${Buffer.from(`${o.user}:${o.password}`, 'utf8').toString('base64')}`;
  }

  /**
   * GET a path (or a full URL on the instance, such as a Link rel="next") and its JSON. 403 is
   * returned (the caller decides: sys_audit without rights is not fatal); other refusals throw.
   */
  async getJson(pathOrUrl: string, what: string): Promise<JsonAnswer> {
    const url = new URL(pathOrUrl, this.o.base);
    // Credentials only ever go to the instance itself, whatever a Link header says.
    if (url.origin !== this.o.base.origin)
      throw new PullError(`${what}: the instance sent a link to another site (${url.origin}); stopped`);
    const max = this.o.maxAttempts ?? 6;
    const doFetch = this.o.fetch ?? fetch;
    const sleep = this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let last = '';
    for (let attempt = 1; attempt <= max; attempt++) {
      let res: Response;
      this.requests++;
      try {
        res = await doFetch(url, {
          headers: { authorization: this.auth, accept: 'application/json' },
          redirect: 'manual',
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 120_000),
        });
      } catch (err) {
        last = `could not reach ${url.origin}: ${errorText(err)}`;
        if (attempt < max) {
          const wait = backoffMs(attempt, this.o.baseDelayMs ?? 1000, this.o.maxDelayMs ?? 60_000);
          this.o.onRetry?.(`${what}: ${last}`, attempt, wait);
          await sleep(wait);
          continue;
        }
        break;
      }
      if (RETRIED.has(res.status)) {
        await res.body?.cancel().catch(() => {});
        last = `${url.origin} answered ${res.status}${res.status === 429 ? ' (rate limited)' : ''}`;
        if (attempt < max) {
          const asked = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get('retry-after')) : null;
          const wait =
            asked !== null
              ? Math.min(asked, this.o.maxDelayMs ?? 60_000)
              : backoffMs(attempt, this.o.baseDelayMs ?? 1000, this.o.maxDelayMs ?? 60_000);
          this.o.onRetry?.(`${what}: ${last}`, attempt, wait);
          await sleep(wait);
          continue;
        }
        break;
      }
      if (res.status === 401) {
        await res.body?.cancel().catch(() => {});
        throw new PullError(
          `${what}: ${url.origin} refused the user name or password (401). Check --user and SERVICENOW_PASSWORD; the user needs ` +
            'the web service access and read access to the incident table.',
        );
      }
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel().catch(() => {});
        throw new PullError(
          `${what}: ${url.origin} redirected to ${res.headers.get('location') ?? 'somewhere else'} (${res.status}) instead of answering: ` +
            'single sign-on? Use a local user with basic authentication for the REST API.',
        );
      }
      const text = await readLimited(res, this.o.maxBytes ?? 64 * 1024 * 1024, what);
      if (res.status === 403) return { status: 403, body: safeJson(text), headers: res.headers, url: url.href };
      if (res.status !== 200)
        throw new PullError(`${what}: ${url.origin} answered ${res.status}${errorDetail(safeJson(text)) ?? `: ${snippet(text)}`}`);
      const type = res.headers.get('content-type') ?? '';
      if (/html/i.test(type) || /^\s*</.test(text))
        throw new PullError(
          `${what}: ${url.origin} answered with an HTML page instead of JSON (a login page, or an instance that is asleep or under ` +
            `maintenance?): ${snippet(text)}`,
        );
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new PullError(`${what}: the answer is not valid JSON (cut short?): ${errorText(err)}`);
      }
      return { status: 200, body, headers: res.headers, url: url.href };
    }
    throw new PullError(`${what}: gave up after ${max} attempts: ${last}`);
  }
}

async function readLimited(res: Response, max: number, what: string): Promise<string> {
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (length > max) {
    await res.body?.cancel().catch(() => {});
    throw new PullError(`${what}: the answer is ${length} bytes, more than the ${max} read; lower --page-size`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        throw new PullError(`${what}: the answer is more than the ${max} bytes read; lower --page-size`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof PullError) throw err;
    throw new PullError(`${what}: the answer was cut short: ${errorText(err)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** ServiceNow's error answer: {"error": {"message", "detail"}, "status": "failure"}. */
export function errorDetail(body: unknown): string | null {
  const e = (body as { error?: { message?: unknown; detail?: unknown } } | null)?.error;
  if (!e || typeof e !== 'object') return null;
  return `: ${[e.message, e.detail].filter((x) => typeof x === 'string' && x).join(' - ')}`;
}

function snippet(text: string): string {
  const t = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return JSON.stringify(t.length > 120 ? `${t.slice(0, 120)}...` : t);
}

function errorText(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string; code?: string } };
  return [e?.message ?? String(err), e?.cause?.code ?? e?.cause?.message].filter(Boolean).join(': ');
}

/** The rel="next" URL of a Link header (`<https://...>;rel="next",<...>;rel="last"`). */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /\brel\s*=\s*"?next"?/i.test(m[2])) return m[1];
  }
  return null;
}
