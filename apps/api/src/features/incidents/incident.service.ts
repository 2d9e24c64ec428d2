import {
  applyTransition,
  changedInWords,
  derivePriority,
  type IncidentStatus,
  isReadOnly,
  type Level,
  type LifecycleState,
  type TransitionAction,
  valueInSentence,
} from '@ikb/domain';
import { LockMode, type UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WriteService, type WriteOptions } from '../shared/write-service';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import { Service } from '../directory/service.entity';
import { Team } from '../directory/team.entity';
import { User } from '../directory/user.entity';
import { getPriorityMatrix } from '../settings/settings.service';
import { currentPolicyVersion, recomputeClocks } from '../sla/sla.engine';
import { settleApplications } from '../workarounds/workaround.service';
import { publishStatusUpdate } from '../status-page/status-publish';
import { appendEvent, diff } from './incident-events';
import { formatIncidentNumber, Incident } from './incident.entity';
import type {
  AssignIncidentInput,
  ClassifyIncidentInput,
  ConfigurationChangeInput,
  DisasterRecoveryInput,
  EscalationInput,
  LogIncidentInput,
  StakeholderUpdateInput,
  TimeEntryInput,
  TransitionIncidentInput,
  UpdateIncidentInput,
} from './incident.inputs';
import { TimeEntry } from './time-entry.entity';
import type { WorkNoteInput } from './work-note.inputs';

/** Options the seeder and importers use to replay history; the API always acts "now". */
export interface ActOptions extends WriteOptions {
  /** Bulk replays (seed, import) rebuild SLA clocks once at the end instead of after every step. */
  deferSla?: boolean;
}

const CLOCK_SKEW_MS = 60_000;

/**
 * The incident register's write side. Every method runs in one transaction that writes the
 * incident and its timeline event together, so a failure leaves nothing half-written.
 */
export class IncidentService extends WriteService<ActOptions> {
  protected override readonly recordName = 'incident';

  protected override uniqueConflict(err: UniqueConstraintViolationException): AppError | null {
    if (/external_ref/.test(err.message))
      return new AppError('CONFLICT', fieldMessage('externalRef', 'another incident already has this external reference'), {
        field: 'externalRef',
      });
    return null;
  }

  /** Clocks follow the events: rebuilt in the same transaction as the change. */
  private async refreshSla(em: EntityManager, incident: Incident): Promise<void> {
    if (this.opts.deferSla) return;
    await em.flush();
    await recomputeClocks(em, incident, this.now());
  }

  private async load(em: EntityManager, id: string, field = 'id'): Promise<Incident> {
    assertUuid(field, id);
    // Row lock: concurrent changes to one incident queue instead of racing for the same timeline seq.
    const incident = await em.findOne(Incident, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!incident) throw notFound(field, 'incident', id);
    return incident;
  }

  private async loadWritable(em: EntityManager, id: string, field = 'id'): Promise<Incident> {
    const incident = await this.load(em, id, field);
    if (isReadOnly(incident.status)) {
      throw new AppError(
        'INCIDENT_READ_ONLY',
        `${formatIncidentNumber(incident.seqNumber)} is ${valueInSentence(incident.status)}: it is read-only; reopen it first`,
        { status: incident.status },
      );
    }
    return incident;
  }

  private async ensure(
    em: EntityManager,
    entity: typeof Service | typeof Team | typeof User,
    field: string,
    id: string | null | undefined,
    what: string,
  ) {
    if (id === undefined || id === null) return;
    assertUuid(field, id);
    const found = await em.findOne(entity as typeof Service, { id }, { fields: ['id'] });
    if (!found) throw notFound(field, what, id);
  }

  /**
   * The category exists and, for new incidents and reclassifications, is not retired (an incident
   * keeps the one it has): one lookup for both.
   */
  private async ensureCategory(em: EntityManager, id: string | null | undefined, current: string | null = null) {
    if (id === undefined || id === null) return;
    assertUuid('categoryId', id);
    const [row] = await em.execute<{ name: string; retired_at: Date | null }[]>(`select name, retired_at from categories where id = ?`, [
      id,
    ]);
    if (!row) throw notFound('categoryId', 'category', id);
    if (row.retired_at && id !== current) throw badInput('categoryId', `"${row.name}" is retired; choose a category in use`);
  }

