import { isOpen } from '@ikb/domain';
import type { IncidentEventKind, IncidentSource } from '../../incidents/incident.enums';
import type { Snap } from '../file/assemble';
import { changedFields, type DbState } from './db-state';
import type { Directory } from './directory';

/**
 * The timeline an import writes: what happened between two states of an incident, as the events
 * a person working it in this tool would have recorded (logged, classified, assigned, status
 * moves, problem links, updates), with their summaries.
 */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// Timeline events

export interface DraftEvent {
  kind: IncidentEventKind;
  at: Date;
  actor: string;
  summary: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Where it came from: set on the LOGGED event (source, reference, run, row) and on events an update adds. */
  data: Record<string, unknown> | null;
}

const statusMovedVerdict = (changed: Set<keyof DbState>) => changed.has('status') && changed.has('verdict');

const FIELD_LABELS: Partial<Record<keyof DbState, string>> = {
  detectedAt: 'detected at',
  openedAt: 'opened at',
  reporterId: 'reporter',
  causedByRef: 'caused by',
  changeRef: 'change',
  resolutionKind: 'resolution kind',
  resolutionCode: 'resolution code',
  resolutionNotes: 'resolution notes',
  userConfirmed: 'user confirmation',
  resolvedAt: 'resolved at',
  closedAt: 'closed at',
};
const UPDATED_KEYS: (keyof DbState)[] = [
  'title',
  'description',
  'major',
  'detectedAt',
  'openedAt',
  'reporterId',
  'causedByRef',
  'changeRef',
  'verdict',
];
const CLASSIFY_KEYS: (keyof DbState)[] = ['impact', 'urgency', 'priority', 'serviceId', 'categoryId'];
const norm = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);
const pick = (s: DbState, keys: (keyof DbState)[]) => Object.fromEntries(keys.map((k) => [k, norm(s[k])]));
const words = (s: string) => s.toLowerCase().replace(/_/g, ' ');

export class EventWriter {
  constructor(
    private readonly dir: Directory,
    private readonly source: string,
  ) {}

  private name(id: string | null): string | null {
    return id ? (this.dir.names.get(id) ?? id) : null;
  }

  logged(number: string, ref: string, s: DbState, snap: Snap, ext: string | null, incidentSource: IncidentSource): DraftEvent {
    return {
      kind: 'LOGGED',
      at: s.openedAt,
      actor: snap.openedBy ?? snap.actor ?? this.source,
      summary: `Logged ${number} from import (${this.source} ${ref}): ${s.title}`,
      before: null,
      after: {
        number,
        title: s.title,
        status: 'NEW',
        source: incidentSource,
        impact: s.impact,
        urgency: s.urgency,
        priority: s.priority,
        serviceId: s.serviceId,
        categoryId: s.categoryId,
        teamId: s.teamId,
        assigneeId: s.assigneeId,
        reporterId: s.reporterId,
        major: s.major,
        externalRef: ext,
        detectedAt: iso(s.detectedAt),
        openedAt: iso(s.openedAt),
      },
      data: {},
    };
  }

