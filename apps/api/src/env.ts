import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { isAddressOrRange } from './http/client-address';

/**
 * The one place environment variables are read. Every variable is documented here and in
 * .env.example; a bad value stops the process at boot with a message naming the variable,
 * instead of failing later in some request.
 */
export interface Env {
  /** PostgreSQL server URL. Unset: an embedded PostgreSQL (PGlite) is started in DATA_DIR. */
  DATABASE_URL: string | undefined;
  /**
   * Read replicas of DATABASE_URL (streaming standbys), comma-separated postgres:// URLs. Queries
   * (lists, search, analytics, by-id reads) read from a healthy one that has replayed the caller's
   * last write; mutations use the primary. Empty (default): everything reads the primary.
   */
  DATABASE_REPLICA_URLS: string[];
  /** A replica further behind the primary than this (ms; measured to about a second) is skipped until it catches up. */
  DATABASE_REPLICA_MAX_LAG_MS: number;
  /** Folder of the embedded database and other local state. */
  DATA_DIR: string;
  /** Port of the GraphQL API (GraphQL at /graphql). */
  API_PORT: number;
  /** Host the API binds to. */
  API_HOST: string;
  /** Port of the web app (read by the start script and the web app). */
  WEB_PORT: number;
  /** Seed demo data when the database has no incidents yet. Default: on for the embedded database. */
  SEED_DEMO: boolean;
  /** development | test | production. */
  NODE_ENV: 'development' | 'test' | 'production';
  /** Add `extensions.sqlStatements` to every GraphQL response (tests use it to catch N+1). */
  EXPOSE_SQL_COUNT: boolean;
  /** Print every SQL statement to stderr. */
  LOG_SQL: boolean;
  /** Largest accepted request body, in bytes. */
  MAX_BODY_BYTES: number;
  /**
   * Requests a minute per caller (API token, session or client address); 0 turns it off. Shared by
   * every API instance on a PostgreSQL server (http/shared-rate-limit.ts); per process when embedded.
   */
  RATE_LIMIT_PER_MINUTE: number;
  /** Milliseconds between rounds of the notification job (route queued events, send due deliveries); 0 turns it off. */
  NOTIFY_INTERVAL_MS: number;
  /** Days the notification delivery log, people's notification lists and sent mail are kept. */
  NOTIFY_RETENTION_DAYS: number;
  /** Milliseconds between rounds of the tracker sync job (push action items to Jira / GitHub); 0 turns it off. */
  TRACKER_SYNC_INTERVAL_MS: number;
  /** Days raw search analytics (searches, hits opened) are kept; the daily rollup per query is kept two years. */
  SEARCH_LOG_RETENTION_DAYS: number;
  /** Record catalog searches and the hits opened for search analytics (decision 0011). */
  SEARCH_LOG_ENABLED: boolean;
  /**
   * Where e-mail goes out: smtp://user:password@host:587 (STARTTLS when offered) or smtps://...:465.
   * Unset: no e-mail is sent (personal notifications stay in each person's list in the web app).
   */
  SMTP_URL: string | undefined;
  /** The From of every mail, e.g. "Incidents <incidents@example.com>". */
  MAIL_FROM: string;
  /** API processes sharing the port (node:cluster); `auto` = one per CPU. Above 1 needs DATABASE_URL. */
  API_WORKERS: number;
  /** Run GraphQL operations compiled by graphql-jit (default) instead of graphql-js's interpreter. */
  GRAPHQL_JIT: boolean;
  /**
   * Origins (scheme://host[:port]) whose pages may call the API from the browser with credentials.
   * Empty (default): no cross-origin access at all; browsers use the web app's same-origin /graphql.
   */
  CORS_ORIGINS: string[];
  /**
   * Shared with the web app: a request carrying it in X-IKB-Proxy-Secret is from the web app's
   * server, and its X-IKB-Client-Address (the browser's address) is believed for rate limits.
   */
  PROXY_SECRET: string | undefined;
  /** Addresses or CIDR ranges of proxies (load balancers) in front of the API whose X-Forwarded-For is believed. */
  TRUSTED_PROXIES: string[];
  /**
   * Addresses or CIDR ranges of private and special-purpose networks (loopback, 10/8, 192.168/16,
   * link-local, ...) that webhooks and other configured URLs may reach; `*` allows every address.
   * Empty (default): the server never calls into such networks on an admin's say-so.
   */
  OUTBOUND_ALLOW_PRIVATE: string[];
  /** Where people open the web app (links the API prints, e.g. the first-admin setup link). */
  PUBLIC_WEB_URL: string;
  /** Both or neither: the first admin, made at boot when the database has no admin (never with the demo data). */
  INITIAL_ADMIN_EMAIL: string | undefined;
  INITIAL_ADMIN_PASSWORD: string | undefined;
  /** Bearer token that GET /metrics on the API port requires; unset: /metrics answers only loopback callers. */
  METRICS_TOKEN: string | undefined;
  /** A separate port for /metrics only (bound to METRICS_HOST), e.g. for a scraper on an internal network. */
  METRICS_PORT: number | undefined;
  METRICS_HOST: string;
}

