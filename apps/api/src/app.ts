import 'reflect-metadata';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres';
import { migrate, openOrm } from './db/orm';
import { ReplicaRouter } from './db/replicas';
import { configureOutbound } from './http/outbound';
import { createHttpServer } from './http/server';
import { AuthListener } from './http/auth-listener';
import { watchDatabase } from './http/metrics-db';
import { startMetricsListener } from './http/metrics-http';
import { schema } from './graphql/schema';
import { seedDemo } from './seed/demo-seed';
import { Incident } from './features/incidents/incident.entity';
import { ensureFirstAdmin, type FirstAdminOptions } from './features/setup/setup.service';
import { AnalyticsRefresher, analyticsOptionsFromEnv, type RefresherOptions } from './features/analytics/analytics.refresher';
import { TrackerSync, type TrackerSyncOptions } from './features/trackers/tracker.job';
import { trackerHookRoutes } from './features/trackers/tracker.hooks';
import { Notifier, type NotifierOptions } from './features/notifications/notifier';
import { SearchRecorder, type SearchLogOptions } from './features/search-log/search-log.recorder';
import { statusRoutes } from './features/status-page/status.http';
import { ssoRoutes } from './features/sso/sso.http';
import { clientAddressResolver } from './http/client-address';
import { notifySettings } from './features/notifications/notify-settings';

export interface AppOptions {
  /** Real PostgreSQL; undefined starts the embedded one. */
  databaseUrl?: string;
  /** DATABASE_REPLICA_URLS: read replicas of databaseUrl for queries (db/replicas.ts). */
  replicaUrls?: readonly string[];
  /** DATABASE_REPLICA_MAX_LAG_MS (default 10000). */
  replicaMaxLagMs?: number;
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
  /** OUTBOUND_ALLOW_PRIVATE: private networks configured URLs (webhooks) may reach (http/outbound.ts); unset: unchanged (none). */
  outboundAllowPrivate?: string[];
  /**
   * METRICS_TOKEN: Bearer token GET /metrics needs (on the API port, and on METRICS_PORT). Unset: the API port answers
   * loopback callers only.
   */
  metricsToken?: string;
  /**
   * METRICS_PORT: serve /metrics on this port only (0: any free port), not on the API port. In a node:cluster worker the
   * primary listens instead (main.ts).
   */
  metricsPort?: number;
  /** METRICS_HOST: address of the METRICS_PORT listener (default 127.0.0.1). */
  metricsHost?: string;
  log?: (line: string) => void;
  /** The first admin (INITIAL_ADMIN_*, or a setup link printed while there is none); unset: nothing is done. */
  firstAdmin?: Omit<FirstAdminOptions, 'log'>;
  /** Analytics refresher (interval, zones built at start); default from ANALYTICS_REFRESH_MS / ANALYTICS_TIME_ZONES. */
  analytics?: RefresherOptions;
  /** Notifications (decision 0006): the web app's address for links, and the job's interval (0: off). */
  notify?: Partial<NotifierOptions>;
  /** Tracker sync (decision 0008): the job's interval (0: off; tests drive syncDue themselves). */
  trackers?: TrackerSyncOptions;
  /** Search analytics' recording (decision 0011): on by default, written every second, kept SEARCH_LOG_RETENTION_DAYS. */
  searchLog?: SearchLogOptions;
}

