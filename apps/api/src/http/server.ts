import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import { currentCounter, runWithSqlCounter } from '../db/sql-counter';
import { formatError, isDatabaseUnavailable, type ErrorCode } from '../errors';
import { knowEnumsOf } from '../graphql/coercion-messages';
import { authenticate, AuthError } from '../features/auth/auth.service';
import { ingestRoute } from '../features/ingest/ingest.http';
import { EXPORT_PREFIX, handleExport } from '../features/exports/export.http';
import { exportRunner } from '../features/exports/export.runner';
import { createContext, type Context, type ReadRoute } from '../graphql/context';
import type { ReplicaRouter } from '../db/replicas';
import { routeReads, replicaTrouble, rememberWrite } from './read-routing';
import { jitGateway, NoProtoNames } from '../graphql/jit-executor';
import { AuthCache, mayChangeCredentials } from './auth-cache';
import { logger } from './logger';
import { clientAddressResolver } from './client-address';
import { CorsPolicy } from './cors';
import { createLimits } from './limits';
import { sweepRateLimitBuckets } from './shared-rate-limit';
import {
  countRejections,
  enableProcessMetrics,
  knowOperationsOf,
  newTrack,
  observeGraphqlAnswer,
  observeRequest,
  operationLabel,
  routeLabel,
  type RequestTrack,
} from './metrics';
import { METRICS_PATH, metricsOnApiPort, type MetricsOptions } from './metrics-http';
import { sendJson, sendText } from './respond';

export interface HttpOptions {
  orm: MikroORM;
  schema: GraphQLSchema;
  maxBodyBytes: number;
  exposeSqlCount: boolean;
  production: boolean;
  rateLimitPerMinute?: number;
  /** How long an API token's check is reused (ms; 0 = every request); see AuthCache. */
  authCacheMs?: number;
  /** Rate limits kept in the database, shared by every instance (a PostgreSQL server); else in this process (see limits.ts). */
  sharedLimits?: boolean;
  /** Execute operations compiled by graphql-jit (default) instead of graphql-js's interpreter; see jit-executor.ts. */
  jit?: boolean;
  /** Extra routes (e.g. alert ingestion), tried for paths other than /graphql; return true when handled. */
  routes?: ((req: IncomingMessage, res: ServerResponse, url: URL, body: () => Promise<string>) => Promise<boolean>)[];
  /** CORS_ORIGINS: origins whose pages may call the API with credentials (default none). */
  corsOrigins?: readonly string[];
  /** PROXY_SECRET and TRUSTED_PROXIES: whose word about the client's address is believed (see client-address.ts). */
  proxySecret?: string;
  trustedProxies?: string[];
  /** METRICS_TOKEN / METRICS_PORT: who may read GET /metrics on this port (see metrics-http.ts). Default: loopback callers. */
  metrics?: MetricsOptions;
  /** DATABASE_REPLICA_URLS: queries read from these replicas when they are healthy (db/replicas.ts). */
  replicas?: ReplicaRouter;
}

/** readCaller: the API token or session whose writes the request's reads must see (read-your-writes). */
type RequestContext = Context & { sqlCount: RequestTrack; readCaller?: string };

/** Largest GraphQL document accepted, in lexical tokens. */
export const MAX_TOKENS = 4000;

class BodyTooLarge extends Error {}