export class EnvError extends Error {}

function int(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new EnvError(`${name} must be an integer between ${min} and ${max}; got "${raw}"`);
  }
  return n;
}

function bool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new EnvError(`${name} must be true or false; got "${raw}"`);
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const databaseUrl = source.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new EnvError(`DATABASE_URL must be a postgres:// or postgresql:// URL; got "${databaseUrl}"`);
  }
  const nodeEnv = source.NODE_ENV || 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'test' && nodeEnv !== 'production') {
    throw new EnvError(`NODE_ENV must be development, test or production; got "${nodeEnv}"`);
  }
  return {
    DATABASE_URL: databaseUrl,
    DATABASE_REPLICA_URLS: replicaUrls(source.DATABASE_REPLICA_URLS, databaseUrl),
    DATABASE_REPLICA_MAX_LAG_MS: int('DATABASE_REPLICA_MAX_LAG_MS', source.DATABASE_REPLICA_MAX_LAG_MS, 10_000, 1000, 3_600_000),
    DATA_DIR: resolve(source.DATA_DIR || resolve(__dirname, '../../../.data')),
    API_PORT: int('API_PORT', source.API_PORT, 4000, 0, 65535),
    API_HOST: source.API_HOST || '127.0.0.1',
    WEB_PORT: int('WEB_PORT', source.WEB_PORT, 3000, 0, 65535),
    SEED_DEMO: bool('SEED_DEMO', source.SEED_DEMO, !databaseUrl),
    NODE_ENV: nodeEnv,
    EXPOSE_SQL_COUNT: bool('EXPOSE_SQL_COUNT', source.EXPOSE_SQL_COUNT, nodeEnv !== 'production'),
    LOG_SQL: bool('LOG_SQL', source.LOG_SQL, false),
    MAX_BODY_BYTES: int('MAX_BODY_BYTES', source.MAX_BODY_BYTES, 1_000_000, 1024, 100_000_000),
    RATE_LIMIT_PER_MINUTE: int('RATE_LIMIT_PER_MINUTE', source.RATE_LIMIT_PER_MINUTE, 1200, 0, 10_000_000),
    NOTIFY_INTERVAL_MS: int('NOTIFY_INTERVAL_MS', source.NOTIFY_INTERVAL_MS, 1000, 0, 3_600_000),
    NOTIFY_RETENTION_DAYS: int('NOTIFY_RETENTION_DAYS', source.NOTIFY_RETENTION_DAYS, 90, 1, 3650),
    TRACKER_SYNC_INTERVAL_MS: int('TRACKER_SYNC_INTERVAL_MS', source.TRACKER_SYNC_INTERVAL_MS, 2000, 0, 3_600_000),
    SEARCH_LOG_RETENTION_DAYS: int('SEARCH_LOG_RETENTION_DAYS', source.SEARCH_LOG_RETENTION_DAYS, 180, 1, 3650),
    SEARCH_LOG_ENABLED: bool('SEARCH_LOG_ENABLED', source.SEARCH_LOG_ENABLED, true),
    SMTP_URL: smtpUrl(source.SMTP_URL),
    MAIL_FROM: mailFrom(source.MAIL_FROM),
    API_WORKERS: workers(source.API_WORKERS, databaseUrl),
    GRAPHQL_JIT: bool('GRAPHQL_JIT', source.GRAPHQL_JIT, true),
    CORS_ORIGINS: origins(source.CORS_ORIGINS),
    PROXY_SECRET: proxySecret(source.PROXY_SECRET),
    TRUSTED_PROXIES: trustedProxies(source.TRUSTED_PROXIES),
    OUTBOUND_ALLOW_PRIVATE: outboundAllowPrivate(source.OUTBOUND_ALLOW_PRIVATE),
    PUBLIC_WEB_URL: publicWebUrl(source.PUBLIC_WEB_URL, source.WEB_PORT),
    ...initialAdmin(source.INITIAL_ADMIN_EMAIL, source.INITIAL_ADMIN_PASSWORD),
    METRICS_TOKEN: secretValue('METRICS_TOKEN', source.METRICS_TOKEN),
    METRICS_PORT: source.METRICS_PORT ? int('METRICS_PORT', source.METRICS_PORT, 0, 1, 65535) : undefined,
    METRICS_HOST: source.METRICS_HOST || '127.0.0.1',
  };
}

function workers(raw: string | undefined, databaseUrl: string | undefined): number {
  const n = raw?.trim().toLowerCase() === 'auto' ? availableParallelism() : int('API_WORKERS', raw, 1, 1, 64);
  // The embedded database is served from inside the API process: there is one process to serve it.
  if (n > 1 && !databaseUrl)
    throw new EnvError(`API_WORKERS above 1 needs DATABASE_URL (the embedded database lives in the one API process); got "${raw}"`);
  return n;
}

