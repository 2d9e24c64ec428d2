import { changedInWords, checkProblemMove, isResolved, type ProblemStatus, valueInSentence } from '@ikb/domain';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WriteService } from '../shared/write-service';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import { Category } from '../directory/category.entity';
import { Service } from '../directory/service.entity';
import { Team } from '../directory/team.entity';
import { User } from '../directory/user.entity';
import { diff } from '../incidents/incident-events';
import { appendEvent } from '../incidents/incident-events';
import { formatIncidentNumber, Incident } from '../incidents/incident.entity';
import { Workaround } from '../workarounds/workaround.entity';
import { appendProblemEvent } from './problem-events';
import { formatProblemNumber, Problem } from './problem.entity';
import type { CreateProblemInput, UpdateProblemInput } from './problem.inputs';

const EDITABLE: (keyof Problem)[] = [
  'title',
  'description',
  'rootCauseCategory',
  'rootCause',
  'analysisNotes',
  'fixChangeRef',
  'fixDescription',
  'serviceId',
  'categoryId',
  'keywords',
  'ownerId',
  'teamId',
];

/** Problems and their links to incidents and workarounds; each method is one transaction. */
export class ProblemService extends WriteService {
  private async load(em: EntityManager, id: string, field = 'id'): Promise<Problem> {
    assertUuid(field, id);
    const p = await em.findOne(Problem, { id });
    if (!p) throw notFound(field, 'problem', id);
    return p;
  }

  private async loadIncident(em: EntityManager, id: string, field = 'incidentId'): Promise<Incident> {
    assertUuid(field, id);
    const i = await em.findOne(Incident, { id }, em.isInTransaction() ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!i) throw notFound(field, 'incident', id);
    return i;
  }

  /** Every id the input points at exists (bulk changes check once for all their rows). */
  async checkRefs(em: EntityManager, input: UpdateProblemInput) {
    const refs: [string, string | null | undefined, typeof Service | typeof Category | typeof User | typeof Team, string][] = [
      ['serviceId', input.serviceId, Service, 'service'],
      ['categoryId', input.categoryId, Category, 'category'],
      ['ownerId', input.ownerId, User, 'user'],
      ['teamId', input.teamId, Team, 'team'],
    ];
    for (const [field, id, entity, what] of refs) {
      if (!id) continue;
      assertUuid(field, id);
      if (!(await em.findOne(entity as typeof Service, { id }, { fields: ['id'] }))) throw notFound(field, what, id);
    }
  }

  private apply(p: Problem, input: UpdateProblemInput) {
    if (input.title != null) p.title = input.title.trim();
    if (input.description != null) p.description = input.description;
    if (input.rootCauseCategory != null) p.rootCauseCategory = input.rootCauseCategory;
    if (input.rootCause !== undefined) p.rootCause = input.rootCause?.trim() || null;
    if (input.analysisNotes != null) p.analysisNotes = input.analysisNotes;
    if (input.fixChangeRef !== undefined) p.fixChangeRef = input.fixChangeRef?.trim() || null;
    if (input.fixDescription !== undefined) p.fixDescription = input.fixDescription || null;
    if (input.serviceId !== undefined) p.serviceId = input.serviceId ?? null;
    if (input.categoryId !== undefined) p.categoryId = input.categoryId ?? null;
    if (input.keywords != null) p.keywords = [...new Set(input.keywords.map((k) => k.trim().toLowerCase()).filter(Boolean))];
    if (input.ownerId !== undefined) p.ownerId = input.ownerId ?? null;
    if (input.teamId !== undefined) p.teamId = input.teamId ?? null;
  }

