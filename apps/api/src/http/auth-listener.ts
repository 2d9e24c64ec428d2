import { randomUUID } from 'node:crypto';
import { Counter, Gauge } from 'prom-client';
import { openDedicatedConnection, withPooledConnection, type ConnectionSource, type DedicatedConnection } from '../db/internals';
import { AUTH_CHANNEL, parseAuthNotice } from '../features/auth/auth-notify';
import type { AuthCache } from './auth-cache';
import { logger } from './logger';
import { registry } from './metrics';

const received = new Counter({
  name: 'ikb_auth_notify_received_total',
  help:
    'Credential changes heard on the ikb_auth channel, by kind (token, user, session); "ignored": a payload of no known form ' +
    '(someone ran NOTIFY by hand)',
  labelNames: ['kind'] as const,
  registers: [registry],
});
for (const kind of ['token', 'user', 'session', 'ignored']) received.inc({ kind }, 0);
const reconnects = new Counter({
  name: 'ikb_auth_notify_reconnects_total',
  help: 'Times the LISTEN connection was opened again after it was lost (the token-check cache is emptied each time)',
  registers: [registry],
});
const listening = new Gauge({
  name: 'ikb_auth_notify_listening',
  help: '1 while this process listens for credential changes; 0 while it reconnects or when notifications cannot reach it',
  registers: [registry],
});

export interface AuthListenerOptions {
  /** First wait before reconnecting (ms), doubled after each failure up to maxRetryMs. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** How long the first connection waits for its own probe notification before giving up on them. */
  probeMs?: number;
  log?: (line: string) => void;
}

/**
 * Keeps this process's AuthCache in agreement with every other API instance and the CLI: LISTENs
 * on AUTH_CHANNEL (features/auth/auth-notify.ts) on a connection of its own, outside the ORM's pool
 * (a pooled connection would carry the LISTEN to whoever borrows it next), and drops the cached
 * checks of the token or user each notification names.
 *
 * When the connection drops it reconnects with backoff, and empties the cache once listening again:
 * changes committed while nobody listened were never heard. Until then the cache's TTL bounds how
 * stale an entry can be. A database whose notifications do not come back to the connection that
 * listens (the embedded PGlite hands them to whichever connection is busy; a pooler in transaction
 * mode) is found by a probe on the first connection: the process then relies on the TTL alone.
 */
export class AuthListener {
  private conn: DedicatedConnection | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private retryMs: number;
  private lostOnce = false;
  private probe: { payload: string; heard: () => void } | null = null;
  private probed = false;
  private lastWarnAt = -Infinity;

  constructor(
    private readonly source: ConnectionSource,
    private readonly cache: AuthCache,
    private readonly opts: AuthListenerOptions = {},
  ) {
    this.retryMs = opts.minRetryMs ?? 250;
  }

  start(): this {
    void this.connect();
    return this;
  }

  get isListening(): boolean {
    return this.conn !== null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let conn: DedicatedConnection | undefined;
    try {
      conn = await openDedicatedConnection(this.source);
      const c = conn;
      c.on('notification', (n) => this.heard(n.channel, n.payload));
      c.on('error', (err) => this.lost(c, err));
      c.on('end', () => this.lost(c));
      if (this.stopped) return void (await c.end());
      // Named, so that operators (and the tests) find it in pg_stat_activity.
      await c.query(`select set_config('application_name', $1, false)`, [`ikb-auth-listener ${process.pid}`]);
      await c.query(`listen ${AUTH_CHANNEL}`);
      if (!this.probed) {
        if (!(await this.probeReaches())) return this.giveUp(c);
        this.probed = true;
      }
      if (this.stopped) return void (await c.end());
      this.conn = c;
      listening.set(1);
      this.retryMs = this.opts.minRetryMs ?? 250;
      this.cache.clear();
      if (this.lostOnce) {
        reconnects.inc();
        this.log('auth listener: listening again; cached token checks dropped (changes made meanwhile were not heard)');
      }
    } catch (err) {
      conn?.end().catch(() => {});
      this.retry(err);
    }
  }

  /** NOTIFY from a pooled connection: heard on ours when the database delivers notifications as PostgreSQL does. */
  private async probeReaches(): Promise<boolean> {
    const payload = `probe:${randomUUID()}`;
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.opts.probeMs ?? 5000);
      this.probe = {
        payload,
        heard: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
    });
    await withPooledConnection(this.source, (c) => c.query(`select pg_notify($1, $2)`, [AUTH_CHANNEL, payload]));
    const ok = await heard;
    this.probe = null;
    return ok;
  }

  private async giveUp(c: DedicatedConnection): Promise<void> {
    this.probed = true;
    listening.set(0);
    this.log(
      'auth listener: notifications do not reach this process (embedded database, or a pooler in transaction mode); ' +
        'changes made by other processes take effect when cached token checks expire',
    );
    await c.end().catch(() => {});
  }

  private heard(channel: string, payload: string | undefined): void {
    if (channel !== AUTH_CHANNEL) return;
    if (this.probe && payload === this.probe.payload) return this.probe.heard();
    const notice = parseAuthNotice(payload);
    if (!notice) {
      received.inc({ kind: 'ignored' });
      // At most one line in 10 s: whoever can NOTIFY could otherwise fill the log.
      if (performance.now() - this.lastWarnAt > 10_000) {
        this.lastWarnAt = performance.now();
        logger.warn({ channel, payload: String(payload ?? '').slice(0, 100) }, 'ignored a notification that is not "<kind>:<uuid>"');
      }
      return;
    }
    received.inc({ kind: notice.kind });
    logger.debug({ notice }, 'auth listener: credential change heard');
    // Sessions are looked up on every request (only API tokens are cached): nothing to drop.
    if (notice.kind === 'token') this.cache.forgetToken(notice.id);
    else if (notice.kind === 'user') this.cache.forgetUser(notice.id);
  }

  private lost(c: DedicatedConnection, err?: Error): void {
    if (c !== this.conn) return;
    this.conn = null;
    this.lostOnce = true;
    listening.set(0);
    c.end().catch(() => {});
    this.retry(err ?? new Error('connection ended'));
  }

  private retry(err: unknown): void {
    if (this.stopped || this.timer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.opts.maxRetryMs ?? 30_000);
    this.lostOnce = true;
    logger.warn({ err, retryInMs: wait }, 'auth listener: no LISTEN connection; reconnecting');
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, wait);
    this.timer.unref?.();
  }

  private log(line: string): void {
    (this.opts.log ?? ((l: string) => logger.info(l)))(line);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const c = this.conn;
    this.conn = null;
    listening.set(0);
    await c?.end().catch(() => {});
  }
}
