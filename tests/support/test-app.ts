import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApp, type RunningApp } from '@ikb/api/src/app';

export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
  extensions?: { sqlStatements?: number };
}

export interface TestApp {
  app: RunningApp;
  /** GraphQL over HTTP, as a client would send it. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<T>>;
  /** Plain SQL on the test database, for checking what was (not) written. */
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
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
export async function startTestApp(opts: { seedDemo?: boolean } = {}): Promise<TestApp> {
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
  const app = await startApp({ databaseUrl, port: 0, seedDemo: opts.seedDemo ?? false, exposeSqlCount: true });
  const sqlClient = new Client({ connectionString: app.databaseUrl });
  await sqlClient.connect();

  return {
    app,
    async gql(query, variables, headers) {
      const res = await fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Omit<GqlResult, 'status'>;
      return { status: res.status, ...body };
    },
    async sql(text, params) {
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
