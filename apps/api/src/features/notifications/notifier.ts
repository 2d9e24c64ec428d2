// The background job of notifications: every interval it routes what the triggers queued, then
// sends what is due. Every API instance runs one; the router's advisory lock lets one route at a
// time, and deliveries are claimed by lease, so instances share the sending.
import type { ConnectionSource } from '../../db/internals';
import { IntervalJob } from '../../db/interval-job';
import { withClient } from '../analytics/analytics.db';
import { routeOnce } from './notify.router';
import { scanSla } from './notify.sla-scan';
import { scanKnowledge } from './notify.knowledge';
import { routeRecords, scanOverdue } from './notify.records';
import { byChannel, claimDue, sendAll, type SendOptions } from './notify.sender';
import { closeMailTransport, sendDueMails } from './mail.sender';
import { mailConfigured } from './mail.outbox';
import { composeMails } from './mail.composer';
import { sweepNotifications } from './notify.retention';
import { fanOutStatusUpdates } from '../status-page/status-fanout';
import { composeFollowThroughDigests } from '../workload/follow-through.digest';

export interface NotifierOptions extends SendOptions {
  /** Pause between rounds (ms); 0 turns the job off (tests drive routeOnce / deliverDue themselves). */
  intervalMs?: number;
  /** How often running SLA clocks are checked for 75 %, 90 % and breach (ms; default 10 s). */
  slaScanMs?: number;
  /** How often knowledge items are judged for review reminders (ms; default 10 min; docs/knowledge-lifecycle.md). */
  knowledgeScanMs?: number;
  /** The web app's address, for links in messages. */
  publicWebUrl: string;
  /** Days the delivery log, people's lists and sent mail are kept (NOTIFY_RETENTION_DAYS; default 90). */
  retentionDays?: number;
  /** How often people's inboxes are checked for digests coming due (ms; default 15 s). */
  composeMs?: number;
  /** The SMTP server mail goes to (SMTP_URL); unset: nothing is mailed. */
  smtpUrl?: string;
  /** From of every mail (MAIL_FROM). */
  mailFrom?: string;
  log?: (line: string) => void;
}

export class Notifier {
  private readonly job: IntervalJob;
  private lastSlaScan = 0;
  private lastKnowledgeScan = 0;
  private lastCompose = 0;
  private lastSweep = 0;
  /** Channels with sends in flight: not claimed for again until they finish, so a slow receiver holds up only itself. */
  private readonly sending = new Map<string, Promise<unknown>>();
  private dispatching: Promise<void> = Promise.resolve();
  private mailing: Promise<void> | null = null;

  constructor(
    private readonly source: ConnectionSource,
    private readonly opts: NotifierOptions,
  ) {
    this.job = new IntervalJob(() => this.tick(), opts.intervalMs ?? 1000);
  }

  start(): this {
    this.job.start();
    return this;
  }

  private async tick(): Promise<void> {
    try {
      // Public updates to the status page's subscribers: queued as mail before the look below sees them.
      await fanOutStatusUpdates(this.source);
      // One cheap look before any work: an idle system costs two index probes a second.
      const { rows } = await withClient(this.source, (c) =>
        c.query<{ queued: boolean; due: boolean; mail: boolean }>(
          `select exists (select seq from notify.queue order by seq limit 1) as queued,
                  exists (select 1 from notify.deliveries where status = 'PENDING' and next_at <= now()) as due,
                  exists (select 1 from notify.mails where status = 'PENDING' and next_at <= now()) as mail`,
        ),
      );
      if (Date.now() - this.lastSlaScan >= (this.opts.slaScanMs ?? 10_000)) {
        this.lastSlaScan = Date.now();
        const scanned = await scanSla(this.source, this.opts);
        const overdue = await scanOverdue(this.source, this.opts);
        if (scanned?.deliveries || overdue?.deliveries) rows[0]!.due = true;
      }
      if (Date.now() - this.lastKnowledgeScan >= (this.opts.knowledgeScanMs ?? 600_000)) {
        this.lastKnowledgeScan = Date.now();
        const knowledge = await scanKnowledge(this.source, this.opts);
        if (knowledge?.deliveries) rows[0]!.due = true;
      }
      if (Date.now() - this.lastSweep >= 3_600_000) {
        this.lastSweep = Date.now();
        await sweepNotifications(this.source, this.opts.retentionDays ?? 90);
      }
      // Reviews, action items and problems (notify.record_queue): people told, channels' deliveries due.
      const records = await routeRecords(this.source, this.opts, () => this.job.stopped);
      if (records.deliveries) rows[0]!.due = true;
      let people = records.people;
      if (rows[0]!.queued) {
        let routed = await routeOnce(this.source, this.opts);
        while (routed && routed.taken > 0 && !this.job.stopped) {
          people += routed.people;
          routed = await routeOnce(this.source, this.opts);
        }
      }
      if (rows[0]!.queued || rows[0]!.due) await this.dispatch();
      if (!mailConfigured()) return;
      // People's mail: at once when someone was told something, else now and then for digests coming due.
      let mail = rows[0]!.mail;
      if (people > 0 || Date.now() - this.lastCompose >= (this.opts.composeMs ?? 15_000)) {
        this.lastCompose = Date.now();
        mail = ((await composeMails(this.source))?.mails ?? 0) > 0 || mail;
        mail = (await composeFollowThroughDigests(this.source)) > 0 || mail;
      }
      if (mail) this.mail();
    } catch (err) {
      if (!this.job.stopped) this.opts.log?.(`notifications: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Claims what is due for the channels not sending now and starts their sends. Calls run one after
   * another in this process, so one channel never has two batches in flight (its order holds); a
   * channel that finishes its batch asks for the next at once instead of waiting for the next round.
   */
  private dispatch(): Promise<void> {
    const run = async () => {
      if (this.job.stopped) return;
      const claimed = await claimDue(this.source, { ...this.opts, busy: [...this.sending.keys()] });
      for (const [channel, list] of byChannel(claimed)) {
        const p = sendAll(this.source, list, this.opts)
          .catch((err) => this.opts.log?.(`notifications: sending failed: ${err instanceof Error ? err.message : String(err)}`))
          .finally(() => {
            this.sending.delete(channel);
            // More may have come due meanwhile: one claim finds out (none when nothing waits).
            void this.dispatch().catch(() => {});
          });
        this.sending.set(channel, p);
      }
    };
    this.dispatching = this.dispatching.then(run, run);
    return this.dispatching;
  }

  /** Sends due mail in the background, one batch at a time in this process, until none is due. */
  private mail(): void {
    if (this.mailing) return;
    const run = async () => {
      while (!this.job.stopped) {
        const r = await sendDueMails(this.source, this.opts);
        if (r.attempted === 0) break;
      }
    };
    this.mailing = run()
      .catch((err) => this.opts.log?.(`notifications: mail failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.mailing = null));
  }

  async stop(): Promise<void> {
    await this.job.stop();
    await this.dispatching.catch(() => {});
    await Promise.all(this.sending.values());
    await this.mailing;
    closeMailTransport();
  }
}
