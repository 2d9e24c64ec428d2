import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres';
import { migrate, openOrm } from './db/orm';
import { createHttpServer } from './http/server';
import { schema } from './graphql/schema';
import { seedDemo } from './seed/demo-seed';
import { Incident } from './features/incidents/incident.entity';
import { AnalyticsRefresher, analyticsOptionsFromEnv, type RefresherOptions } from './features/analytics/analytics.refresher';

export interface AppOptions {
  /** Real PostgreSQL; undefined starts the embedded one. */
  databaseUrl?: string;
  /** Embedded database folder; undefined keeps it in memory. */
  dataDir?: string;
  port: number;
  host?: string;
  seedDemo?: boolean;
  exposeSqlCount?: boolean;
  production?: boolean;
  logSql?: boolean;
  maxBodyBytes?: number;
  /** Requests a minute per caller (token, session or address); 0 turns the limit off. Default 1200. */
  rateLimitPerMinute?: number;
  /** How long an API token's check is reused, in ms (default 5000; 0 = checked on every request). */
  authCacheMs?: number;
  /** Execute operations compiled by graphql-jit (default true; see graphql/jit-executor.ts). */
  jit?: boolean;
  /** CORS_ORIGINS (default none: no cross-origin access). */
  corsOrigins?: readonly string[];
  /** PROXY_SECRET: shared with the web app, whose forwarded client address is then believed. */
  proxySecret?: string;
  /** TRUSTED_PROXIES: load balancers whose X-Forwarded-For is believed. */
  trustedProxies?: string[];
  log?: (line: string) => void;
  /** Analytics refresher (interval, zones built at start); default from ANALYTICS_REFRESH_MS / ANALYTICS_TIME_ZONES. */
  analytics?: RefresherOptions;
}

export interface RunningApp {
  url: string;
  graphqlUrl: string;
  orm: MikroORM;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Applies pending migrations and seeds the demo data into an empty database when asked. */
export async function prepareDatabase(orm: MikroORM, opts: { seedDemo?: boolean; log?: (line: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const applied = await migrate(orm);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  if (opts.seedDemo && (await orm.em.fork().count(Incident, {})) === 0) {
    const t0 = Date.now();
    const summary = await seedDemo(orm.em.fork());
    log(`seeded demo data in ${Date.now() - t0} ms: ${summary}`);
  }
}

/** Boots database, migrations, optional demo seed and the HTTP server; used by main and by tests. */
export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const log = opts.log ?? (() => {});
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    const t0 = Date.now();
    embedded = await startEmbeddedPostgres({ dataDir: opts.dataDir });
    databaseUrl = embedded.url;
    log(`embedded PostgreSQL ready in ${Date.now() - t0} ms (${opts.dataDir ? `data in ${opts.dataDir}` : 'in memory'})`);
  }
  const orm = await openOrm(databaseUrl, { logSql: opts.logSql });
  try {
    await prepareDatabase(orm, { seedDemo: opts.seedDemo, log });
    const { server, apollo } = await createHttpServer({
      orm,
      schema: await schema(),
      maxBodyBytes: opts.maxBodyBytes ?? 1_000_000,
      exposeSqlCount: opts.exposeSqlCount ?? true,
      production: opts.production ?? false,
      rateLimitPerMinute: opts.rateLimitPerMinute,
      authCacheMs: opts.authCacheMs,
      jit: opts.jit,
      corsOrigins: opts.corsOrigins,
      proxySecret: opts.proxySecret,
      trustedProxies: opts.trustedProxies,
    });
    await listen(server, opts.port, opts.host ?? '127.0.0.1');
    const analytics = new AnalyticsRefresher(orm.em, { log, ...analyticsOptionsFromEnv(), ...opts.analytics }).start();
    const { port } = server.address() as AddressInfo;
    const url = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`;
    return {
      url,
      graphqlUrl: `${url}/graphql`,
      orm,
      databaseUrl,
      async close() {
        // Stop accepting, let requests in flight finish (up to 10 s), then drop what is left.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), 10_000);
        await closed;
        clearTimeout(timer);
        await analytics.stop();
        await apollo.stop();
        await orm.close(true);
        await embedded?.stop();
        log('stopped');
      },
    };
  } catch (err) {
    await orm.close(true);
    await embedded?.stop();
    throw err;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
