import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import { runWithSqlCounter } from '../db/sql-counter';
import { formatError } from '../errors';
import { createContext, type Context } from '../graphql/context';

export interface HttpOptions {
  orm: MikroORM;
  schema: GraphQLSchema;
  maxBodyBytes: number;
  exposeSqlCount: boolean;
  production: boolean;
}

type RequestContext = Context & { sql: { statements: number } };

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const sqlCountPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind === 'single') {
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: contextValue.sql.statements };
        }
      },
    };
  },
};

/** Plain node:http around Apollo: GraphQL at /graphql, probes at /healthz and /readyz. */
export async function createHttpServer(opts: HttpOptions): Promise<{ server: Server; apollo: ApolloServer<RequestContext> }> {
  const apollo = new ApolloServer<RequestContext>({
    schema: opts.schema,
    formatError,
    introspection: !opts.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // main.ts owns shutdown: it drains HTTP first, then stops Apollo, the ORM and the database.
    stopOnTerminationSignals: false,
    plugins: opts.exposeSqlCount ? [sqlCountPlugin] : [],
  });
  await apollo.start();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
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
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: `No route ${url.pathname}; GraphQL is at /graphql` });
      if (req.method === 'OPTIONS') {
        res.writeHead(204, corsHeaders(req));
        return res.end();
      }

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = undefined;
      if (req.method === 'POST') {
        const raw = await readBody(req, opts.maxBodyBytes);
        const type = headers.get('content-type') ?? '';
        if (type.includes('application/json') || type.includes('application/graphql-response+json')) {
          try {
            body = raw ? JSON.parse(raw) : {};
          } catch {
            return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
          }
        } else {
          body = raw;
        }
      }

      const requestId = (headers.get('x-request-id') ?? randomUUID()).slice(0, 100);
      const actorEmail = headers.get('x-actor-email') ?? undefined;
      const sql = { statements: 0 };
      const result = await runWithSqlCounter(sql, () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
          context: async () => ({ ...createContext(opts.orm, { requestId, actorEmail }), sql }),
        }),
      );
      const out: Record<string, string> = { ...corsHeaders(req), 'x-request-id': requestId };
      for (const [k, v] of result.headers) out[k] = v;
      res.writeHead(result.status ?? 200, out);
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        return sendJson(res, 413, { errors: [{ message: `Request body larger than ${opts.maxBodyBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      }
      console.error('[http] unhandled', err);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
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
        'access-control-allow-headers': 'content-type, authorization, x-request-id, x-actor-email, apollo-require-preflight',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        vary: 'Origin',
      }
    : {};
}
