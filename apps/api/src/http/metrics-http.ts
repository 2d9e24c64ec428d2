import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { registry } from './metrics';
import { sendJson, sendText } from './respond';

/**
 * Who may read /metrics, and where.
 *
 * - METRICS_PORT set: only on a listener of its own on METRICS_HOST (default 127.0.0.1); the API
 *   port answers /metrics like any unknown path (404). With API_WORKERS > 1 the primary process
 *   listens there and answers the sum over the workers.
 * - Otherwise on the API port: with METRICS_TOKEN, only to `Authorization: Bearer <METRICS_TOKEN>`
 *   (else 401); without it, only to a caller whose connection comes from a loopback address and
 *   that was not forwarded (no X-Forwarded-For, Forwarded, X-Real-IP or the web app's client
 *   address header: a proxy on the same machine does not make its clients local); else 404, as
 *   an unknown path.
 * - The separate listener also asks for the token when METRICS_TOKEN is set.
 */
export const METRICS_PATH = '/metrics';

export interface MetricsOptions {
  /** METRICS_TOKEN. */
  token?: string;
  /** METRICS_PORT is set: /metrics is served there only, not on the API port. */
  separatePort: boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function bearerMatches(req: IncomingMessage, tokenDigest: Buffer): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return !!m && timingSafeEqual(digest(m[1]!), tokenDigest);
}

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-ikb-client-address'];

export function isLoopbackCaller(req: IncomingMessage): boolean {
  let a = req.socket.remoteAddress ?? '';
  if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
  const loopback = a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
  return loopback && !FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
}

/** The current scrape: the sum over the workers in a cluster, else this process's registry. */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  const contentType = registry.contentType;
  if (cluster.isWorker) return { contentType, body: await askPrimary() };
  if (clusterPrimary) return { contentType, body: await registry.clusterMetrics() };
  return { contentType, body: await registry.metrics() };
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'Use GET for /metrics' }, { allow: 'GET, HEAD' });
  let out;
  try {
    out = await scrape();
  } catch (err) {
    return sendJson(
      res,
      503,
      { error: `Metrics are unavailable right now: ${err instanceof Error ? err.message : String(err)}` },
      { 'retry-after': '5' },
    );
  }
  if (req.method === 'HEAD') {
    res.writeHead(200, { 'content-type': out.contentType, 'content-length': String(Buffer.byteLength(out.body)) });
    return void res.end();
  }
  sendText(res, 200, { 'content-type': out.contentType }, out.body);
}

/**
 * GET /metrics on the API port (http/server.ts): returns false when the request is not let in
 * there, and the server answers it as an unknown path.
 */
export function metricsOnApiPort(opts: MetricsOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const tokenDigest = opts.token ? digest(opts.token) : undefined;
  return async (req, res) => {
    if (opts.separatePort) return false;
    if (tokenDigest) {
      if (!bearerMatches(req, tokenDigest)) {
        sendJson(
          res,
          401,
          { error: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' },
          { 'www-authenticate': 'Bearer realm="metrics"' },
        );
        return true;
      }
    } else if (!isLoopbackCaller(req)) {
      return false;
    }
    await answer(req, res);
    return true;
  };
}

/** The listener of METRICS_PORT: /metrics and nothing else. */
export async function startMetricsListener(opts: { port: number; host: string; token?: string }): Promise<Server> {
  const tokenDigest = opts.token ? digest(opts.token) : undefined;
  const server = createServer((req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    const path = (req.url ?? '/').split('?')[0];
    if (path !== METRICS_PATH) {
      req.resume();
      return sendJson(res, 404, { error: `Only ${METRICS_PATH} is served here` });
    }
    if (tokenDigest && !bearerMatches(req, tokenDigest)) {
      return sendJson(
        res,
        401,
        { error: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' },
        { 'www-authenticate': 'Bearer realm="metrics"' },
      );
    }
    answer(req, res).catch(() => res.destroy());
  });
  // A scraper keeps its connection; do not let an idle one hold a stopping process.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

// ---- node:cluster ----

const SCRAPE_REQ = 'ikb:metrics:scrape';
const SCRAPE_RES = 'ikb:metrics:result';

let clusterPrimary = false;

interface ScrapeMessage {
  type: typeof SCRAPE_REQ | typeof SCRAPE_RES;
  id: number;
  body?: string;
  error?: string;
}

/**
 * In the primary of API_WORKERS > 1 (main.ts): answers the workers' scrapes (GET /metrics on the
 * API port, without METRICS_PORT) with the sum over every worker, and listens on METRICS_PORT
 * when it is set. Returns that listener, if any.
 */
export async function serveClusterMetrics(opts: { port?: number; host: string; token?: string }): Promise<Server | undefined> {
  clusterPrimary = true;
  cluster.on('message', (worker, message: ScrapeMessage) => {
    if (message?.type !== SCRAPE_REQ) return;
    registry.clusterMetrics().then(
      (body) => worker.isConnected() && worker.send({ type: SCRAPE_RES, id: message.id, body } satisfies ScrapeMessage),
      (err: unknown) =>
        worker.isConnected() &&
        worker.send({ type: SCRAPE_RES, id: message.id, error: err instanceof Error ? err.message : String(err) } satisfies ScrapeMessage),
    );
  });
  return opts.port === undefined ? undefined : startMetricsListener({ port: opts.port, host: opts.host, token: opts.token });
}

let nextId = 0;
const waiting = new Map<number, { resolve(body: string): void; reject(err: Error): void }>();
let listening = false;

/** A worker's scrape: the primary sums every worker's registry (its AggregatorRegistry). */
function askPrimary(): Promise<string> {
  if (!listening) {
    listening = true;
    process.on('message', (message: ScrapeMessage) => {
      if (message?.type !== SCRAPE_RES) return;
      const w = waiting.get(message.id);
      if (!w) return;
      waiting.delete(message.id);
      if (message.error !== undefined) w.reject(new Error(message.error));
      else w.resolve(message.body ?? '');
    });
  }
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the primary process did not answer'));
    }, 7000);
    timer.unref();
    waiting.set(id, {
      resolve: (body) => (clearTimeout(timer), resolve(body)),
      reject: (err) => (clearTimeout(timer), reject(err)),
    });
    process.send!({ type: SCRAPE_REQ, id } satisfies ScrapeMessage);
  });
}
