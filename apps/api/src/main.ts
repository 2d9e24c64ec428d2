import 'reflect-metadata';
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { prepareDatabase, startApp } from './app';
import { openOrm } from './db/orm';
import { env, type Env } from './env';
import { installCrashGuards } from './http/crash-guard';
import { serveClusterMetrics } from './http/metrics-http';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from './seed/demo-account';

async function main() {
  const e = env();
  installCrashGuards();
  if (e.API_WORKERS > 1 && cluster.isPrimary) return primary(e);
  const name = cluster.isWorker ? `[api ${cluster.worker!.id}]` : '[api]';
  const app = await startApp({
    databaseUrl: e.DATABASE_URL,
    replicaUrls: e.DATABASE_REPLICA_URLS,
    replicaMaxLagMs: e.DATABASE_REPLICA_MAX_LAG_MS,
    dataDir: e.DATA_DIR,
    port: e.API_PORT,
    host: e.API_HOST,
    // With several workers the primary has migrated and seeded already.
    seedDemo: cluster.isWorker ? false : e.SEED_DEMO,
    exposeSqlCount: e.EXPOSE_SQL_COUNT,
    production: e.NODE_ENV === 'production',
    logSql: e.LOG_SQL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    jit: e.GRAPHQL_JIT,
    corsOrigins: e.CORS_ORIGINS,
    proxySecret: e.PROXY_SECRET,
    trustedProxies: e.TRUSTED_PROXIES,
    outboundAllowPrivate: e.OUTBOUND_ALLOW_PRIVATE,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    firstAdmin: cluster.isWorker ? undefined : firstAdmin(e),
    notify: {
      publicWebUrl: e.PUBLIC_WEB_URL,
      intervalMs: e.NOTIFY_INTERVAL_MS,
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      retentionDays: e.NOTIFY_RETENTION_DAYS,
    },
    trackers: { intervalMs: e.TRACKER_SYNC_INTERVAL_MS },
    searchLog: { enabled: e.SEARCH_LOG_ENABLED, retentionDays: e.SEARCH_LOG_RETENTION_DAYS },
    log: (line) => console.log(`${name} ${line}`),
  });
  console.log(`${name} GraphQL API ready at ${app.graphqlUrl} (database: ${e.DATABASE_URL ? 'DATABASE_URL' : 'embedded'})`);
  if (app.metricsUrl) console.log(`${name} metrics at ${app.metricsUrl}`);
  if (e.SEED_DEMO && !cluster.isWorker) console.log(`[api] demo sign-in: ${DEMO_ADMIN_EMAIL} / ${DEMO_ADMIN_PASSWORD} (admin)`);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${name} ${signal}: finishing requests in flight and stopping`);
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * API_WORKERS > 1: this process migrates (and seeds) once, then runs that many API processes on
 * the same port (node:cluster hands each new connection to one of them), replaces one that dies,
 * and on SIGINT / SIGTERM lets each finish its requests in flight before exiting. Each worker has
 * its own pool and token-check cache, kept in agreement with the others by NOTIFY; rate limits
 * and the analytics refresher's turns are shared through the database (see README).
 */
async function primary(e: Env) {
  const orm = await openOrm(e.DATABASE_URL!);
  try {
    await prepareDatabase(orm, { seedDemo: e.SEED_DEMO, log: (line) => console.log(`[api] ${line}`), firstAdmin: firstAdmin(e) });
  } finally {
    await orm.close(true);
  }
  // The workers' metrics, summed: on METRICS_PORT, and for a worker asked GET /metrics on the API port.
  const metricsServer = await serveClusterMetrics({ port: e.METRICS_PORT, host: e.METRICS_HOST, token: e.METRICS_TOKEN });
  if (metricsServer) {
    const a = metricsServer.address() as AddressInfo;
    console.log(`[api] metrics of all workers at http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/metrics`);
  }
  console.log(`[api] starting ${e.API_WORKERS} worker processes`);
  if (e.SEED_DEMO) console.log(`[api] demo sign-in: ${DEMO_ADMIN_EMAIL} / ${DEMO_ADMIN_PASSWORD} (admin)`);
  let closing = false;
  for (let i = 0; i < e.API_WORKERS; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (closing) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`[api] worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? code}); starting another in 1 s`);
    setTimeout(() => !closing && cluster.fork(), 1000);
  });
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`[api] ${signal}: stopping the workers`);
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const w of workers) w?.process.kill('SIGTERM');
    // A worker drains for up to 10 s (app.close); do not wait forever on one that hangs.
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** The first admin from the environment, or a setup link while there is none (features/setup). */
function firstAdmin(e: Env) {
  return {
    publicWebUrl: e.PUBLIC_WEB_URL,
    initialAdmin:
      e.INITIAL_ADMIN_EMAIL && e.INITIAL_ADMIN_PASSWORD ? { email: e.INITIAL_ADMIN_EMAIL, password: e.INITIAL_ADMIN_PASSWORD } : undefined,
  };
}

main().catch((err) => {
  console.error('[api] failed to start:', err instanceof Error ? err.message : err);
  if (process.env.DEBUG) console.error(err);
  process.exit(1);
});