/**
 * Reads the body up to `limit` bytes. Over the limit (announced by Content-Length or found while
 * reading) it rejects with BodyTooLarge and stops keeping the data; the caller answers 413 with
 * `Connection: close`, and the connection is closed once that answer is out, so the client reads
 * the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume(); // drain without keeping anything
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'));
    });
    req.on('error', reject);
  });
}

const graphqlError = (code: ErrorCode, message: string, requestId?: string) => ({
  errors: [{ message, extensions: { code, ...(requestId ? { requestId } : {}) } }],
});

const contextPlugin = (exposeSqlCount: boolean, authCache: AuthCache, replicas?: ReplicaRouter): ApolloServerPlugin<RequestContext> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        if (replicas && operation) await routeReads(replicas, operation, contextValue);
      },
      async willSendResponse({ request, response, contextValue, operation }) {
        // Executed (data present, even null): part of it may have committed. Refused before running: nothing to remember.
        const executed = response.body.kind === 'single' && response.body.singleResult.data !== undefined;
        if (replicas && operation && executed) await rememberWrite(replicas, operation, contextValue);
        // The mutation may have revoked a token or changed a user: cached credentials are re-read.
        if (operation && mayChangeCredentials(operation)) authCache.clear();
        for (const c of contextValue.setCookies) response.http.headers.set('set-cookie', c);
        // A masked internal error names the request id, which the server log has with the details.
        if (response.body.kind === 'single' && response.body.singleResult.errors) {
          const requestId = contextValue.requestId;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) =>
            e.extensions?.code === 'INTERNAL_SERVER_ERROR' || e.extensions?.code === 'SERVICE_UNAVAILABLE'
              ? {
                  ...e,
                  message:
                    `${e.extensions.code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : e.message} ` + `(request id ${requestId})`,
                  extensions: { ...e.extensions, requestId },
                }
              : e,
          );
          // A limit a resolver applies (signIn's per-address and per-account attempts) is an HTTP 429 too.
          const limited = response.body.singleResult.errors.find((e) => e.extensions?.code === 'RATE_LIMITED');
          if (limited && !response.body.singleResult.data) {
            response.http.status = 429;
            response.http.headers.set('retry-after', String(limited.extensions?.retryAfter ?? 60));
          }
          // The database went away mid-request: the mutation's transaction did not commit (unless the
          // connection died during COMMIT itself, which no client can tell); answer 503 as when the
          // database is already down before the request runs, so clients and balancers retry.
          if (response.body.singleResult.errors.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) {
            response.http.status = 503;
            response.http.headers.set('retry-after', '1');
          }
        }
        if (exposeSqlCount && response.body.kind === 'single') {
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            sqlStatements: contextValue.sqlCount.statements,
            // With replicas: how many of them ran on one (the rest ran on the primary).
            ...(replicas ? { sqlStatementsOnReplica: contextValue.sqlCount.replicaStatements ?? 0 } : {}),
          };
        }
        const track = contextValue.sqlCount;
        track.operation = operationLabel(request.operationName, operation);
        // A replica failed under it: the answer observed is the one the primary gives next.
        if (contextValue.route.failure === undefined)
          observeGraphqlAnswer(track, response.body.kind === 'single' ? response.body.singleResult.errors : undefined);
      },
      async didEncounterErrors({ errors, contextValue }) {
        if (replicaTrouble(contextValue.route, errors)) return;
        for (const e of errors) {
          const code = e.extensions?.code;
          if (!code || code === 'INTERNAL_SERVER_ERROR')
            logger.error({ requestId: contextValue.requestId, err: e.originalError ?? e, path: e.path }, 'graphql error');
        }
      },
    };
  },
});

/**
 * Plain node:http around Apollo: GraphQL at /graphql, probes at /healthz and /readyz. Bodies are
 * size-limited, callers rate-limited, credentials read before execution, and GraphQL documents
 * checked for depth, cost, aliases and tokens before they run.
 */
