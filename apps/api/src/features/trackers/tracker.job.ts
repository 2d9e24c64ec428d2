// The background job of tracker sync: every interval it claims due sync jobs and sends them. Every
// API instance runs one; claims are leases taken with SKIP LOCKED, so instances share the work.
import type { ConnectionSource } from '../../db/internals';
import { IntervalJob } from '../../db/interval-job';
import { withClient } from '../analytics/analytics.db';
import { syncDue, type SyncOptions } from './tracker.sender';

export interface TrackerSyncOptions extends SyncOptions {
  /** Pause between rounds (ms); 0 turns the job off (tests drive syncDue themselves). */
  intervalMs?: number;
  log?: (line: string) => void;
}

export class TrackerSync {
  private readonly job: IntervalJob;

  constructor(
    private readonly source: ConnectionSource,
    private readonly opts: TrackerSyncOptions = {},
  ) {
    this.job = new IntervalJob(() => this.tick(), opts.intervalMs ?? 2000);
  }

  start(): this {
    this.job.start();
    return this;
  }

  private async tick(): Promise<void> {
    try {
      // One index probe when idle.
      const { rows } = await withClient(this.source, (c) =>
        c.query<{ due: boolean }>(`select exists (select 1 from tracker.jobs where status = 'PENDING' and next_at <= now()) as due`),
      );
      if (!rows[0]?.due) return;
      while (!this.job.stopped && (await syncDue(this.source, this.opts)).attempted > 0);
    } catch (err) {
      if (!this.job.stopped) this.opts.log?.(`tracker sync: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