  async create(input: CreateProblemInput, source?: Incident): Promise<Problem> {
    return this.tx(async (em) => {
      await this.checkRefs(em, input);
      const [{ n }] = await em.execute<{ n: string }[]>(`select nextval('problem_number_seq') as n`);
      const p = em.create(Problem, {
        seqNumber: Number(n),
        title: input.title.trim(),
        status: 'OPEN',
        createdAt: this.now(),
        updatedAt: this.now(),
        sourceIncidentId: source?.id ?? null,
      } as Problem);
      this.apply(p, input);
      appendProblemEvent(
        em,
        p,
        this.actor,
        {
          kind: 'CREATED',
          summary:
            `Opened ${formatProblemNumber(p.seqNumber)}: ` +
            `${p.title}${source ? ` (from ${formatIncidentNumber(source.seqNumber)})` : ''}`,
          after: { title: p.title, rootCauseCategory: p.rootCauseCategory },
        },
        this.now(),
      );
      const ids = [...new Set([...(input.incidentIds ?? []), ...(source ? [source.id] : [])])];
      for (const id of ids) await this.link(em, await this.loadIncident(em, id, 'incidentIds'), p);
      return p;
    });
  }

  async createFromIncident(incidentId: string, input: CreateProblemInput): Promise<Problem> {
    const source = await this.loadIncident(this.em, incidentId);
    if (!isResolved(source.status)) {
      throw badInput(
        'incidentId',
        `${formatIncidentNumber(source.seqNumber)} is ${valueInSentence(source.status)}; knowledge is created from resolved incidents`,
      );
    }
    const filled = {
      ...input,
      serviceId: input.serviceId ?? source.serviceId ?? undefined,
      categoryId: input.categoryId ?? source.categoryId ?? undefined,
    } as CreateProblemInput;
    return this.tx(async (em) => {
      const incident = await this.loadIncident(em, incidentId);
      const p = await new ProblemService(em, this.actor, this.opts).create(filled, incident);
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: 'KNOWLEDGE_CREATED',
          summary: `Problem ${formatProblemNumber(p.seqNumber)} created from this incident`,
          data: { problemId: p.id },
        },
        this.now(),
      );
      return p;
    });
  }

  async update(id: string, input: UpdateProblemInput): Promise<Problem> {
    return this.tx(async (em) => {
      const p = await this.load(em, id);
      await this.checkRefs(em, input);
      this.edit(em, p, input);
      return p;
    });
  }

  /**
   * The rules and the timeline entry of an edit, on a loaded problem whose references were checked:
   * shared by update and by bulk changes, which load and check once for all their rows.
   */
  edit(em: EntityManager, p: Problem, input: UpdateProblemInput): void {
    const before = { ...p };
    this.apply(p, input);
    if (p.status !== 'OPEN' && p.status !== 'CLOSED') {
      // The status says the root cause is known; an edit may not take that away.
      const err = checkProblemMove({ ...p, status: 'OPEN' }, 'KNOWN_ERROR');
      if (err && err.code === 'ROOT_CAUSE_REQUIRED')
        throw badInput(err.field ?? 'rootCause', `a problem that is ${valueInSentence(p.status)} keeps a documented root cause`);
      if (p.status === 'RESOLVED' && !p.fixChangeRef) throw badInput('fixChangeRef', 'a resolved problem keeps the change that fixed it');
    }
    const d = diff(before as Problem, p, EDITABLE);
    if (d.changed.length)
      appendProblemEvent(
        em,
        p,
        this.actor,
        { kind: 'UPDATED', summary: `Updated ${changedInWords(d.changed)}`, before: d.before, after: d.after },
        this.now(),
      );
  }

  async transition(id: string, to: ProblemStatus, note?: string): Promise<Problem> {
    return this.tx(async (em) => {
      const p = await this.load(em, id);
      this.move(em, p, to, note);
      return p;
    });
  }

  /** The lifecycle rules and the timeline entry of a status move, on a loaded problem (transition and bulk changes). */
  move(em: EntityManager, p: Problem, to: ProblemStatus, note?: string): void {
    const err = checkProblemMove(p, to);
    if (err) {
      if (err.code === 'ILLEGAL_TRANSITION') throw new AppError('ILLEGAL_TRANSITION', err.message, { from: p.status, to });
      throw new AppError('BAD_USER_INPUT', err.field ? fieldMessage(err.field, err.message) : err.message, {
        field: err.field,
        reason: err.code,
      });
    }
    const from = p.status;
    const now = this.now();
    p.status = to;
    if (to === 'KNOWN_ERROR' && !p.knownErrorAt) p.knownErrorAt = now;
    if (to === 'RESOLVED') p.resolvedAt = now;
    if (to === 'CLOSED') p.closedAt = now;
    if (to === 'OPEN') {
      p.resolvedAt = null;
      p.closedAt = null;
    }
    appendProblemEvent(
      em,
      p,
      this.actor,
      {
        kind: 'STATUS_CHANGED',
        summary: `${from} -> ${to}${note ? `: ${note}` : ''}`,
        before: { status: from },
        after: { status: to },
        data: note ? { note } : null,
      },
      now,
    );
  }

  async linkIncident(incidentId: string, problemId: string): Promise<Incident> {
    return this.tx(async (em) => {
      const incident = await this.loadIncident(em, incidentId);
      const p = await this.load(em, problemId, 'problemId');
      await this.link(em, incident, p);
      return incident;
    });
  }

  async unlinkIncident(incidentId: string): Promise<Incident> {
    return this.tx(async (em) => {
      const incident = await this.loadIncident(em, incidentId);
      if (!incident.problemId) throw badInput('incidentId', `${formatIncidentNumber(incident.seqNumber)} is not linked to a problem`);
      await this.unlink(em, incident);
      return incident;
    });
  }

  /** Links are evidence on both sides: an event on the incident and one on the problem. */
  private async link(em: EntityManager, incident: Incident, p: Problem) {
    if (incident.problemId === p.id) return;
    if (incident.problemId) await this.unlink(em, incident);
    incident.problemId = p.id;
    const now = this.now();
    appendEvent(
      em,
      incident,
      this.actor,
      {
        kind: 'PROBLEM_LINKED',
        summary: `Linked to problem ${formatProblemNumber(p.seqNumber)}: ${p.title}`,
        before: { problemId: null },
        after: { problemId: p.id },
      },
      now,
    );
    appendProblemEvent(
      em,
      p,
      this.actor,
      {
        kind: 'INCIDENT_LINKED',
        summary: `Linked ${formatIncidentNumber(incident.seqNumber)}: ${incident.title}`,
        data: { incidentId: incident.id },
      },
      now,
    );
  }

  private async unlink(em: EntityManager, incident: Incident) {
    const old = await this.load(em, incident.problemId!, 'problemId');
    incident.problemId = null;
    const now = this.now();
    appendEvent(
      em,
      incident,
      this.actor,
      {
        kind: 'PROBLEM_UNLINKED',
        summary: `Unlinked from problem ${formatProblemNumber(old.seqNumber)}`,
        before: { problemId: old.id },
        after: { problemId: null },
      },
      now,
    );
    appendProblemEvent(
      em,
      old,
      this.actor,
      { kind: 'INCIDENT_UNLINKED', summary: `Unlinked ${formatIncidentNumber(incident.seqNumber)}`, data: { incidentId: incident.id } },
      now,
    );
  }

  async linkWorkaround(problemId: string, workaroundId: string, link: boolean): Promise<Problem> {
    return this.tx(async (em) => {
      const p = await this.load(em, problemId, 'problemId');
      assertUuid('workaroundId', workaroundId);
      const w = await em.findOne(Workaround, { id: workaroundId });
      if (!w) throw notFound('workaroundId', 'workaround', workaroundId);
      if (link) {
        const added = await em.execute(
          `insert into problem_workarounds (problem_id, workaround_id, linked_at) values (?, ?, ?) on conflict do nothing
            returning problem_id`,
          [p.id, w.id, this.now()],
        );
        if (added.length)
          appendProblemEvent(
            em,
            p,
            this.actor,
            { kind: 'WORKAROUND_LINKED', summary: `Workaround linked: ${w.title}`, data: { workaroundId: w.id } },
            this.now(),
          );
      } else {
        const removed = await em.execute(
          `delete from problem_workarounds where problem_id = ? and workaround_id = ? returning problem_id`,
          [p.id, w.id],
        );
        if (!removed.length) throw badInput('workaroundId', 'this workaround is not linked to the problem');
        appendProblemEvent(
          em,
          p,
          this.actor,
          { kind: 'WORKAROUND_UNLINKED', summary: `Workaround unlinked: ${w.title}`, data: { workaroundId: w.id } },
          this.now(),
        );
      }
      return p;
    });
  }
}