  /** What happened between two states, as the events a person would have recorded. */
  step(prev: DbState, next: DbState, at: Date, snap: Snap): DraftEvent[] {
    const actor = snap.actor ?? this.source;
    const out: DraftEvent[] = [];
    const changed = new Set(changedFields(prev, next));
    if (!changed.size) return out;
    const ev = new Emit(out, actor);

    if (changed.has('acknowledgedAt') && !prev.acknowledgedAt && next.acknowledgedAt) {
      ev.push(
        'ACKNOWLEDGED',
        next.acknowledgedAt,
        `Acknowledged by ${actor}`,
        { acknowledgedAt: null },
        { acknowledgedAt: iso(next.acknowledgedAt) },
      );
    }
    const classify = CLASSIFY_KEYS.filter((k) => changed.has(k));
    if (classify.length) {
      const extra = [
        changed.has('serviceId') ? `service ${this.name(next.serviceId) ?? 'none'}` : null,
        changed.has('categoryId') ? `category ${this.name(next.categoryId) ?? 'none'}` : null,
      ].filter(Boolean);
      ev.push(
        'CLASSIFIED',
        at,
        `Classified: impact ${next.impact}, urgency ${next.urgency}, priority ` +
          `P${next.priority}${extra.length ? `; ${extra.join('; ')}` : ''}`,
        pick(prev, classify),
        pick(next, classify),
      );
    }
    if (changed.has('teamId') || changed.has('assigneeId')) {
      const keys = (['assigneeId', 'teamId'] as const).filter((k) => changed.has(k));
      const reassigned = (changed.has('assigneeId') && prev.assigneeId !== null) || (changed.has('teamId') && prev.teamId !== null);
      const to = [this.name(next.assigneeId), this.name(next.teamId)].filter(Boolean).join(' / ') || 'nobody';
      ev.push('ASSIGNED', at, `${reassigned ? 'Reassigned' : 'Assigned'} to ${to}`, pick(prev, keys), pick(next, keys));
    }
    if (changed.has('status') || changed.has('holdReason')) {
      const first = out.length;
      this.statusEvents(prev, next, at, snap, ev);
      if (statusMovedVerdict(changed)) {
        // The source's verdict as of this move goes with its last status event.
        const last = out[out.length - 1];
        if (out.length > first && last.after) {
          last.before = { ...last.before, recordedSlaVerdict: prev.verdict };
          last.after = { ...last.after, recordedSlaVerdict: next.verdict };
        }
      }
    }
    if (changed.has('problemId')) {
      if (prev.problemId)
        ev.push(
          'PROBLEM_UNLINKED',
          at,
          `Unlinked from problem ${this.name(prev.problemId)}`,
          { problemId: prev.problemId },
          { problemId: null },
        );
      if (next.problemId)
        ev.push('PROBLEM_LINKED', at, `Linked to problem ${this.name(next.problemId)}`, { problemId: null }, { problemId: next.problemId });
    }
    // A verdict that comes with a resolution or a reopen is part of that status event, not an update of its own.
    const statusMoved = changed.has('status');
    const updated = UPDATED_KEYS.filter((k) => changed.has(k) && !(k === 'verdict' && statusMoved));
    // Resolution details edited without a status change (e.g. a corrected close code).
    if (!changed.has('status'))
      for (const k of ['resolutionKind', 'resolutionCode', 'resolutionNotes', 'userConfirmed', 'resolvedAt', 'closedAt'] as const)
        if (changed.has(k)) updated.push(k);
    const attrs = changed.has('attributes')
      ? Object.keys({ ...prev.attributes, ...next.attributes })
          .filter((k) => prev.attributes[k] !== next.attributes[k])
          .sort()
      : [];
    if (updated.length || attrs.length) {
      const before = {
        ...pick(prev, updated),
        ...(attrs.length ? { attributes: Object.fromEntries(attrs.map((k) => [k, prev.attributes[k] ?? null])) } : {}),
      };
      const after = {
        ...pick(next, updated),
        ...(attrs.length ? { attributes: Object.fromEntries(attrs.map((k) => [k, next.attributes[k] ?? null])) } : {}),
      };
      const verdict = next.verdict === 'MET' ? 'met' : next.verdict === 'BREACHED' ? 'breached' : 'not decided';
      const summary =
        updated.length === 1 && updated[0] === 'verdict' && !attrs.length
          ? `Resolution SLA ${verdict}, as recorded in ${this.source}`
          : `Updated ${[
              ...updated.map((k) => (k === 'verdict' ? `recorded resolution SLA (${verdict})` : (FIELD_LABELS[k] ?? k))),
              ...attrs,
            ].join(', ')}`;
      ev.push('UPDATED', at, summary, before, after);
    }
    return out;
  }

