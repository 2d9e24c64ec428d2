import { isResolved, valueInSentence } from '@ikb/domain';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WriteService } from '../shared/write-service';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import { appendEvent } from '../incidents/incident-events';
import { formatIncidentNumber, Incident } from '../incidents/incident.entity';
import { Problem } from '../problems/problem.entity';
import { appendProblemEvent } from '../problems/problem-events';
import { Workaround, WorkaroundApplication, type WorkaroundStatus } from './workaround.entity';
import type { CreateWorkaroundInput, UpdateWorkaroundInput } from './workaround.inputs';

export class WorkaroundService extends WriteService {
  private async load(em: EntityManager, id: string, field = 'id'): Promise<Workaround> {
    assertUuid(field, id);
    const w = await em.findOne(Workaround, { id });
    if (!w) throw notFound(field, 'workaround', id);
    return w;
  }

  async create(input: CreateWorkaroundInput, source?: Incident): Promise<Workaround> {
    return this.tx(async (em) => {
      const problems: Problem[] = [];
      for (const id of new Set(input.problemIds ?? [])) {
        assertUuid('problemIds', id);
        const p = await em.findOne(Problem, { id });
        if (!p) throw notFound('problemIds', 'problem', id);
        problems.push(p);
      }
      const now = this.now();
      const w = em.create(Workaround, {
        title: input.title.trim(),
        steps: input.steps,
        status: input.status === 'RETIRED' ? 'DRAFT' : input.status,
        sourceIncidentId: source?.id ?? null,
        createdAt: now,
        updatedAt: now,
      } as Workaround);
      if (input.status === 'RETIRED') throw badInput('status', 'a new workaround is a draft or active');
      em.persist(w);
      await em.flush();
      for (const p of problems) {
        await em.execute(`insert into problem_workarounds (problem_id, workaround_id, linked_at) values (?, ?, ?)`, [p.id, w.id, now]);
        appendProblemEvent(
          em,
          p,
          this.actor,
          { kind: 'WORKAROUND_LINKED', summary: `Workaround linked: ${w.title}`, data: { workaroundId: w.id } },
          now,
        );
      }
      return w;
    });
  }

  async createFromIncident(incidentId: string, input: CreateWorkaroundInput): Promise<Workaround> {
    return this.tx(async (em) => {
      assertUuid('incidentId', incidentId);
      const incident = await em.findOne(Incident, { id: incidentId });
      if (!incident) throw notFound('incidentId', 'incident', incidentId);
      if (!isResolved(incident.status)) {
        throw badInput(
          'incidentId',
          `${formatIncidentNumber(incident.seqNumber)} is ${valueInSentence(incident.status)}; ` +
            'knowledge is created from resolved incidents',
        );
      }
      const problemIds = [...new Set([...(input.problemIds ?? []), ...(incident.problemId ? [incident.problemId] : [])])];
      const w = await new WorkaroundService(em, this.actor, this.opts).create({ ...input, problemIds }, incident);
      appendEvent(
        em,
        incident,
        this.actor,
        { kind: 'KNOWLEDGE_CREATED', summary: `Workaround "${w.title}" written from this incident`, data: { workaroundId: w.id } },
        this.now(),
      );
      return w;
    });
  }

  async update(id: string, input: UpdateWorkaroundInput): Promise<Workaround> {
    return this.tx(async (em) => {
      const w = await this.load(em, id);
      if (w.status === 'RETIRED')
        throw new AppError('CONFLICT', 'A retired workaround is kept as it was; reactivate it to edit it', { field: 'id' });
      if (input.title != null) w.title = input.title.trim();
      if (input.steps != null) w.steps = input.steps;
      w.updatedAt = this.now();
      return w;
    });
  }

  async setStatus(id: string, status: WorkaroundStatus): Promise<Workaround> {
    return this.tx(async (em) => {
      const w = await this.load(em, id);
      if (w.status === status) return w;
      if (status === 'DRAFT' && w.status !== 'DRAFT')
        throw badInput('status', 'a workaround that was active goes back to ACTIVE or RETIRED, not DRAFT');
      w.status = status;
      w.retiredAt = status === 'RETIRED' ? this.now() : null;
      w.updatedAt = this.now();
      return w;
    });
  }

  /** Records who applied which workaround when; whether it restored service is settled at resolution. */
  async apply(incidentId: string, workaroundId: string, note?: string): Promise<Incident> {
    return this.tx(async (em) => {
      assertUuid('incidentId', incidentId);
      const incident = await em.findOne(Incident, { id: incidentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!incident) throw notFound('incidentId', 'incident', incidentId);
      if (isResolved(incident.status)) {
        throw new AppError(
          'INCIDENT_READ_ONLY',
          `${formatIncidentNumber(incident.seqNumber)} is ${valueInSentence(incident.status)}: workarounds are applied while it is open`,
          { field: 'incidentId' },
        );
      }
      const w = await this.load(em, workaroundId, 'workaroundId');
      if (w.status !== 'ACTIVE') {
        throw new AppError(
          'WORKAROUND_NOT_ACTIVE',
          fieldMessage('workaroundId', `"${w.title}" is ${valueInSentence(w.status)}; only active workarounds can be applied`),
          {
            field: 'workaroundId',
            status: w.status,
          },
        );
      }
      const now = this.now();
      em.persist(
        em.create(WorkaroundApplication, {
          workaroundId: w.id,
          incidentId: incident.id,
          appliedAt: now,
          appliedById: this.actor.id,
          appliedByName: this.actor.name,
          note: note ?? null,
        } as WorkaroundApplication),
      );
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: 'WORKAROUND_APPLIED',
          summary: `Applied workaround "${w.title}"${note ? `: ${note}` : ''}`,
          data: { workaroundId: w.id, note: note ?? null },
        },
        now,
      );
      return incident;
    });
  }
}

/**
 * Settles the incident's pending workaround applications at resolution: the named one restored
 * service, the others did not. Called inside the resolving transaction.
 */
export async function settleApplications(em: EntityManager, incident: Incident, workaroundId: string | undefined): Promise<void> {
  if (workaroundId) {
    const used = await em.count(WorkaroundApplication, { incidentId: incident.id, workaroundId });
    if (!used) throw badInput('workaroundId', 'this workaround was not applied to the incident; apply it first');
  }
  incident.resolutionWorkaroundId = workaroundId ?? null;
  await em.nativeUpdate(WorkaroundApplication, { incidentId: incident.id, restoredService: null }, { restoredService: false });
  if (workaroundId) await em.nativeUpdate(WorkaroundApplication, { incidentId: incident.id, workaroundId }, { restoredService: true });
}