export interface RunningApp {
  url: string;
  graphqlUrl: string;
  /** The METRICS_PORT listener's /metrics, when this process has one. */
  metricsUrl?: string;
  orm: MikroORM;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Applies pending migrations and seeds the demo data into an empty database when asked. */
export async function prepareDatabase(
  orm: MikroORM,
  opts: { seedDemo?: boolean; log?: (line: string) => void; firstAdmin?: Omit<FirstAdminOptions, 'log'> } = {},
): Promise<void> {
  const log = opts.log ?? (() => {});
  const applied = await migrate(orm);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  if (opts.seedDemo && (await orm.em.fork().count(Incident, {})) === 0) {
    const t0 = Date.now();
    const summary = await seedDemo(orm.em.fork());
    log(`seeded demo data in ${Date.now() - t0} ms: ${summary}`);
  }
  // After the demo seed, whose admin makes this a no-op: never a setup link with the demo data.
  if (opts.firstAdmin) await ensureFirstAdmin(orm.em.fork(), { ...opts.firstAdmin, log });
}

/** Boots database, migrations, optional demo seed and the HTTP server; used by main and by tests. */
export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const log = opts.log ?? (() => {});
  // Process-wide (the senders are module functions); left as it is when not given, so a second app a
  // test starts beside the first does not change the first's policy.
  if (opts.outboundAllowPrivate) configureOutbound({ allowPrivate: opts.outboundAllowPrivate });
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    const t0 = Date.now();
    embedded = await startEmbeddedPostgres({ dataDir: opts.dataDir });
    databaseUrl = embedded.url;
    log(`embedded PostgreSQL ready in ${Date.now() - t0} ms (${opts.dataDir ? `data in ${opts.dataDir}` : 'in memory'})`);
  }
  const orm = await openOrm(databaseUrl, { logSql: opts.logSql });
  let metricsServer: Server | undefined;
  let replicas: ReplicaRouter | undefined;
  let listener: AuthListener | undefined;
  let stopLimitsWork = () => {};
  const unwatch = watchDatabase(orm);
  const closeMetrics = async () => {
    unwatch();
    await closeMetricsListener(metricsServer);
  };
  try {
    await prepareDatabase(orm, { seedDemo: opts.seedDemo, log, firstAdmin: opts.firstAdmin });
    if (opts.replicaUrls?.length && opts.databaseUrl) {
      replicas = await ReplicaRouter.open(orm, opts.replicaUrls, { maxLagMs: opts.replicaMaxLagMs ?? 10_000, logSql: opts.logSql });
      const up = replicas.replicas.filter((r) => r.up).map((r) => r.name);
      log(`read replicas: ${replicas.replicas.map((r) => r.name).join(', ')} (in use now: ${up.join(', ') || 'none'})`);
    }
    const { server, apollo, authCache, stopLimits } = await createHttpServer({
      orm,
      schema: await schema(),
      maxBodyBytes: opts.maxBodyBytes ?? 1_000_000,
      exposeSqlCount: opts.exposeSqlCount ?? true,
      production: opts.production ?? false,
      rateLimitPerMinute: opts.rateLimitPerMinute,
      authCacheMs: opts.authCacheMs,
      // The embedded database has one process (API_WORKERS needs DATABASE_URL): its limits stay in memory.
      sharedLimits: !embedded,
      jit: opts.jit,
      corsOrigins: opts.corsOrigins,
      proxySecret: opts.proxySecret,
      trustedProxies: opts.trustedProxies,
      metrics: { token: opts.metricsToken, separatePort: opts.metricsPort !== undefined },
      replicas,
      routes: [
        trackerHookRoutes({ source: orm.em }),
        statusRoutes({
          source: orm.em,
          subscribePerMinute: opts.rateLimitPerMinute === 0 ? 0 : 10,
          sharedLimits: !embedded,
          clientAddress: clientAddressResolver({ proxySecret: opts.proxySecret, trustedProxies: opts.trustedProxies }),
        }),
        ssoRoutes({
          em: orm.em,
          startsPerMinute: opts.rateLimitPerMinute === 0 ? 0 : 30,
          clientAddress: clientAddressResolver({ proxySecret: opts.proxySecret, trustedProxies: opts.trustedProxies }),
        }),
      ],
    });
    stopLimitsWork = stopLimits;
    if (opts.metricsPort !== undefined && !cluster.isWorker) {
      metricsServer = await startMetricsListener({
        port: opts.metricsPort,
        host: opts.metricsHost ?? '127.0.0.1',
        token: opts.metricsToken,
      });
    }
    // Not on the embedded database: PGlite hands a notification to whichever connection is busy, not
    // to the one that listens (auth-listener.test.ts), and its one process clears its own cache.
    listener = embedded ? undefined : new AuthListener(orm.em, authCache, { log }).start();
    await listen(server, opts.port, opts.host ?? '127.0.0.1');
    const analytics = new AnalyticsRefresher(orm.em, { log, ...analyticsOptionsFromEnv(), ...opts.analytics }).start();
    if (opts.notify?.publicWebUrl) notifySettings.publicWebUrl = opts.notify.publicWebUrl;
    notifySettings.smtpUrl = opts.notify?.smtpUrl;
    if (opts.notify?.mailFrom) notifySettings.mailFrom = opts.notify.mailFrom;
    const notifier = new Notifier(orm.em, { publicWebUrl: notifySettings.publicWebUrl, log, ...opts.notify }).start();
    const trackerSync = new TrackerSync(orm.em, { log, ...opts.trackers }).start();
    const searchLog = new SearchRecorder(orm.em, { log, ...opts.searchLog }).start(orm.getMetadata());
    const { port } = server.address() as AddressInfo;
    const url = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`;
    const metricsAddress = metricsServer?.address() as AddressInfo | undefined;
    return {
      url,
      graphqlUrl: `${url}/graphql`,
      metricsUrl:
        metricsAddress &&
        `http://${metricsAddress.family === 'IPv6' ? `[${metricsAddress.address}]` : metricsAddress.address}` +
          `:${metricsAddress.port}/metrics`,
      orm,
      databaseUrl,
      async close() {
        // Stop accepting, let requests in flight finish (up to 10 s), then drop what is left.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), 10_000);
        await closed;
        clearTimeout(timer);
        await closeMetrics();
        stopLimits();
        await listener?.stop();
        await analytics.stop();
        await notifier.stop();
        await trackerSync.stop();
        await apollo.stop();
        // After the last request: the searches it recorded are written.
        await searchLog.stop();
        await replicas?.close();
        await orm.close(true);
        await embedded?.stop();
        log('stopped');
      },
    };
  } catch (err) {
    await closeMetrics();
    await replicas?.close();
    stopLimitsWork();
    await listener?.stop();
    await orm.close(true);
    await embedded?.stop();
    throw err;
  }
}

async function closeMetricsListener(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
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
