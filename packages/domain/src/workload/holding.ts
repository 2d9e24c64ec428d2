// Who holds an incident, and when: the rule behind "time holding an incident" in the workload.
//
// A person holds an incident while all of these are true:
// - they are its assignee (from the LOGGED snapshot or the latest ASSIGNED change);
// - it has been acknowledged (the first ACKNOWLEDGED event; before it, nobody has taken it up);
// - its status is an active one (new, triaged, investigating): not on hold, and not resolved,
//   closed or reviewed. A reopen makes it active again, so holding resumes for the assignee.
// Holding therefore starts at acknowledgement or assignment, whichever is later, and ends at
// reassignment, unassignment, a hold or resolution. Events at the same instant apply in timeline
// order before the state is read; intervals still open end at `untilMs` (the time of the query).

export type HoldingEventKind = 'LOGGED' | 'ASSIGNED' | 'ACKNOWLEDGED' | 'STATUS';

export interface HoldingEvent {
  at: number;
  kind: HoldingEventKind;
  /** LOGGED / ASSIGNED: the assignee after the event; undefined when the event does not change it. */
  assigneeId?: string | null;
  /** LOGGED / STATUS: the status after the event. */
  status?: string | null;
}

export interface HoldingInterval {
  userId: string;
  from: number;
  to: number;
}

const INACTIVE = new Set(['ON_HOLD', 'RESOLVED', 'CLOSED', 'REVIEWED']);

export interface HoldingState {
  assigneeId: string | null;
  acknowledged: boolean;
  status: string;
}

export function initialHoldingState(): HoldingState {
  return { assigneeId: null, acknowledged: false, status: 'NEW' };
}

export function applyHoldingEvent(s: HoldingState, e: HoldingEvent): void {
  if (e.assigneeId !== undefined) s.assigneeId = e.assigneeId;
  if (e.kind === 'ACKNOWLEDGED') s.acknowledged = true;
  if (e.status) s.status = e.status;
}

/** The person holding the incident in this state, or null. */
export function holderOf(s: HoldingState): string | null {
  return s.assigneeId !== null && s.acknowledged && !INACTIVE.has(s.status) ? s.assigneeId : null;
}

/**
 * Holding intervals from an incident's events, in timeline order (the caller sorts by time and
 * sequence; a stable sort by `at` is applied here too, so events recorded late still count at
 * their time). Zero-length intervals are left out; everything is clipped to `untilMs`.
 */
export function holdingIntervals(events: readonly HoldingEvent[], untilMs: number): HoldingInterval[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const s = initialHoldingState();
  const out: HoldingInterval[] = [];
  let holder: string | null = null;
  let since = 0;
  const close = (at: number) => {
    const to = Math.min(at, untilMs);
    if (holder !== null && to > since) out.push({ userId: holder, from: since, to });
  };
  for (let i = 0; i < sorted.length;) {
    const at = sorted[i]!.at;
    for (; i < sorted.length && sorted[i]!.at === at; i += 1) applyHoldingEvent(s, sorted[i]!);
    const next = holderOf(s);
    if (next === holder) continue;
    close(at);
    holder = next;
    since = at;
  }
  close(untilMs);
  return out;
}
