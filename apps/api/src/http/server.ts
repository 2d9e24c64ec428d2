import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import { runWithSqlCounter } from '../db/sql-counter';
import { formatError } from '../errors';
import { authenticate, AuthError } from '../features/auth/auth.service';
import { ingestRoute } from '../features/imports/ingest.http';
import { createContext, type Context } from '../graphql/context';
import { jitGateway, NoProtoNames } from '../graphql/jit-executor';
import { AuthCache, mayChangeCredentials } from './auth-cache';
import { logger } from './logger';
import { sendJson, sendText } from './respond';
import { RateLimiter } from './rate-limit';

export interface HttpOptions {
  orm: MikroORM;
  schema: GraphQLSchema;
  maxBodyBytes: number;
  exposeSqlCount: boolean;
  production: boolean;
  rateLimitPerMinute?: number;
  /** How long an API token's check is reused (ms; 0 = every request); see AuthCache. */
  authCacheMs?: number;
  /** Execute operations compiled by graphql-jit (default) instead of graphql-js's interpreter; see jit-executor.ts. */
  jit?: boolean;
  /** Extra routes (e.g. alert ingestion), tried for paths other than /graphql; return true when handled. */
  routes?: ((req: IncomingMessage, res: ServerResponse, url: URL, body: () => Promise<string>) => Promise<boolean>)[];
}

type RequestContext = Context & { sqlCount: { statements: number } };

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

const graphqlError = (code: string, message: string, requestId?: string) => ({ errors: [{ message, extensions: { code, ...(requestId ? { requestId } : {}) } }] });

const contextPlugin = (exposeSqlCount: boolean, authCache: AuthCache): ApolloServerPlugin<RequestContext> => ({
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue, operation }) {
        // The mutation may have revoked a token or changed a user: cached credentials are re-read.
        if (operation && mayChangeCredentials(operation)) authCache.clear();
        for (const c of contextValue.setCookies) response.http.headers.set('set-cookie', c);
        // A masked internal error names the request id, which the server log has with the details.
        if (response.body.kind === 'single' && response.body.singleResult.errors) {
          const requestId = contextValue.requestId;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) =>
            e.extensions?.code === 'INTERNAL_SERVER_ERROR' || e.extensions?.code === 'SERVICE_UNAVAILABLE'
              ? { ...e, message: `${e.extensions.code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : e.message} (request id ${requestId})`, extensions: { ...e.extensions, requestId } }
              : e,
          );
          // The database went away mid-request: the mutation's transaction did not commit (unless the
          // connection died during COMMIT itself, which no client can tell); answer 503 as when the
          // database is already down before the request runs, so clients and balancers retry.
          if (response.body.singleResult.errors.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) {
            response.http.status = 503;
            response.http.headers.set('retry-after', '1');
          }
        }
        if (exposeSqlCount && response.body.kind === 'single') {
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: contextValue.sqlCount.statements };
        }
      },
      async didEncounterErrors({ errors, contextValue }) {
        for (const e of errors) {
          const code = e.extensions?.code;
          if (!code || code === 'INTERNAL_SERVER_ERROR') logger.error({ requestId: contextValue.requestId, err: e.originalError ?? e, path: e.path }, 'graphql error');
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
export async function createHttpServer(opts: HttpOptions): Promise<{ server: Server; apollo: ApolloServer<RequestContext> }> {
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
  const apollo = new ApolloServer<RequestContext>({
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
    plugins: [ApolloServerPluginCacheControlDisabled(), ...armor.plugins, contextPlugin(opts.exposeSqlCount, authCache)] as ApolloServerPlugin<RequestContext>[],
  });
  await apollo.start();
  const limiter = new RateLimiter(opts.rateLimitPerMinute ?? 1200, Math.max(20, Math.round((opts.rateLimitPerMinute ?? 1200) / 4)));

  const routes = [ingestRoute({ ...opts, limiter }), ...(opts.routes ?? [])];
  const server = createServer(async (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const requestId = (String(req.headers['x-request-id'] ?? '') || randomUUID()).slice(0, 100);
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      if (url.pathname !== '/healthz') logger.info({ requestId, method: req.method, path: url.pathname, status: res.statusCode, ms: Date.now() - started }, 'request');
    });
    try {
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
      if (url.pathname !== '/graphql') {
        // Other routes only off /graphql: each is an await, which GraphQL requests need not pay.
        for (const route of routes) if (await route(req, res, url, body)) return;
        return sendJson(res, 404, { error: `No route ${url.pathname}; GraphQL is at /graphql` });
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, corsHeaders(req));
        return res.end();
      }

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let parsed: unknown = undefined;
      if (req.method === 'POST') {
        const raw = await body();
        const type = headers.get('content-type') ?? '';
        if (type.includes('application/json') || type.includes('application/graphql-response+json')) {
          try {
            parsed = raw ? JSON.parse(raw) : {};
          } catch {
            return sendJson(res, 400, graphqlError('BAD_REQUEST', 'Request body is not valid JSON', requestId));
          }
        } else {
          parsed = raw;
        }
      }

      let auth;
      try {
        const authorization = headers.get('authorization');
        auth = authCache.get(authorization);
        if (!auth) {
          auth = await authenticate(opts.orm.em.fork(), { authorization, cookie: headers.get('cookie') });
          authCache.set(authorization, auth);
        }
      } catch (err) {
        if (err instanceof AuthError) return sendJson(res, 401, graphqlError('UNAUTHENTICATED', err.message, requestId), { 'www-authenticate': 'Bearer' });
        throw err;
      }
      const callerKey = auth.tokenId ? `t:${auth.tokenId}` : auth.sessionId ? `s:${auth.sessionId}` : `a:${req.socket.remoteAddress ?? '?'}`;
      const wait = limiter.take(callerKey);
      if (wait > 0) return sendJson(res, 429, graphqlError('RATE_LIMITED', `Too many requests; retry in ${wait} s`, requestId), { 'retry-after': String(wait) });

      const sql = { statements: 0 };
      const result = await runWithSqlCounter(sql, () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body: parsed },
          // Object.assign, not a spread: the context's em and loaders are getters, made on first use.
          context: async () =>
            Object.assign(createContext(opts.orm, { requestId, auth, csrfHeader: headers.get('x-csrf-token') ?? undefined, userAgent: headers.get('user-agent') ?? undefined }), {
              sqlCount: sql,
            }),
        }),
      );
      const out: Record<string, string> = { ...corsHeaders(req) };
      for (const [k, v] of result.headers) out[k] = v;
      if (result.body.kind === 'complete') {
        sendText(res, result.status ?? 200, out, result.body.string);
      } else {
        res.writeHead(result.status ?? 200, out);
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        // Answer at once and close: a client still sending gets the 413, not a reset.
        res.on('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
        return sendJson(res, 413, graphqlError('PAYLOAD_TOO_LARGE', `Request body larger than ${opts.maxBodyBytes} bytes`, requestId), { connection: 'close' });
      }
      logger.error({ requestId, err }, 'unhandled request error');
      // The database may be down: answer cleanly, the pool reconnects when it is back.
      if (!res.headersSent) sendJson(res, 503, graphqlError('SERVICE_UNAVAILABLE', `The service could not complete the request (request id ${requestId})`, requestId), { 'retry-after': '1' });
      else res.end();
    }
  });
  return { server, apollo };
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return origin
    ? {
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-allow-headers': 'content-type, authorization, x-request-id, x-csrf-token, apollo-require-preflight',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        vary: 'Origin',
      }
    : {};
}
