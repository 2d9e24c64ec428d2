import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Pool } from 'undici';
import { openOrm } from '../src/db/orm';
import { AuthService } from '../src/features/auth/auth.service';

/** The same server as `serverUrl`, another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs statements on the server's maintenance database (create / drop database, lists). */
export async function onServer<T>(
  serverUrl: string,
  fn: (exec: (sql: string, params?: unknown[]) => Promise<any[]>) => Promise<T>,
): Promise<T> {
  const orm = await openOrm(serverUrl, { poolMax: 1 });
  try {
    const conn = orm.em.getConnection();
    return await fn((sql, params) => conn.execute(sql, params ?? []));
  } finally {
    await orm.close(true);
  }
}

export async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  return onServer(serverUrl, async (exec) => (await exec(`select 1 from pg_database where datname = ?`, [name])).length > 0);
}

export function checkName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name must match [a-z_][a-z0-9_]*: "${name}"`);
  return name;
}

export async function createDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (exec) => exec(`create database ${checkName(name)}`));
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (exec) => exec(`drop database if exists ${checkName(name)} with (force)`));
}

export function scratchName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * An API token of an admin made for the benchmarks (bench-admin@example.invalid, created when
 * missing): requests go through authentication like any client's.
 */
export async function benchToken(orm: MikroORM): Promise<string> {
  const email = 'bench-admin@example.invalid';
  const auth = new AuthService(orm.em.fork());
  const [existing] = await orm.em.getConnection().execute<{ id: string }[]>(`select id from users where email = ?`, [email]);
  const id = existing?.id ?? (await auth.createUserAccount({ email, name: 'Benchmark Admin', role: 'ADMIN' })).id;
  return (await new AuthService(orm.em.fork()).createToken({ id }, 'ADMIN', 'benchmark')).secret;
}

/** GraphQL over HTTP, as a client sends it, with a bearer token, on one keep-alive connection. */
export function httpGql(url: string, token: string) {
  const pool = benchPool(url, 1);
  const path = new URL(url).pathname;
  return async (query: string, variables?: Record<string, unknown>) =>
    (await postJson(pool, path, JSON.stringify({ query, variables }), { authorization: `Bearer ${token}` })).body as GqlAnswer;
}

/**
 * undici's connection pool for a benchmark's client: at most `connections` keep-alive sockets to
 * the origin of `url`, one request at a time on each (no pipelining), so that `connections`
 * closed-loop clients each have a socket of their own and never queue behind one another.
 */
export function benchPool(url: string | URL, connections: number): Pool {
  return new Pool(new URL(url).origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
}

/**
 * One JSON POST through undici's `request()` on a pool: the HTTP status and the parsed answer.
 * Its lower-level API costs the client much less CPU per request than fetch, which matters since a
 * benchmark's client shares the machine with the server it measures.
 */
export async function postJson(
  pool: Pool,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; setCookie: string[] }> {
  const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const cookies = res.headers['set-cookie'];
  return {
    status: res.statusCode,
    body: await res.body.json(),
    setCookie: cookies === undefined ? [] : Array.isArray(cookies) ? cookies : [cookies],
  };
}

/**
 * A digest of the live search schema: definitions of the search functions, views, indexes,
 * triggers and columns. Two databases built by the same search migration have the same digest.
 */
export async function searchSchemaDigest(exec: (sql: string, params?: unknown[]) => Promise<any[]>): Promise<string> {
  const [row] = await exec(`select md5(coalesce(string_agg(def, E'\\n' order by def), '')) as digest from (
      select pg_get_functiondef(p.oid) as def from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = current_schema() and p.proname like 'search%'
      union all select c.relname || ': ' || pg_get_viewdef(c.oid) from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relkind = 'v' and c.relname like 'search%'
      union all select pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n
        on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relname like 'search%'
      union all select pg_get_triggerdef(t.oid) from pg_trigger t where not t.tgisinternal and t.tgname like 'search%'
      union all select table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(column_default, '') from
        information_schema.columns
       where table_schema = current_schema() and table_name like 'search%'
    ) x`);
  return row.digest as string;
}

/** A GraphQL answer as the benchmarks' clients return it. */
export type GqlAnswer = { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/**
 * GraphQL over HTTP with node:http and a keep-alive agent: the client of the search benchmark's
 * earlier figures, kept there to compare with them.
 */
export function lightGql(url: string, token: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const u = new URL(url);
  return async (query: string, variables?: Record<string, unknown>) =>
    (await lightPost(agent, u, JSON.stringify({ query, variables }), { authorization: `Bearer ${token}` })).body as GqlAnswer;
}

/** One JSON POST with node:http on a keep-alive agent: the HTTP status and the parsed answer. */
function lightPost(agent: Agent, url: URL, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A process's name, parent pid, CPU time (utime + stime, ms) and the CPU time of its children that
 * ended (cutime + cstime, ms), from /proc/PID/stat (Linux; ticks of 1/100 s).
 */
export function procStat(pid: number | string): { name: string; ppid: number; cpu: number; endedChildrenCpu: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  const ms = (i: number) => (Number(fields[i]) * 1000) / 100;
  return {
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(') ')),
    ppid: Number(fields[1]),
    cpu: ms(11) + ms(12),
    endedChildrenCpu: ms(13) + ms(14),
  };
}

/**
 * CPU time (ms) used so far by the processes named postgres on this machine (the local server the
 * load runs against), counting backends that have exited meanwhile only through the postmaster's
 * children totals; undefined when there are none (off Linux, a remote or embedded database).
 */
export function postgresCpuMs(): number | undefined {
  let total = 0;
  let seen = false;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const st = procStat(entry);
        if (st.name !== 'postgres') continue;
        // Backends that ended are added to the postmaster's children totals.
        total += st.cpu + st.endedChildrenCpu;
        seen = true;
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return undefined;
  }
  return seen ? total : undefined;
}
