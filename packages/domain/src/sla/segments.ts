// Clock segments rebuilt from an incident's events. Segments hold no priority
// and no target, so a clock is recomputed from them when priority or policy
// changes; a backdated event means rebuilding them from the events.

import { HOLD_REASONS, INCIDENT_STATUSES, isResolved, type HoldReason, type IncidentStatus } from '../lifecycle';
import type { Priority } from '../priority-matrix';
import { SlaInputError, type InputIssue } from './input';

/**
 * Resolve and reopen are STATUS_CHANGED events (to RESOLVED, and from
 * RESOLVED or CLOSED back to INVESTIGATING). `seq`, the event log's order,
 * breaks ties between events at the same instant.
 */
export type SlaEvent =
  | { type: 'OPENED'; at: Date; priority: Priority; seq?: number }
  | { type: 'STATUS_CHANGED'; at: Date; status: IncidentStatus; holdReason?: HoldReason | null; seq?: number }
  | { type: 'PRIORITY_CHANGED'; at: Date; priority: Priority; seq?: number }
  | { type: 'ACKNOWLEDGED'; at: Date; seq?: number };

export type SegmentState = 'RUNNING' | 'PAUSED';

/**
 * [from, to): `to` is null while the segment is still going. `holdReason` is
 * set for every on-hold stretch, also a RUNNING one whose reason the policy
 * does not pause for, so a different pause set can be applied later.
 */
export interface ClockSegment {
  state: SegmentState;
  holdReason: HoldReason | null;
  from: Date;
  to: Date | null;
}

export interface ClockTimeline {
  /** Null when the events hold no OPENED event: the clocks never started. */
  openedAt: Date | null;
  /** Priority history in time order, the first being the one opened with. */
  priorities: { at: Date; priority: Priority }[];
  /** Stops at the first acknowledgement or resolution; never restarts. */
  response: ClockSegment[];
  /** Stops at resolution and restarts on reopen; the time between is in no segment. */
  resolution: ClockSegment[];
}

const TYPE_RANK = { OPENED: 0, STATUS_CHANGED: 1, PRIORITY_CHANGED: 2, ACKNOWLEDGED: 3 } as const;

// A total order on event content, so the result never depends on arrival order.
function compareEvents(a: SlaEvent, b: SlaEvent): number {
  return (
    a.at.getTime() - b.at.getTime() ||
    (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER) ||
    TYPE_RANK[a.type] - TYPE_RANK[b.type] ||
    contentKey(a) - contentKey(b)
  );
}

function contentKey(e: SlaEvent): number {
  switch (e.type) {
    case 'STATUS_CHANGED':
      return INCIDENT_STATUSES.indexOf(e.status) * 10 + (e.holdReason ? HOLD_REASONS.indexOf(e.holdReason) + 1 : 0);
    case 'OPENED':
    case 'PRIORITY_CHANGED':
      return e.priority;
    default:
      return 0;
  }
}

function checkEvents(events: readonly SlaEvent[]): void {
  const issues: InputIssue[] = [];
  events.forEach((e, i) => {
    const path = `events[${i}]`;
    if (!(e?.at instanceof Date) || Number.isNaN(e.at.getTime())) issues.push({ path: `${path}.at`, message: 'Must be a valid Date' });
    if (!e || !(e.type in TYPE_RANK)) issues.push({ path: `${path}.type`, message: `Unknown event type ${JSON.stringify(e?.type)}` });
    else if ((e.type === 'OPENED' || e.type === 'PRIORITY_CHANGED') && ![1, 2, 3, 4, 5].includes(e.priority)) {
      issues.push({ path: `${path}.priority`, message: `Must be a priority 1..5, got ${JSON.stringify(e.priority)}` });
    } else if (e.type === 'STATUS_CHANGED') {
      if (!INCIDENT_STATUSES.includes(e.status))
        issues.push({ path: `${path}.status`, message: `Unknown status ${JSON.stringify(e.status)}` });
      if (e.holdReason != null && !HOLD_REASONS.includes(e.holdReason)) {
        issues.push({ path: `${path}.holdReason`, message: `Unknown hold reason ${JSON.stringify(e.holdReason)}` });
      }
    }
  });
  if (issues.length > 0) throw new SlaInputError('SLA events', issues);
}

