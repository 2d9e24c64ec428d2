// The loop every background job of an API instance runs (analytics refresh, notifications, tracker
// sync, the search log's flush): a round, then a pause, then the next round; never two rounds at
// once in this process; timers unref'd so they never keep a process alive; stop() ends the loop and
// waits for a round in flight. Rounds across instances are coordinated by the jobs themselves
// (leases, advisory locks), not here.
export class IntervalJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private ended = false;

  /** `intervalMs` <= 0: start() does nothing (tests drive the round themselves). */
  constructor(
    private readonly round: () => Promise<void>,
    readonly intervalMs: number,
  ) {}

  /** True once stop() was called: a long round checks it between steps. */
  get stopped(): boolean {
    return this.ended;
  }

  /** The first round at once, then one every `intervalMs` after the previous one ends. */
  start(): void {
    if (this.intervalMs > 0) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.ended) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.round().finally(() => {
        this.running = null;
        this.schedule(this.intervalMs);
      });
    }, ms);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.ended = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
