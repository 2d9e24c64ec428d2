import { isReadOnly, isResolved, valueInSentence } from '@ikb/domain';
import { LockMode, type UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WriteService } from '../shared/write-service';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import { Category } from '../directory/category.entity';
import { Service } from '../directory/service.entity';
import { Team } from '../directory/team.entity';
import { appendEvent, diff } from '../incidents/incident-events';
import { formatIncidentNumber, Incident } from '../incidents/incident.entity';
import type { ClassifyIncidentInput } from '../incidents/incident.inputs';
import { IncidentService, type ActOptions } from '../incidents/incident.service';
import { recomputeClocks } from '../sla/sla.engine';
import { SlaPolicyRecord } from '../sla/sla-policy.entity';
import { assertAssignable } from '../sla/sla-retire.service';
import { Workaround } from '../workarounds/workaround.entity';
import {
  ChecklistItem,
  IncidentModel,
  IncidentModelApplication,
  IncidentModelVersion,
  type IncidentModelStatus,
} from './incident-model.entity';
import type { CreateIncidentModelInput, IncidentModelContentInput, UpdateIncidentModelInput } from './incident-model.inputs';
import { keywordsFromTitle } from './model-matching';

/** Knowledge is written from incidents whose outcome is known. */

/** What a model version says; compared field by field to tell whether an edit makes a new version. */
export interface ModelContent {
  description: string;
  matchServiceId: string | null;
  matchCategoryId: string | null;
  matchKeywords: string[];
  defaultCategoryId: string | null;
  defaultImpact: number | null;
  defaultUrgency: number | null;
  defaultTeamId: string | null;
  checklist: string[];
  workaroundIds: string[];
  slaPolicyId: string | null;
  reviewTemplate: string | null;
}

const CONTENT_KEYS: (keyof ModelContent)[] = [
  'description',
  'matchServiceId',
  'matchCategoryId',
  'matchKeywords',
  'defaultCategoryId',
  'defaultImpact',
  'defaultUrgency',
  'defaultTeamId',
  'checklist',
  'workaroundIds',
  'slaPolicyId',
  'reviewTemplate',
];

const EMPTY: ModelContent = {
  description: '',
  matchServiceId: null,
  matchCategoryId: null,
  matchKeywords: [],
  defaultCategoryId: null,
  defaultImpact: null,
  defaultUrgency: null,
  defaultTeamId: null,
  checklist: [],
  workaroundIds: [],
  slaPolicyId: null,
  reviewTemplate: null,
};

