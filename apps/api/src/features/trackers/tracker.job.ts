// The background job of tracker sync: every interval it claims due sync jobs and sends them. Every
// API instance runs one; claims are leases taken with SKIP LOCKED, so instances share the work.
import type { ConnectionSource } from '../../db/internals';
import { withClient } from '../analytics/analytics.db';
import { syncDue, type SyncOptions } from './tracker.sender';

export interface TrackerSyncOptions extends SyncOptions {
  /** Pause between rounds (ms); 0 turns the job off (tests drive syncDue themselves). */
  intervalMs?: number;
  log?: (line: string) => void;
}

export class TrackerSync {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly source: ConnectionSource,
    private readonly opts: TrackerSyncOptions = {},
  ) {}

  start(): this {
    if ((this.opts.intervalMs ?? 2000) > 0) this.schedule(0);
    return this;
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule(this.opts.intervalMs ?? 2000);
      });
    }, ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    try {
      // One index probe when idle.
      const { rows } = await withClient(this.source, (c) =>
        c.query<{ due: boolean }>(`select exists (select 1 from tracker.jobs where status = 'PENDING' and next_at <= now()) as due`),
      );
      if (!rows[0]?.due) return;
      while (!this.stopped && (await syncDue(this.source, this.opts)).attempted > 0);
    } catch (err) {
      if (!this.stopped) this.opts.log?.(`tracker sync: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