function replicaUrls(raw: string | undefined, databaseUrl: string | undefined): string[] {
  const urls = list(raw);
  if (urls.length && !databaseUrl)
    throw new EnvError('DATABASE_REPLICA_URLS needs DATABASE_URL (the primary): the embedded database has no replicas');
  for (const [i, url] of urls.entries()) {
    let ok = /^postgres(ql)?:\/\//.test(url);
    try {
      ok &&= Boolean(new URL(url).hostname);
    } catch {
      ok = false;
    }
    if (!ok) throw new EnvError(`DATABASE_REPLICA_URLS: entry ${i + 1} ("${url}") must be a postgres:// or postgresql:// URL`);
    if (url === databaseUrl)
      throw new EnvError(`DATABASE_REPLICA_URLS: entry ${i + 1} is DATABASE_URL itself (the primary), not a replica`);
  }
  if (new Set(urls).size !== urls.length) throw new EnvError('DATABASE_REPLICA_URLS lists the same replica twice');
  return urls;
}

const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function origins(raw: string | undefined): string[] {
  return list(raw).map((o) => {
    // A wildcard with credentials would hand every site the signed-in user's session.
    if (o === '*') throw new EnvError('CORS_ORIGINS cannot be "*": list each origin that may call the API with credentials');
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      throw new EnvError(`CORS_ORIGINS: "${o}" is not an origin like https://incidents.example.com`);
    }
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== o.replace(/\/$/, '')) {
      throw new EnvError(`CORS_ORIGINS: "${o}" must be an origin (scheme://host[:port], no path), e.g. ${u.origin}`);
    }
    return u.origin;
  });
}

function secretValue(name: string, raw: string | undefined): string | undefined {
  const s = raw?.trim();
  if (!s) return undefined;
  if (s.length < 16) throw new EnvError(`${name} must be at least 16 characters (e.g. \`openssl rand -base64 32\`)`);
  return s;
}

const proxySecret = (raw: string | undefined) => secretValue('PROXY_SECRET', raw);

function publicWebUrl(raw: string | undefined, webPort: string | undefined): string {
  const value = raw?.trim() || `http://localhost:${webPort || 3000}`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new EnvError(`PUBLIC_WEB_URL must be the web app's address, like https://incidents.example.com; got "${value}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new EnvError(`PUBLIC_WEB_URL must be an http(s) URL; got "${value}"`);
  return value.replace(/\/+$/, '');
}

function smtpUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new EnvError(`SMTP_URL must be like smtp://user:password@mail.example.com:587; got a value that is not a URL`);
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new EnvError(`SMTP_URL must start with smtp:// or smtps://; got "${u.protocol}//..."`);
  if (!u.hostname) throw new EnvError('SMTP_URL must name the mail server (smtp://host:port)');
  return value;
}

function mailFrom(raw: string | undefined): string {
  const value = raw?.trim() || 'Incident knowledge base <incidents@localhost>';
  // One address, optionally with a display name: header injection (CR/LF) and lists are refused.
  if (/[\r\n]/.test(value) || !/^(?:[^<>,;]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@,;]+@[^\s<>@,;]+)$/.test(value))
    throw new EnvError(`MAIL_FROM must be one address, like "Incidents <incidents@example.com>"; got "${value}"`);
  return value;
}

function initialAdmin(
  email: string | undefined,
  password: string | undefined,
): Pick<Env, 'INITIAL_ADMIN_EMAIL' | 'INITIAL_ADMIN_PASSWORD'> {
  const e = email?.trim() || undefined;
  const p = password || undefined;
  if (!!e !== !!p) throw new EnvError('INITIAL_ADMIN_EMAIL and INITIAL_ADMIN_PASSWORD go together: set both, or neither');
  if (e && !/^[^\s@]+@[^\s@]+$/.test(e)) throw new EnvError(`INITIAL_ADMIN_EMAIL must be an email address; got "${e}"`);
  return { INITIAL_ADMIN_EMAIL: e, INITIAL_ADMIN_PASSWORD: p };
}

function trustedProxies(raw: string | undefined): string[] {
  const entries = list(raw);
  for (const e of entries) {
    if (!isAddressOrRange(e)) throw new EnvError(`TRUSTED_PROXIES: "${e}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1)`);
  }
  return entries;
}

function outboundAllowPrivate(raw: string | undefined): string[] {
  const entries = list(raw);
  for (const e of entries) {
    if (e !== '*' && !isAddressOrRange(e))
      throw new EnvError(`OUTBOUND_ALLOW_PRIVATE: "${e}" is not an IP address, a CIDR range (e.g. 10.0.0.0/8, ::1) or *`);
  }
  return entries;
}

let cached: Env | undefined;

const ROOT_ENV_FILE = resolve(__dirname, '../../../.env');

/** Variables from the top-level .env, if there is one; the real environment wins. */
function loadDotEnv() {
  if (!existsSync(ROOT_ENV_FILE)) return;
  const before = { ...process.env };
  process.loadEnvFile(ROOT_ENV_FILE);
  Object.assign(process.env, before);
}

/** The process's environment, read once; exits with a clear message when it is invalid. */
export function env(): Env {
  if (!cached) {
    try {
      loadDotEnv();
      cached = readEnv();
    } catch (err) {
      if (err instanceof EnvError) {
        console.error(`Configuration error: ${err.message}`);
        process.exit(1);
      }
      throw err;
    }
  }
  return cached;
}