  private occurredAt(incident: Incident | null, at: Date | undefined, field: string): Date {
    const now = this.now();
    if (!at) return now;
    if (Number.isNaN(at.getTime())) throw badInput(field, 'is not a valid date');
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw badInput(field, 'must not be in the future');
    if (incident && at < incident.openedAt)
      throw badInput(field, `must not be before the incident was opened (${incident.openedAt.toISOString()})`);
    return at;
  }

  /**
   * A status change may be back-dated, but not to before the incident's resolution or closure it
   * follows: the timeline and the SLA clocks must not run backwards. (Acknowledging is not a
   * lifecycle step: work may start before the acknowledgement is recorded.)
   */
  private stepAt(incident: Incident, at: Date | undefined, field: string): Date {
    const when = this.occurredAt(incident, at, field);
    if (!at) return when;
    const steps: [Date | null, string][] = [
      [incident.resolvedAt, 'resolved'],
      [incident.closedAt, 'closed'],
    ];
    const last = steps.filter((x): x is [Date, string] => x[0] !== null).sort((a, b) => b[0].getTime() - a[0].getTime())[0];
    if (last && when < last[0]) throw badInput(field, `must not be before the incident was ${last[1]} (${last[0].toISOString()})`);
    return when;
  }

  async log(input: LogIncidentInput): Promise<Incident> {
    return this.tx(async (em) => {
      await this.ensure(em, Service, 'serviceId', input.serviceId, 'service');
      await this.ensureCategory(em, input.categoryId);
      await this.ensure(em, Team, 'teamId', input.teamId, 'team');
      await this.ensure(em, User, 'assigneeId', input.assigneeId, 'user');
      await this.ensure(em, User, 'reporterId', input.reporterId, 'user');
      const openedAt = this.occurredAt(null, input.openedAt, 'openedAt');
      if (input.detectedAt && input.detectedAt > openedAt) throw badInput('detectedAt', 'must not be after the time it was opened');
      const impact = (input.impact ?? 3) as Level;
      const urgency = (input.urgency ?? 3) as Level;
      const matrix = await getPriorityMatrix(em);
      const [{ n }] = await em.execute<{ n: string }[]>(`select nextval('incident_number_seq') as n`);
      // The SLA policy version goes into the new row itself, not into an update once the clocks are computed.
      const policyVersion = this.opts.deferSla ? null : await currentPolicyVersion(em, input.serviceId ?? null);
      const incident = em.create(Incident, {
        seqNumber: Number(n),
        title: input.title.trim(),
        description: input.description ?? '',
        source: input.source,
        serviceId: input.serviceId ?? null,
        categoryId: input.categoryId ?? null,
        impact,
        urgency,
        priority: derivePriority(impact, urgency, matrix),
        reporterId: input.reporterId ?? null,
        assigneeId: input.assigneeId ?? null,
        teamId: input.teamId ?? null,
        major: input.major ?? false,
        externalRef: input.externalRef ?? null,
        detectedAt: input.detectedAt ?? null,
        openedAt,
        updatedAt: this.now(),
        slaPolicyVersionId: policyVersion?.id ?? null,
      } as Incident);
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: 'LOGGED',
          at: openedAt,
          summary:
            `Logged ${formatIncidentNumber(incident.seqNumber)} from ${input.source.toLowerCase().replace('_', ' ')}: ` +
            `${incident.title}`,
          after: snapshot(incident),
        },
        this.now(),
      );
      await this.refreshSla(em, incident);
      return incident;
    });
  }

  async update(id: string, input: UpdateIncidentInput): Promise<Incident> {
    return this.tx(async (em) => {
      const incident = await this.loadWritable(em, id);
      const before = { ...incident };
      if (input.title !== undefined && input.title !== null) incident.title = input.title.trim();
      if (input.description !== undefined && input.description !== null) incident.description = input.description;
      if (input.major !== undefined && input.major !== null) incident.major = input.major;
      if (input.externalRef !== undefined) incident.externalRef = input.externalRef ?? null;
      if (input.detectedAt !== undefined) {
        if (input.detectedAt && input.detectedAt > incident.openedAt)
          throw badInput('detectedAt', 'must not be after the time the incident was opened');
        incident.detectedAt = input.detectedAt ?? null;
      }
      const d = diff(before as Incident, incident, ['title', 'description', 'major', 'externalRef', 'detectedAt']);
      if (d.changed.length === 0) return incident;
      appendEvent(
        em,
        incident,
        this.actor,
        { kind: 'UPDATED', summary: `Updated ${changedInWords(d.changed)}`, before: d.before, after: d.after },
        this.now(),
      );
      return incident;
    });
  }

  async classify(id: string, input: ClassifyIncidentInput): Promise<Incident> {
    return this.tx(async (em) => {
      const incident = await this.loadWritable(em, id);
      await this.ensure(em, Service, 'serviceId', input.serviceId, 'service');
      await this.ensureCategory(em, input.categoryId, incident.categoryId);
      if (input.priority != null && !input.priorityReason) throw badInput('priorityReason', 'a manual priority needs a reason');
      if (input.priority != null && input.clearPriorityOverride)
        throw badInput('clearPriorityOverride', 'cannot both set and clear a manual priority');
      const now = this.now();
      const before = { ...incident };
      if (input.impact != null) incident.impact = input.impact;
      if (input.urgency != null) incident.urgency = input.urgency;
      if (input.serviceId != null && input.serviceId !== incident.serviceId) {
        incident.serviceId = input.serviceId;
        // Another service may have its own SLA policy: take its current version.
        incident.slaPolicyVersionId = null;
      }
      if (input.categoryId != null) incident.categoryId = input.categoryId;
      const derived = derivePriority(incident.impact as Level, incident.urgency as Level, await getPriorityMatrix(em));
      if (input.priority != null) {
        incident.priority = input.priority;
        incident.priorityOverrideReason = input.priorityReason!;
      } else if (input.clearPriorityOverride || incident.priorityOverrideReason === null) {
        incident.priority = derived;
        incident.priorityOverrideReason = null;
      }
      const d = diff(before as Incident, incident, ['impact', 'urgency', 'serviceId', 'categoryId', 'priority', 'priorityOverrideReason']);
      if (d.changed.length > 0) {
        const overridden = input.priority != null;
        appendEvent(
          em,
          incident,
          this.actor,
          {
            kind: overridden ? 'PRIORITY_OVERRIDDEN' : 'CLASSIFIED',
            summary: overridden
              ? `Priority set by hand to P${incident.priority} (matrix says P${derived}): ${input.priorityReason}`
              : `Classified: impact ${incident.impact}, urgency ${incident.urgency}, priority P${incident.priority}`,
            before: d.before,
            after: d.after,
            data: overridden ? { derivedPriority: derived } : null,
          },
          now,
        );
      }
      // Classifying a new incident is what triages it.
      if (incident.status === 'NEW') this.move(em, incident, { to: 'TRIAGED' }, now);
      await this.refreshSla(em, incident);
      return incident;
    });
  }

  async assign(id: string, input: AssignIncidentInput): Promise<Incident> {
    return this.tx(async (em) => {
      const incident = await this.loadWritable(em, id);
      await this.ensure(em, User, 'assigneeId', input.assigneeId, 'user');
      await this.ensure(em, Team, 'teamId', input.teamId, 'team');
      const before = { ...incident };
      if (input.assigneeId !== undefined) incident.assigneeId = input.assigneeId;
      if (input.teamId !== undefined) incident.teamId = input.teamId;
      const d = diff(before as Incident, incident, ['assigneeId', 'teamId']);
      if (d.changed.length === 0) return incident;
      // A reassignment moves work that someone already had; the first assignment is not one.
      const reassigned =
        (d.changed.includes('assigneeId') && before.assigneeId !== null) || (d.changed.includes('teamId') && before.teamId !== null);
      if (reassigned) incident.reassignmentCount += 1;
      const names = await this.names(em, incident.assigneeId, incident.teamId);
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: 'ASSIGNED',
          summary: `${reassigned ? 'Reassigned' : 'Assigned'} to ${[names.user, names.team].filter(Boolean).join(' / ') || 'nobody'}`,
          before: d.before,
          after: d.after,
        },
        this.now(),
      );
      return incident;
    });
  }

  private async names(em: EntityManager, userId: string | null, teamId: string | null) {
    // Sequential: inside a transaction both would queue on the same connection anyway.
    const user = userId ? await em.findOne(User, { id: userId }) : null;
    const team = teamId ? await em.findOne(Team, { id: teamId }) : null;
    return { user: user?.name, team: team?.name };
  }

  async acknowledge(id: string, occurredAt?: Date): Promise<Incident> {
    return this.tx(async (em) => {
      const incident = await this.loadWritable(em, id);
      if (incident.acknowledgedAt) {
        throw new AppError(
          'ALREADY_ACKNOWLEDGED',
          `${formatIncidentNumber(incident.seqNumber)} was already acknowledged at ${incident.acknowledgedAt.toISOString()}`,
        );
      }
      const at = this.occurredAt(incident, occurredAt, 'occurredAt');
      incident.acknowledgedAt = at;
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: 'ACKNOWLEDGED',
          at,
          summary: `Acknowledged by ${this.actor.name}`,
          before: { acknowledgedAt: null },
          after: { acknowledgedAt: at.toISOString() },
        },
        this.now(),
      );
      await this.refreshSla(em, incident);
      return incident;
    });
  }

  async transition(id: string, input: TransitionIncidentInput, opts: { reopenOnly?: boolean } = {}): Promise<Incident> {
    return this.tx(async (em) => {
      // Not loadWritable: read-only incidents still take the moves the lifecycle allows from them (reopen, review).
      const incident = await this.load(em, id);
      if (opts.reopenOnly && incident.status !== 'RESOLVED' && incident.status !== 'CLOSED')
        throw new AppError(
          'ILLEGAL_TRANSITION',
          `Cannot reopen ${formatIncidentNumber(incident.seqNumber)}: it is ${valueInSentence(incident.status)}; only resolved or closed ` +
            'incidents are reopened',
          { from: incident.status, to: input.to },
        );
      const at = this.stepAt(incident, input.occurredAt, 'occurredAt');
      if (input.workaroundId && input.to !== 'RESOLVED') throw badInput('workaroundId', 'is given only when resolving');
      const action = this.move(em, incident, input, at);
      if (action === 'RESOLVE') await settleApplications(em, incident, input.workaroundId ?? undefined);
      if (action === 'REOPEN') incident.resolutionWorkaroundId = null;
      await this.refreshSla(em, incident);
      return incident;
    });
  }

  /** Applies a lifecycle move through the pure state machine and records it. */
  private move(
    em: EntityManager,
    incident: Incident,
    input: Partial<TransitionIncidentInput> & { to: IncidentStatus },
    at: Date,
  ): TransitionAction {
    const state: LifecycleState = {
      status: incident.status,
      holdReason: incident.holdReason,
      reopenCount: incident.reopenCount,
      resolutionKind: incident.resolutionKind,
      resolvedAt: incident.resolvedAt,
      closedAt: incident.closedAt,
      userConfirmed: incident.userConfirmed,
    };
    const result = applyTransition(state, {
      to: input.to,
      holdReason: input.holdReason ?? undefined,
      resolutionKind: input.resolutionKind ?? undefined,
      resolutionCode: input.resolutionCode ?? undefined,
      resolutionNotes: input.resolutionNotes ?? undefined,
      userConfirmed: input.userConfirmed ?? undefined,
      at,
    });
    if (!result.ok) {
      const { code, field, message } = result.error;
      if (code === 'ILLEGAL_TRANSITION')
        throw new AppError('ILLEGAL_TRANSITION', message, { field: 'to', from: incident.status, to: input.to });
      // The domain words these as whole sentences; the field goes in extensions.
      throw new AppError('BAD_USER_INPUT', message, { field, reason: code });
    }
    const before = { ...incident };
    const next = result.state;
    incident.status = next.status;
    incident.holdReason = next.holdReason;
    incident.reopenCount = next.reopenCount;
    incident.resolutionKind = next.resolutionKind;
    incident.resolvedAt = next.resolvedAt;
    incident.closedAt = next.closedAt;
    incident.userConfirmed = next.userConfirmed;
    if (result.rule.action === 'RESOLVE') {
      incident.resolutionCode = input.resolutionCode ?? null;
      incident.resolutionNotes = input.resolutionNotes ?? null;
    } else if (result.rule.action === 'REOPEN') {
      incident.resolutionCode = null;
      incident.resolutionNotes = null;
    }
    const d = diff(before as Incident, incident, [
      'status',
      'holdReason',
      'reopenCount',
      'resolutionKind',
      'resolutionCode',
      'resolutionNotes',
      'resolvedAt',
      'closedAt',
      'userConfirmed',
    ]);
    const reopened = result.rule.action === 'REOPEN';
    const hold = next.holdReason ? ` (${next.holdReason.toLowerCase().replace(/_/g, ' ')})` : '';
    appendEvent(
      em,
      incident,
      this.actor,
      {
        kind: reopened ? 'REOPENED' : 'STATUS_CHANGED',
        at,
        summary: reopened
          ? `Reopened (reopen #${next.reopenCount})${input.note ? `: ${input.note}` : ''}`
          : `${before.status} -> ${next.status}${hold}${input.note ? `: ${input.note}` : ''}`,
        before: d.before,
        after: d.after,
        data: {
          action: result.rule.action,
          ...(input.note ? { note: input.note } : {}),
          ...(input.workaroundId ? { workaroundId: input.workaroundId } : {}),
        },
      },
      this.now(),
    );
    return result.rule.action;
  }

  /** Optionally public: the status page's row goes in with the event (status-page/status-publish.ts). */
  async addStakeholderUpdate(id: string, input: StakeholderUpdateInput) {
    const notify = input.notifySubscribers !== false;
    const pub = input.statusPage ? { title: input.publicTitle?.trim() || null, state: input.publicState } : null;
    if (pub && !pub.state) throw badInput('publicState', 'choose the state the status page shows (investigating, identified ...)');
    if (!pub && (input.publicState || input.publicTitle)) throw badInput('statusPage', 'a public title or state needs statusPage: true');
    return this.note(id, (incident, em) => {
      if (pub) publishStatusUpdate(em, incident, { ...pub, state: pub.state!, body: input.message }, this.now());
      const told = [input.audience ? `to ${input.audience}` : null, pub ? `on the status page (${pub.state!.toLowerCase()})` : null];
      return {
        kind: 'STAKEHOLDER_UPDATE',
        summary: `Update${told
          .filter(Boolean)
          .map((t) => ` ${t}`)
          .join(',')}${notify ? '' : ' (subscribers not told)'}: ${clip(input.message)}`,
        data: { message: input.message, audience: input.audience ?? null, notify, ...(pub ? { statusPage: pub } : {}) },
      };
    });
  }

  /** Internal: kept whole in data.markdown (the summary is clipped); never part of a stakeholder update. */
  async addWorkNote(id: string, input: WorkNoteInput) {
    return this.note(id, () => ({
      kind: 'WORK_NOTE',
      summary: `Work note: ${clip(input.note)}`,
      data: { markdown: input.note },
    }));
  }

  async recordEscalation(id: string, input: EscalationInput) {
    return this.tx(async (em) => {
      const incident = await this.loadWritable(em, id);
      await this.ensure(em, Team, 'toTeamId', input.toTeamId, 'team');
      await this.ensure(em, User, 'toUserId', input.toUserId, 'user');
      const names = await this.names(em, input.toUserId ?? null, input.toTeamId ?? null);
      let before = null;
      let after = null;
      if (input.kind === 'MAJOR_INCIDENT' && !incident.major) {
        incident.major = true;
        before = { major: false };
        after = { major: true };
      }
      const target = [names.user, names.team].filter(Boolean).join(' / ');
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: 'ESCALATION',
          summary:
            `${input.kind === 'MAJOR_INCIDENT' ? 'Declared a major incident' : `${cap(input.kind.toLowerCase())} escalation`}` +
            `${target ? ` to ${target}` : ''}: ${clip(input.reason)}`,
          before,
          after,
          data: { escalation: input.kind, reason: input.reason, toTeamId: input.toTeamId ?? null, toUserId: input.toUserId ?? null },
        },
        this.now(),
      );
      return incident;
    });
  }

  async triggerDisasterRecovery(id: string, input: DisasterRecoveryInput) {
    return this.note(id, () => ({
      kind: 'DR_PLAN_TRIGGERED',
      summary: `Disaster-recovery plan "${input.plan}" triggered: ${clip(input.reason)}`,
      data: { plan: input.plan, reason: input.reason },
    }));
  }

  async recordConfigurationChange(id: string, input: ConfigurationChangeInput) {
    return this.note(id, () => ({
      kind: 'CONFIGURATION_CHANGE',
      summary: `Changed ${input.configurationItem}${input.changeRef ? ` (${input.changeRef})` : ''}: ${clip(input.description)}`,
      data: { configurationItem: input.configurationItem, description: input.description, changeRef: input.changeRef ?? null },
    }));
  }

  async addTimeEntry(id: string, input: TimeEntryInput): Promise<TimeEntry> {
    return this.tx(async (em) => {
      const incident = await this.loadWritable(em, id, 'incidentId');
      await this.ensure(em, User, 'userId', input.userId, 'user');
      const performedAt = this.occurredAt(incident, input.performedAt, 'performedAt');
      const entry = em.create(TimeEntry, {
        incidentId: incident.id,
        userId: input.userId ?? this.actor.id,
        activity: input.activity.trim(),
        minutes: input.minutes,
        billable: input.billable,
        rateCents: input.rateCents ?? 0,
        note: input.note ?? null,
        performedAt,
        createdAt: this.now(),
      } as TimeEntry);
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: 'TIME_LOGGED',
          at: performedAt,
          summary: `${input.minutes} min of ${entry.activity}${input.billable ? ' (billable)' : ''}`,
          data: { timeEntryId: entry.id, minutes: input.minutes, billable: input.billable, rateCents: entry.rateCents },
        },
        this.now(),
      );
      return entry;
    });
  }

  /** A timeline entry that changes no incident field. */
  private async note(id: string, build: (incident: Incident, em: EntityManager) => Parameters<typeof appendEvent>[3]): Promise<Incident> {
    return this.tx(async (em) => {
      const incident = await this.loadWritable(em, id);
      appendEvent(em, incident, this.actor, build(incident, em), this.now());
      return incident;
    });
  }
}

function clip(text: string, max = 280): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function snapshot(i: Incident): Record<string, unknown> {
  return {
    number: formatIncidentNumber(i.seqNumber),
    title: i.title,
    status: i.status,
    source: i.source,
    impact: i.impact,
    urgency: i.urgency,
    priority: i.priority,
    serviceId: i.serviceId,
    categoryId: i.categoryId,
    teamId: i.teamId,
    assigneeId: i.assigneeId,
    reporterId: i.reporterId,
    major: i.major,
    externalRef: i.externalRef,
    detectedAt: i.detectedAt?.toISOString() ?? null,
    openedAt: i.openedAt.toISOString(),
  };
}