export async function createHttpServer(opts: HttpOptions): Promise<{
  server: Server;
  apollo: ApolloServer<RequestContext>;
  /** For the listener that keeps it in agreement with other instances (auth-listener.ts). */
  authCache: AuthCache;
  /** Stops the background work of the limits (call after the server has closed). */
  stopLimits: () => void;
}> {
  // Limits sized for cursor connections: incidents { edges { node { problem { workarounds { ... } } } } } is depth 8.
  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    maxAliases: { n: 20 },
    // Tokens are limited by graphql-js's own parser (parseOptions below): armor's max-tokens plugin
    // throws from Apollo's parsingDidStart hook, which turns every syntax error into an HTTP 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    costLimit: { maxCost: 20_000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 },
    blockFieldSuggestion: { enabled: opts.production },
  }).protect();
  const authCache = new AuthCache(opts.authCacheMs ?? 5000);
  knowOperationsOf(opts.schema);
  knowEnumsOf(opts.schema);
  enableProcessMetrics();
  const apollo = new ApolloServer<RequestContext>({
    logger: apolloLogger,
    ...(opts.jit === false ? { schema: opts.schema } : { gateway: jitGateway(opts.schema) }),
    formatError,
    introspection: !opts.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown: it drains HTTP first, then stops Apollo, the ORM and the database.
    stopOnTerminationSignals: false,
    validationRules: [...armor.validationRules, NoProtoNames],
    parseOptions: { maxTokens: MAX_TOKENS },
    // No HTTP caching of GraphQL answers here, and its hook on every field costs time.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ...armor.plugins,
      contextPlugin(opts.exposeSqlCount, authCache, opts.replicas),
    ] as ApolloServerPlugin<RequestContext>[],
  });
  await apollo.start();
  const limits = countRejections(createLimits(opts.rateLimitPerMinute ?? 1200, opts.sharedLimits ? opts.orm.em : undefined));
  const stopLimits = opts.sharedLimits ? sweepRateLimitBuckets(opts.orm.em) : () => {};
  const metrics = metricsOnApiPort(opts.metrics ?? { separatePort: false });
  const cors = new CorsPolicy(opts.corsOrigins ?? []);
  const clientAddress = clientAddressResolver(opts);

  const routes = [
    ingestRoute({ ...opts, limiter: limits.requests, guard: { authFailures: limits.authFailures, clientAddress } }),
    ...(opts.routes ?? []),
  ];

  async function handle(req: IncomingMessage, res: ServerResponse, track: RequestTrack, url: URL): Promise<void> {
    const requestId = track.requestId;
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    if (url.pathname === '/readyz') {
      try {
        await opts.orm.em.getConnection().execute('select 1');
        return sendJson(res, 200, { ok: true });
      } catch {
        return sendJson(res, 503, { ok: false, reason: 'database unreachable' });
      }
    }
    let bodyPromise: Promise<string> | undefined;
    const body = () => (bodyPromise ??= readBody(req, opts.maxBodyBytes));
    // CSV exports run GraphQL for the caller: the same credentials, limits and context as /graphql.
    const isExport = url.pathname.startsWith(EXPORT_PREFIX);
    if (url.pathname !== '/graphql' && !isExport) {
      // Other routes only off /graphql: each is an await, which GraphQL requests need not pay.
      if (url.pathname === METRICS_PATH && (await metrics(req, res))) return;
      for (const route of routes) if (await route(req, res, url, body)) return;
      return sendJson(res, 404, { error: `No route ${url.pathname}; GraphQL is at /graphql` });
    }
    // Exports are not for other origins' pages (no CORS headers): a script or the web app's server asks.
    const refused = isExport ? undefined : cors.refusal(req);
    if (refused) return sendJson(res, 403, graphqlError('FORBIDDEN', refused, requestId), cors.headers(req));
    if (req.method === 'OPTIONS' && !isExport) {
      res.writeHead(204, { ...cors.headers(req), allow: 'GET, POST, OPTIONS' });
      return void res.end();
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let parsed: unknown = undefined;
    if (req.method === 'POST' && !isExport) {
      const raw = await body();
      const type = headers.get('content-type') ?? '';
      if (type.includes('application/json') || type.includes('application/graphql-response+json')) {
        try {
          parsed = raw ? JSON.parse(raw) : {};
        } catch {
          return sendJson(res, 400, graphqlError('BAD_REQUEST', 'Request body is not valid JSON', requestId));
        }
        // Names the operation of an answer made before Apollo (401, 429) in the metrics.
        track.body = parsed;
      } else {
        parsed = raw;
      }
    }

    const address = clientAddress(req);
    let auth;
    try {
      const authorization = headers.get('authorization');
      auth = authCache.get(authorization);
      if (!auth) {
        const cookie = headers.get('cookie');
        // An address that keeps sending bad credentials is refused before they are looked up.
        const blocked = authorization || cookie ? await limits.authFailures.peek(address) : 0;
        if (blocked > 0)
          return tooMany(res, requestId, `Too many failed authentications from your address; retry in ${blocked} s`, blocked);
        auth = await authenticate(opts.orm.em.fork(), { authorization, cookie });
        authCache.set(authorization, auth);
      }
    } catch (err) {
      if (err instanceof AuthError) {
        await limits.authFailures.take(address);
        return sendJson(res, 401, graphqlError('UNAUTHENTICATED', err.message, requestId), { 'www-authenticate': 'Bearer' });
      }
      throw err;
    }
    const callerKey = auth.tokenId ? `t:${auth.tokenId}` : auth.sessionId ? `s:${auth.sessionId}` : `a:${address}`;
    const wait = await limits.requests.take(callerKey);
    if (wait > 0) return tooMany(res, requestId, `Too many requests; retry in ${wait} s`, wait);

    track.graphql = true;
    const readCaller = auth.tokenId ? `t:${auth.tokenId}` : auth.sessionId ? `s:${auth.sessionId}` : undefined;
    // Object.assign, not a spread: the context's em and loaders are getters, made on first use.
    const context = (route: ReadRoute): RequestContext =>
      Object.assign(
        createContext(opts.orm, {
          requestId,
          auth,
          route,
          clientAddress: address,
          limits,
          csrfHeader: headers.get('x-csrf-token') ?? undefined,
          userAgent: headers.get('user-agent') ?? undefined,
        }),
        { sqlCount: track, readCaller },
      );
    if (isExport) {
      const statements = opts.exposeSqlCount ? () => track.statements : undefined;
      return handleExport(req, res, url, exportRunner(apollo, track, context, opts.replicas), requestId, statements);
    }
    const execute = (route: ReadRoute) =>
      runWithSqlCounter(track, () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body: parsed },
          context: async () => context(route),
        }),
      );
    const route: ReadRoute = {};
    let result = await execute(route).catch((err: unknown) => {
      if (!route.replica) throw err;
      route.failure ??= err;
      return undefined;
    });
    // A query whose replica failed under it (connection lost, a conflict with recovery) runs again on the primary.
    if (!result || (route.replica && route.failure !== undefined)) {
      if (route.replica && isDatabaseUnavailable(route.failure)) opts.replicas?.failed(route.replica, route.failure);
      logger.warn(
        { requestId, replica: route.replica?.name, err: route.failure },
        'read replica failed under a request; read again from the primary',
      );
      opts.replicas?.countRead('retried');
      track.readTarget = 'primary';
      result = await execute({ pinned: true });
    }
    const out: Record<string, string> = { ...cors.headers(req) };
    for (const [k, v] of result.headers) out[k] = v;
    if (result.body.kind === 'complete') {
      sendText(res, result.status ?? 200, out, result.body.string);
    } else {
      res.writeHead(result.status ?? 200, out);
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = (String(req.headers['x-request-id'] ?? '').replace(/[^\w.:-]/g, '') || randomUUID()).slice(0, 100);
    const track = newTrack(requestId);
    res.setHeader('x-request-id', requestId);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    let path = '?';
    res.on('finish', () => {
      const ms = performance.now() - started;
      observeRequest(track, ms / 1000, res.statusCode);
      // Probes and scrapes answered are not logged (they come every few seconds); refused scrapes are.
      if (path !== '/healthz' && !(path === METRICS_PATH && res.statusCode === 200))
        logger.info({ requestId, method: req.method, path, status: res.statusCode, ms: Math.round(ms) }, 'request');
    });
    // Parsed inside the guard: the raw request target is the client's (`GET //[ HTTP/1.1` is no URL).
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
      path = url.pathname;
      track.route = routeLabel(path);
      if (track.route === '/graphql') track.operation = 'other';
    } catch {
      req.resume();
      return sendJson(res, 400, graphqlError('BAD_REQUEST', 'The request target is not a valid path', requestId));
    }
    handle(req, res, track, url).catch((err: unknown) => {
      try {
        answerFailure(err);
      } catch (again) {
        logger.error({ requestId, err: again }, 'could not answer a failed request');
        res.destroy();
      }
    });
    function answerFailure(err: unknown): void {
      // The client went away (an aborted upload, a reset): nobody to answer. (Not req.destroyed: a
      // request whose body was read to the end is destroyed too, and still waits for its answer.)
      if (req.socket.destroyed && !(err instanceof BodyTooLarge)) return void res.destroy();
      if (err instanceof BodyTooLarge) {
        // Answer at once and close: a client still sending gets the 413, not a reset.
        res.on('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
        return sendJson(res, 413, graphqlError('PAYLOAD_TOO_LARGE', `Request body larger than ${opts.maxBodyBytes} bytes`, requestId), {
          connection: 'close',
        });
      }
      if (res.headersSent) return void res.destroy();
      // The database may be down: answer so that clients retry; the pool reconnects when it is back.
      if (isDatabaseUnavailable(err)) {
        logger.warn({ requestId, err }, 'database unavailable');
        return sendJson(
          res,
          503,
          graphqlError('SERVICE_UNAVAILABLE', `The database is unavailable; try again shortly (request id ${requestId})`, requestId),
          { 'retry-after': '1' },
        );
      }
      // A bug: say so, with the id that finds the details in the log.
      logger.error({ requestId, err }, 'unhandled request error');
      return sendJson(res, 500, graphqlError('INTERNAL_SERVER_ERROR', `Internal server error (request id ${requestId})`, requestId));
    }
  });
  return { server, apollo, authCache, stopLimits };
}

/** Apollo's own log lines (a failing plugin, an operation during shutdown) in the JSON log, with the request's id. */
const apolloLogger = {
  debug: (message: unknown) => logger.debug({ requestId: currentCounter()?.requestId }, String(message)),
  info: (message: unknown) => logger.info({ requestId: currentCounter()?.requestId }, String(message)),
  warn: (message: unknown) => logger.warn({ requestId: currentCounter()?.requestId }, String(message)),
  error: (message: unknown) =>
    logger.error({ requestId: currentCounter()?.requestId, ...(message instanceof Error ? { err: message } : {}) }, String(message)),
};

function tooMany(res: ServerResponse, requestId: string, message: string, seconds: number): void {
  sendJson(res, 429, graphqlError('RATE_LIMITED', message, requestId), { 'retry-after': String(seconds) });
}