/** Events may come in any order; throws SlaInputError on malformed events. */
export function buildClockTimeline(events: readonly SlaEvent[], pauseHoldReasons: readonly HoldReason[]): ClockTimeline {
  checkEvents(events);
  const sorted = [...events].sort(compareEvents);
  const priorities: { at: Date; priority: Priority }[] = [];
  let opened: number | null = null;
  for (const e of sorted) {
    if (e.type === 'OPENED' && opened === null) opened = e.at.getTime();
  }
  if (opened === null) return { openedAt: null, priorities: [], response: [], resolution: [] };

  const pauses = new Set(pauseHoldReasons);
  let status: IncidentStatus = 'NEW';
  let hold: HoldReason | null = null;
  let responded = false;
  const response = new SegmentWriter();
  const resolution = new SegmentWriter();
  let started = false;

  for (const e of sorted) {
    const t = e.at.getTime();
    if (!started && t >= opened) {
      started = true;
      update(opened);
    }
    if (e.type === 'OPENED' || e.type === 'PRIORITY_CHANGED') {
      // Priority set before the incident was logged counts from openedAt.
      priorities.push({ at: new Date(Math.max(t, opened)), priority: e.priority });
    } else if (e.type === 'ACKNOWLEDGED') {
      responded = true;
    } else if (e.type === 'STATUS_CHANGED') {
      status = e.status;
      hold = status === 'ON_HOLD' ? (e.holdReason ?? null) : null;
      if (isResolved(status)) responded = true;
    }
    if (started) update(t);
  }
  if (!started) update(opened);

  function update(t: number): void {
    const running = isResolved(status) ? null : hold !== null && pauses.has(hold) ? 'PAUSED' : 'RUNNING';
    resolution.set(running, hold, t);
    response.set(responded ? null : running, hold, t);
  }

  return { openedAt: new Date(opened), priorities, response: response.finish(), resolution: resolution.finish() };
}

class SegmentWriter {
  private readonly out: { state: SegmentState; hold: HoldReason | null; from: number; to: number }[] = [];
  private state: SegmentState | null = null;
  private hold: HoldReason | null = null;
  private since = 0;

  set(state: SegmentState | null, hold: HoldReason | null, t: number): void {
    if (state === this.state && (state === null || hold === this.hold)) return;
    if (this.state !== null && t > this.since) this.out.push({ state: this.state, hold: this.hold, from: this.since, to: t });
    this.state = state;
    this.hold = state === null ? null : hold;
    this.since = t;
    // A zero-length change in between must not split one condition in two.
    const last = this.out[this.out.length - 1];
    if (last && last.to === t && last.state === state && last.hold === this.hold) {
      this.out.pop();
      this.since = last.from;
    }
  }

  finish(): ClockSegment[] {
    const segs: ClockSegment[] = this.out.map((s) => ({ state: s.state, holdReason: s.hold, from: new Date(s.from), to: new Date(s.to) }));
    if (this.state !== null) segs.push({ state: this.state, holdReason: this.hold, from: new Date(this.since), to: null });
    return segs;
  }
}

/** Re-derives RUNNING / PAUSED for another pause set, e.g. a what-if policy. */
export function applyPauseReasons(segments: readonly ClockSegment[], pauseHoldReasons: readonly HoldReason[]): ClockSegment[] {
  const pauses = new Set(pauseHoldReasons);
  const out: ClockSegment[] = [];
  for (const s of segments) {
    const state: SegmentState = s.holdReason !== null && pauses.has(s.holdReason) ? 'PAUSED' : 'RUNNING';
    const last = out[out.length - 1];
    if (last && last.to !== null && last.to.getTime() === s.from.getTime() && last.state === state && last.holdReason === s.holdReason) {
      out[out.length - 1] = { ...last, to: s.to };
    } else out.push({ ...s, state });
  }
  return out;
}
