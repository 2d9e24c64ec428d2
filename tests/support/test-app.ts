import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApp, type RunningApp } from '@ikb/api/src/app';
import type { NotifierOptions } from '@ikb/api/src/features/notifications/notifier';
import type { TrackerSyncOptions } from '@ikb/api/src/features/trackers/tracker.job';
import type { SearchLogOptions } from '@ikb/api/src/features/search-log/search-log.recorder';
import type { RefresherOptions } from '@ikb/api/src/features/analytics/analytics.refresher';
import { AuthService } from '@ikb/api/src/features/auth/auth.service';
import type { Role } from '@ikb/api/src/features/directory/user.entity';

export interface GqlResult<T = unknown> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
  extensions?: { sqlStatements?: number };
}

export interface TestApp {
  app: RunningApp;
  /**
   * GraphQL over HTTP, as a client would send it: with the test admin's API token unless the
   * headers say otherwise (`x-actor-email: <email>` acts as that user with an admin token of theirs;
   * `authorization: ''` sends no credentials).
   */
  gql<T = unknown>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<T>>;
  /** An API token for a new user of that role (cached per role). */
  tokenForRole(role: Role): Promise<{ token: string; userId: string; email: string }>;
  /** An API token acting as the user with this email (made an admin if needed). */
  tokenFor(email: string): Promise<string>;
  /** Plain SQL on the test database, for checking what was (not) written; rows as `T` when the caller names their columns. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function adminUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A fresh database for one test file, built by migrations: a new database on the server named by
 * DATABASE_URL (dropped afterwards), or an in-memory embedded PostgreSQL when it is unset.
 */
export async function startTestApp(
  opts: {
    seedDemo?: boolean;
    rateLimitPerMinute?: number;
    proxySecret?: string;
    notify?: Partial<NotifierOptions>;
    /** Default loopback, where test receivers listen; [] for the production default. */
    outboundAllowPrivate?: string[];
    /** Tracker sync job; off unless a test asks (tracker tests drive syncDue themselves). */
    trackers?: TrackerSyncOptions;
    searchLog?: SearchLogOptions;
    /** The analytics refresher; { intervalMs: 0 } for a test that drains the queue itself. */
    analytics?: RefresherOptions;
  } = {},
): Promise<TestApp> {
  const serverUrl = process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (serverUrl) {
    dbName = `ikb_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    databaseUrl = adminUrl(serverUrl, dbName);
  }
  // No rate limit unless a test is about it: a test file sends thousands of requests a minute with one token.
  const app = await startApp({
    databaseUrl,
    port: 0,
    seedDemo: opts.seedDemo ?? false,
    exposeSqlCount: true,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 0,
    proxySecret: opts.proxySecret,
    notify: opts.notify,
    outboundAllowPrivate: opts.outboundAllowPrivate ?? ['127.0.0.0/8', '::1'],
    trackers: opts.trackers ?? { intervalMs: 0 },
    searchLog: opts.searchLog,
    analytics: opts.analytics,
  });
  const sqlClient = new Client({ connectionString: app.databaseUrl });
  await sqlClient.connect();

  const auth = new AuthService(app.orm.em.fork());
  const admin = await auth.createUserAccount({ email: 'test-admin@example.test', name: 'Test Admin', role: 'ADMIN' });
  const adminToken = (await auth.createToken({ id: admin.id }, 'ADMIN', 'test harness')).secret;
  const byEmail = new Map<string, string>([['test-admin@example.test', adminToken]]);
  const byRole = new Map<Role, { token: string; userId: string; email: string }>();
  async function tokenFor(email: string): Promise<string> {
    const key = email.toLowerCase();
    const known = byEmail.get(key);
    if (known) return known;
    const [user] = (await sqlClient.query(`select id, role from users where lower(email) = $1`, [key])).rows;
    if (!user) throw new Error(`tokenFor: no user with email ${email}`);
    if (user.role !== 'ADMIN') await sqlClient.query(`update users set role = 'ADMIN' where id = $1`, [user.id]);
    const secret = (await new AuthService(app.orm.em.fork()).createToken({ id: user.id }, 'ADMIN', 'test actor')).secret;
    byEmail.set(key, secret);
    return secret;
  }
  async function tokenForRole(role: Role) {
    const known = byRole.get(role);
    if (known) return known;
    const email = `test-${role.toLowerCase()}@example.test`;
    const s = new AuthService(app.orm.em.fork());
    const user = await s.createUserAccount({ email, name: `Test ${role}`, role });
    const made = { token: (await s.createToken({ id: user.id }, role, 'test role')).secret, userId: user.id, email };
    byRole.set(role, made);
    return made;
  }

  return {
    app,
    tokenFor,
    tokenForRole,
    async gql<T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<T>> {
      const h: Record<string, string> = { ...headers };
      const actorEmail = h['x-actor-email'];
      delete h['x-actor-email'];
      if (h.authorization === undefined) h.authorization = `Bearer ${actorEmail ? await tokenFor(actorEmail) : adminToken}`;
      else if (h.authorization === '') delete h.authorization;
      const res = await fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...h },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Omit<GqlResult<T>, 'status'>;
      return { status: res.status, ...body };
    },
    async sql<T>(text: string, params?: unknown[]): Promise<T[]> {
      return (await sqlClient.query(text, params as unknown[])).rows;
    },
    async close() {
      await sqlClient.end();
      await app.close();
      if (serverUrl && dbName) {
        const admin = new Client({ connectionString: serverUrl });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
    },
  };
}

/** Throws with the GraphQL errors when a call that should succeed did not. */
export function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}
