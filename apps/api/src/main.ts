import 'reflect-metadata';
import { startApp } from './app';
import { env } from './env';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from './seed/demo-account';

async function main() {
  const e = env();
  const app = await startApp({
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    port: e.API_PORT,
    host: e.API_HOST,
    seedDemo: e.SEED_DEMO,
    exposeSqlCount: e.EXPOSE_SQL_COUNT,
    production: e.NODE_ENV === 'production',
    logSql: e.LOG_SQL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    log: (line) => console.log(`[api] ${line}`),
  });
  console.log(`[api] GraphQL API ready at ${app.graphqlUrl} (database: ${e.DATABASE_URL ? 'DATABASE_URL' : 'embedded'})`);
  if (e.SEED_DEMO) console.log(`[api] demo sign-in: ${DEMO_ADMIN_EMAIL} / ${DEMO_ADMIN_PASSWORD} (admin)`);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`[api] ${signal}: finishing requests in flight and stopping`);
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error('[api] failed to start:', err instanceof Error ? err.message : err);
  if (process.env.DEBUG) console.error(err);
  process.exit(1);
});
