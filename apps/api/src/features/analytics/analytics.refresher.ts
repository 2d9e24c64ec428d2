import type { ConnectionSource } from '../../db/internals';
import { IntervalJob } from '../../db/interval-job';
import { countRefresh } from '../../http/metrics';
import { withClient } from './analytics.db';
import { buildZone, refreshOnce } from './analytics.rollups';

/**
 * The background job of the analytics: the work itself (refresh, zone builds) is in
 * analytics.rollups.ts; this only schedules it.
 */

export interface RefresherOptions {
  /** Pause between refreshes when the queue is empty (ms). 0 disables the background refresh. */
  intervalMs?: number;
  /** Queue entries per refresh transaction. */
  batch?: number;
  /** Zones to build at start (in the background) if they are not built yet. */
  zones?: string[];
  log?: (line: string) => void;
}

/**
 * Keeps the analytics current in the background: every `intervalMs` it checks the queue (one
 * cheap statement) and, when there is work, refreshes until the queue is empty. The lag of asOf
 * behind the writes is therefore at most intervalMs plus one drain (see BENCHMARKS.md).
 *
 * Every API instance and process runs one, with no leader: each refresh holds the refresh lock
 * (a pg_try_advisory_lock, analytics.rollups.ts), so one works at a time, and one that finds it
 * taken ("busy") tries again at its next poll. An idle instance costs one indexed `exists` per
 * interval and never touches the lock; a session-held leader lock would save only those polls, at
 * the price of a connection held per instance and a hand-over when the leader's connection drops.
 * See docs/decisions/0004-instances-agree.md; tests/instances.test.ts shows two never overlap.
 */
export class AnalyticsRefresher {
  private readonly job: IntervalJob;
  readonly intervalMs: number;

  constructor(
    private readonly source: ConnectionSource,
    private readonly opts: RefresherOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.job = new IntervalJob(() => this.tick(), this.intervalMs);
  }

  start(): this {
    this.job.start();
    return this;
  }

  private async tick(): Promise<void> {
    try {
      for (const zone of this.opts.zones ?? []) {
        if (this.job.stopped) return;
        const b = await buildZone(this.source, zone);
        if (b) this.opts.log?.(`analytics: built time zone ${zone} (${b.cells} cells from ${b.incidents} incidents) in ${b.ms} ms`);
      }
      this.opts.zones = [];
      while (!this.job.stopped) {
        const { rows } = await withClient(this.source, (c) =>
          c.query<{ work: boolean }>(`select exists (select seq from analytics.queue order by seq limit 1) as work`),
        );
        if (!rows[0]!.work) return;
        const r = await refreshOnce(this.source, { batch: this.opts.batch });
        countRefresh(r ? 'refreshed' : 'busy');
        if (!r || r.drained) return;
      }
    } catch (err) {
      if (!this.job.stopped) this.opts.log?.(`analytics refresh failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Stops scheduling and waits for a refresh in flight. */
  stop(): Promise<void> {
    return this.job.stop();
  }
}

/**
 * Refresher settings from the environment: ANALYTICS_REFRESH_MS (default 1000; 0 turns the
 * background refresh off) and ANALYTICS_TIME_ZONES (comma-separated zones to build at start).
 */
export function analyticsOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RefresherOptions {
  const out: RefresherOptions = {};
  const raw = env.ANALYTICS_REFRESH_MS?.trim();
  if (raw) {
    const ms = Number(raw);
    if (!Number.isInteger(ms) || ms < 0 || ms > 3_600_000)
      throw new Error(`ANALYTICS_REFRESH_MS must be an integer between 0 and 3600000; got "${raw}"`);
    out.intervalMs = ms;
  }
  const zones = env.ANALYTICS_TIME_ZONES?.split(',')
    .map((z) => z.trim())
    .filter(Boolean);
  if (zones?.length) out.zones = zones;
  return out;
}