  private statusEvents(prev: DbState, next: DbState, at: Date, snap: Snap, ev: Emit) {
    const wasOpen = isOpen(prev.status);
    const nowOpen = isOpen(next.status);
    if (wasOpen && nowOpen) {
      ev.push(
        'STATUS_CHANGED',
        at,
        `${prev.status} -> ${next.status}${hold(next)}`,
        { status: prev.status, holdReason: prev.holdReason },
        { status: next.status, holdReason: next.holdReason },
      );
      return;
    }
    if (!wasOpen && nowOpen) {
      ev.push(
        'REOPENED',
        at,
        `Reopened (reopen #${next.reopenCount})`,
        {
          status: prev.status,
          reopenCount: prev.reopenCount,
          resolvedAt: iso(prev.resolvedAt),
          closedAt: iso(prev.closedAt),
          resolutionKind: prev.resolutionKind,
        },
        {
          status: next.status,
          holdReason: next.holdReason,
          reopenCount: next.reopenCount,
          resolvedAt: null,
          closedAt: null,
          resolutionKind: null,
        },
        snap.actor ?? this.source,
      );
      return;
    }
    // Towards resolved, closed, reviewed: each step that was passed, at its own time.
    let from = prev;
    const resolver = snap.resolvedBy ?? snap.actor ?? this.source;
    if (wasOpen) {
      ev.push(
        'STATUS_CHANGED',
        next.resolvedAt ?? at,
        `${prev.status} -> RESOLVED${next.resolutionCode ? ` (${next.resolutionCode})` : ''}`,
        { status: prev.status, holdReason: prev.holdReason },
        {
          status: 'RESOLVED',
          holdReason: null,
          resolvedAt: iso(next.resolvedAt),
          resolutionKind: next.resolutionKind,
          resolutionCode: next.resolutionCode,
          resolutionNotes: next.resolutionNotes,
        },
        resolver,
      );
      from = { ...prev, status: 'RESOLVED' };
    }
    if ((next.status === 'CLOSED' || next.status === 'REVIEWED') && from.status === 'RESOLVED') {
      ev.push(
        'STATUS_CHANGED',
        next.closedAt ?? at,
        'RESOLVED -> CLOSED',
        { status: 'RESOLVED' },
        { status: 'CLOSED', closedAt: iso(next.closedAt), userConfirmed: next.userConfirmed },
      );
      from = { ...from, status: 'CLOSED' };
    }
    if (next.status === 'REVIEWED' && from.status === 'CLOSED') {
      ev.push('STATUS_CHANGED', at, 'CLOSED -> REVIEWED', { status: 'CLOSED' }, { status: 'REVIEWED' });
      return;
    }
    if (from.status !== next.status) {
      // Backwards without a reopen (e.g. CLOSED -> RESOLVED in the source): recorded as it came.
      ev.push(
        'STATUS_CHANGED',
        at,
        `${from.status} -> ${next.status}`,
        { status: from.status },
        { status: next.status, resolvedAt: iso(next.resolvedAt), closedAt: iso(next.closedAt) },
      );
    }
  }
}

/** Collects one step's events (a class, not a closure: this runs for every row). */
class Emit {
  constructor(
    private readonly out: DraftEvent[],
    private readonly actor: string,
  ) {}
  push(
    kind: IncidentEventKind,
    at: Date,
    summary: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
    who = this.actor,
  ) {
    this.out.push({ kind, at, actor: who, summary, before, after, data: null });
  }
}

const hold = (s: DbState) => (s.holdReason ? ` (${words(s.holdReason)})` : '');

/** Orders one step's events by time and keeps the timeline from running backwards. */
export function place(events: DraftEvent[], floor: { t: number }, data: Record<string, unknown> | null): DraftEvent[] {
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const e of events) {
    if (e.at.getTime() < floor.t) e.at = new Date(floor.t);
    floor.t = e.at.getTime();
    e.data = data;
  }
  return events;
}