function contentOf(v: IncidentModelVersion): ModelContent {
  return Object.fromEntries(CONTENT_KEYS.map((k) => [k, v[k]])) as unknown as ModelContent;
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

/** Incidents' model changes: what an application of a model records in its MODEL_APPLIED event. */
const APPLIED_KEYS: (keyof Incident)[] = ['categoryId', 'impact', 'urgency', 'priority', 'teamId', 'modelVersionId', 'slaPolicyVersionId'];

/**
 * Incident models' write side. Each method is one transaction: a refused call writes nothing.
 */
export class IncidentModelService extends WriteService<ActOptions> {
  protected override uniqueConflict(err: UniqueConstraintViolationException): AppError | null {
    if (/incident_models_name_key/.test(err.message))
      return new AppError('CONFLICT', 'name: another incident model already has this name', { field: 'name' });
    if (/incident_model_applications/.test(err.message))
      return new AppError('CONFLICT', 'This model version was applied to the incident at the same time', {
        field: 'modelId',
        reason: 'ALREADY_APPLIED',
      });
    if (/incident_model_versions/.test(err.message))
      return new AppError('CONFLICT', 'The model was changed by someone else at the same time; reload and try again');
    return null;
  }

  private async loadModel(em: EntityManager, id: string, field = 'id', lock = false): Promise<IncidentModel> {
    assertUuid(field, id);
    const model = await em.findOne(IncidentModel, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!model) throw notFound(field, 'incident model', id);
    return model;
  }

  private async loadIncident(em: EntityManager, id: string, field = 'incidentId'): Promise<Incident> {
    assertUuid(field, id);
    const incident = await em.findOne(Incident, { id });
    if (!incident) throw notFound(field, 'incident', id);
    return incident;
  }

  async currentVersion(em: EntityManager, model: IncidentModel): Promise<IncidentModelVersion> {
    const v = await em.findOne(IncidentModelVersion, { modelId: model.id, version: model.currentVersion });
    if (!v) throw new Error(`incident model ${model.id} has no version ${model.currentVersion}`);
    return v;
  }

  private async checkName(em: EntityManager, name: string, exceptId: string | null): Promise<void> {
    const rows = await em.execute<{ id: string }[]>(`select id from incident_models where lower(name) = lower(?) and id <> ?`, [
      name,
      exceptId ?? '00000000-0000-0000-0000-000000000000',
    ]);
    if (rows.length) throw new AppError('CONFLICT', `name: another incident model is already called "${name}"`, { field: 'name' });
  }

  /**
   * The content of a new version: `base` with the fields given in `input` (null clears), normalized,
   * with every id checked.
   */
  private async resolveContent(em: EntityManager, base: ModelContent, input: IncidentModelContentInput): Promise<ModelContent> {
    const pick = <K extends keyof ModelContent>(key: K, value: unknown, empty: ModelContent[K]): ModelContent[K] =>
      value === undefined ? base[key] : value === null ? empty : (value as ModelContent[K]);
    const c: ModelContent = {
      description: pick('description', input.description, ''),
      matchServiceId: pick('matchServiceId', input.matchServiceId, null),
      matchCategoryId: pick('matchCategoryId', input.matchCategoryId, null),
      matchKeywords: pick('matchKeywords', input.matchKeywords, []),
      defaultCategoryId: pick('defaultCategoryId', input.defaultCategoryId, null),
      defaultImpact: pick('defaultImpact', input.defaultImpact, null),
      defaultUrgency: pick('defaultUrgency', input.defaultUrgency, null),
      defaultTeamId: pick('defaultTeamId', input.defaultTeamId, null),
      checklist: pick('checklist', input.checklist, []),
      workaroundIds: pick('workaroundIds', input.workaroundIds, []),
      slaPolicyId: pick('slaPolicyId', input.slaPolicyId, null),
      reviewTemplate: pick('reviewTemplate', input.reviewTemplate, null),
    };
    c.matchKeywords = unique(c.matchKeywords.map((k) => k.trim().replace(/\s+/g, ' ').toLowerCase()));
    c.checklist = c.checklist.map((s) => s.trim());
    c.workaroundIds = unique(c.workaroundIds.map((id) => id.toLowerCase()));
    if (c.reviewTemplate !== null && !c.reviewTemplate.trim()) c.reviewTemplate = null;

    await this.ensure(em, Service, 'matchServiceId', c.matchServiceId, 'service');
    await this.ensure(em, Category, 'matchCategoryId', c.matchCategoryId, 'category');
    await this.ensure(em, Category, 'defaultCategoryId', c.defaultCategoryId, 'category');
    await this.ensure(em, Team, 'defaultTeamId', c.defaultTeamId, 'team');
    await this.ensure(em, SlaPolicyRecord, 'slaPolicyId', c.slaPolicyId, 'SLA policy');
    // A retired policy cannot be newly chosen; one kept from the previous version stays.
    if (c.slaPolicyId && c.slaPolicyId !== base.slaPolicyId) {
      const policy = await em.findOne(SlaPolicyRecord, { id: c.slaPolicyId });
      if (policy) assertAssignable(policy, 'slaPolicyId');
    }
    // Links are checked when they are given; links kept from the previous version stay as they were.
    if (input.workaroundIds != null && c.workaroundIds.length) {
      c.workaroundIds.forEach((id) => assertUuid('workaroundIds', id));
      const found = await em.find(Workaround, { id: { $in: c.workaroundIds } });
      for (const id of c.workaroundIds) {
        const w = found.find((x) => x.id === id);
        if (!w) throw notFound('workaroundIds', 'workaround', id);
        if (w.status === 'RETIRED') throw badInput('workaroundIds', `workaround "${w.title}" is retired and cannot be linked`);
      }
    }
    return c;
  }

  private async ensure(
    em: EntityManager,
    entity: typeof Service | typeof Category | typeof Team | typeof SlaPolicyRecord,
    field: string,
    id: string | null,
    what: string,
  ) {
    if (id === null) return;
    assertUuid(field, id);
    // A count, not a partial entity: a partial entity in the identity map would leak into later reads.
    if (!(await em.count(entity as typeof Service, { id }))) throw notFound(field, what, id);
  }

  private writeVersion(
    em: EntityManager,
    model: IncidentModel,
    version: number,
    content: ModelContent,
    note: string | null | undefined,
  ): IncidentModelVersion {
    const v = em.create(IncidentModelVersion, {
      ...content,
      modelId: model.id,
      version,
      note: note?.trim() || null,
      createdAt: this.now(),
    } as IncidentModelVersion);
    em.persist(v);
    return v;
  }

  async create(input: CreateIncidentModelInput, source?: Incident): Promise<IncidentModel> {
    return this.tx(async (em) => {
      const name = input.name.trim();
      await this.checkName(em, name, null);
      const content = await this.resolveContent(em, EMPTY, input);
      const now = this.now();
      const model = em.create(IncidentModel, {
        name,
        status: 'ACTIVE',
        currentVersion: 1,
        sourceIncidentId: source?.id ?? null,
        createdAt: now,
        updatedAt: now,
      } as IncidentModel);
      em.persist(model);
      // Parent first: the version's foreign key is deferred, but keep the insert order readable.
      await em.flush();
      this.writeVersion(em, model, 1, content, input.note);
      return model;
    });
  }

  /** A model prefilled from a resolved incident; omitted fields come from the incident. */
  async createFromIncident(incidentId: string, input: CreateIncidentModelInput): Promise<IncidentModel> {
    return this.tx(async (em) => {
      const incident = await this.loadIncident(em, incidentId);
      if (!isResolved(incident.status)) {
        throw badInput(
          'incidentId',
          `${formatIncidentNumber(incident.seqNumber)} is ${valueInSentence(incident.status)}; ` +
            'knowledge is created from resolved incidents',
        );
      }
      const number = formatIncidentNumber(incident.seqNumber);
      const workarounds = await em.execute<{ id: string }[]>(
        `select w.id from workarounds w
          where w.status <> 'RETIRED' and (w.id = ? or w.id in (select workaround_id from workaround_applications where incident_id = ?))
          order by (w.id = ?) desc, w.title`,
        [incident.resolutionWorkaroundId, incident.id, incident.resolutionWorkaroundId],
      );
      const prefilled: CreateIncidentModelInput = {
        ...input,
        description:
          input.description !== undefined
            ? input.description
            : [`Made from ${number}: ${incident.title}`, incident.resolutionNotes].filter(Boolean).join('\n\n'),
        matchServiceId: input.matchServiceId !== undefined ? input.matchServiceId : incident.serviceId,
        matchCategoryId: input.matchCategoryId !== undefined ? input.matchCategoryId : incident.categoryId,
        matchKeywords: input.matchKeywords !== undefined ? input.matchKeywords : keywordsFromTitle(incident.title),
        defaultCategoryId: input.defaultCategoryId !== undefined ? input.defaultCategoryId : incident.categoryId,
        defaultImpact: input.defaultImpact !== undefined ? input.defaultImpact : incident.impact,
        defaultUrgency: input.defaultUrgency !== undefined ? input.defaultUrgency : incident.urgency,
        defaultTeamId: input.defaultTeamId !== undefined ? input.defaultTeamId : incident.teamId,
        workaroundIds: input.workaroundIds !== undefined ? input.workaroundIds : workarounds.map((w) => w.id),
        note: input.note !== undefined ? input.note : `Made from ${number}`,
      };
      const model = await new IncidentModelService(em, this.actor, this.opts).create(prefilled, incident);
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: 'KNOWLEDGE_CREATED',
          summary: `Incident model "${model.name}" made from this incident`,
          data: { incidentModelId: model.id, name: model.name },
        },
        this.now(),
      );
      return model;
    });
  }

  /** Writes a new version when the recipe changes; a rename alone does not make one. */
  async update(id: string, input: UpdateIncidentModelInput): Promise<IncidentModel> {
    return this.tx(async (em) => {
      // Locked: two edits at once would otherwise both write version n + 1.
      const model = await this.loadModel(em, id, 'id', true);
      if (model.status === 'RETIRED')
        throw new AppError('CONFLICT', `"${model.name}" is RETIRED; reactivate it to edit it`, { field: 'id', status: model.status });
      const current = await this.currentVersion(em, model);
      const base = contentOf(current);
      const content = await this.resolveContent(em, base, input);
      let changed = false;
      if (input.name != null && input.name.trim() !== model.name) {
        const name = input.name.trim();
        await this.checkName(em, name, model.id);
        model.name = name;
        changed = true;
      }
      if (JSON.stringify(content) !== JSON.stringify(base)) {
        model.currentVersion = current.version + 1;
        this.writeVersion(em, model, model.currentVersion, content, input.note);
        changed = true;
      }
      if (changed) model.updatedAt = this.now();
      return model;
    });
  }

  async setStatus(id: string, status: IncidentModelStatus): Promise<IncidentModel> {
    return this.tx(async (em) => {
      const model = await this.loadModel(em, id, 'id', true);
      if (model.status === status) return model;
      model.status = status;
      model.updatedAt = this.now();
      return model;
    });
  }

  /**
   * Applies the model's current version to an incident, all in one transaction: classification
   * (category, impact, urgency -> priority) and team through the incident service, checklist,
   * SLA override, and a MODEL_APPLIED event with what changed.
   */
  async apply(incidentId: string, modelId: string): Promise<Incident> {
    return this.tx(async (em) => {
      const incident = await this.loadIncident(em, incidentId);
      if (isReadOnly(incident.status)) {
        throw new AppError(
          'INCIDENT_READ_ONLY',
          `${formatIncidentNumber(incident.seqNumber)} is ${valueInSentence(incident.status)}: it is read-only; reopen it first`,
          { field: 'incidentId', status: incident.status },
        );
      }
      const model = await this.loadModel(em, modelId, 'modelId');
      if (model.status !== 'ACTIVE') {
        throw new AppError(
          'CONFLICT',
          fieldMessage('modelId', `"${model.name}" is ${valueInSentence(model.status)}; only active models can be applied`),
          {
            field: 'modelId',
            reason: 'MODEL_RETIRED',
            status: model.status,
          },
        );
      }
      const version = await this.currentVersion(em, model);
      const earlier = await em.findOne(IncidentModelApplication, { incidentId: incident.id, modelVersionId: version.id });
      if (earlier) {
        throw new AppError(
          'CONFLICT',
          fieldMessage(
            'modelId',
            `"${model.name}" version ${version.version} was already applied to ${formatIncidentNumber(incident.seqNumber)} at ` +
              `${earlier.appliedAt.toISOString()}`,
          ),
          { field: 'modelId', reason: 'ALREADY_APPLIED' },
        );
      }
      const now = this.now();
      const before = { ...incident } as Incident;

      // Classification and team go through the incident service: its rules, events and SLA refresh.
      const incidents = new IncidentService(em, this.actor, { ...this.opts, now });
      const classify: ClassifyIncidentInput = {};
      if (version.defaultCategoryId !== null && version.defaultCategoryId !== incident.categoryId)
        classify.categoryId = version.defaultCategoryId;
      if (version.defaultImpact !== null && version.defaultImpact !== incident.impact) classify.impact = version.defaultImpact;
      if (version.defaultUrgency !== null && version.defaultUrgency !== incident.urgency) classify.urgency = version.defaultUrgency;
      const hasDefaults = version.defaultCategoryId !== null || version.defaultImpact !== null || version.defaultUrgency !== null;
      // Classifying a NEW incident triages it, even when the defaults are what it already had.
      if (Object.keys(classify).length || (hasDefaults && incident.status === 'NEW')) await incidents.classify(incident.id, classify);
      if (version.defaultTeamId !== null && version.defaultTeamId !== incident.teamId)
        await incidents.assign(incident.id, { teamId: version.defaultTeamId });

      version.checklist.forEach((text, i) => {
        em.persist(
          em.create(ChecklistItem, { incidentId: incident.id, modelVersionId: version.id, position: i + 1, text } as ChecklistItem),
        );
      });
      em.persist(
        em.create(IncidentModelApplication, {
          incidentId: incident.id,
          modelVersionId: version.id,
          appliedAt: now,
          appliedById: this.actor.id,
          appliedByName: this.actor.name,
        } as IncidentModelApplication),
      );
      incident.modelVersionId = version.id;
      let policyName: string | null = null;
      if (version.slaPolicyId) {
        const rows = await em.execute<Record<string, unknown>[]>(
          `select v.*, p.name as policy_name from sla_policy_versions v join sla_policies p on p.id = v.policy_id
            and v.version = p.current_version where p.id = ?`,
          [version.slaPolicyId],
        );
        if (!rows[0]) throw new Error(`SLA policy ${version.slaPolicyId} has no current version`);
        policyName = String(rows[0].policy_name);
        incident.slaPolicyVersionId = String(rows[0].id);
      }
      const d = diff(before, incident, APPLIED_KEYS);
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: 'MODEL_APPLIED',
          summary:
            `Applied incident model "${model.name}" v${version.version}` +
            `${version.checklist.length ? ` (${version.checklist.length} checklist steps)` : ''}` +
            `${policyName ? `; SLA policy ${policyName}` : ''}`,
          before: d.before,
          after: d.after,
          data: {
            incidentModelId: model.id,
            modelVersionId: version.id,
            version: version.version,
            name: model.name,
            checklistSteps: version.checklist.length,
            slaPolicyId: version.slaPolicyId,
          },
        },
        now,
      );
      await em.flush();
      if (version.slaPolicyId && !this.opts.deferSla) await recomputeClocks(em, incident, now);
      return incident;
    });
  }

  /** Ticks or unticks a checklist step; each change is an event on the incident's timeline. */
  async setChecklistItemDone(itemId: string, done: boolean): Promise<ChecklistItem> {
    return this.tx(async (em) => {
      assertUuid('itemId', itemId);
      const item = await em.findOne(ChecklistItem, { id: itemId });
      if (!item) throw notFound('itemId', 'checklist item', itemId);
      const incident = await this.loadIncident(em, item.incidentId);
      if (isReadOnly(incident.status)) {
        throw new AppError(
          'INCIDENT_READ_ONLY',
          `${formatIncidentNumber(incident.seqNumber)} is ${valueInSentence(incident.status)}: it is read-only; reopen it first`,
          { field: 'itemId', status: incident.status },
        );
      }
      if ((item.doneAt !== null) === done) return item;
      const now = this.now();
      const before = { done: item.doneAt !== null, doneAt: item.doneAt?.toISOString() ?? null, doneByName: item.doneByName };
      item.doneAt = done ? now : null;
      item.doneByName = done ? this.actor.name : null;
      appendEvent(
        em,
        incident,
        this.actor,
        {
          kind: done ? 'CHECKLIST_ITEM_DONE' : 'CHECKLIST_ITEM_UNDONE',
          summary: `Checklist step ${item.position} ${done ? 'done' : 'reopened'}: ${clip(item.text)}`,
          before,
          after: { done, doneAt: item.doneAt?.toISOString() ?? null, doneByName: item.doneByName },
          data: { checklistItemId: item.id, modelVersionId: item.modelVersionId, position: item.position },
        },
        now,
      );
      return item;
    });
  }
}

function clip(text: string, max = 200): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
