import { successShare } from '@ikb/domain';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertUuid } from '../../errors';
import type { Context } from '../../graphql/context';
import { Category } from '../directory/category.entity';
import { Service } from '../directory/service.entity';
import { Team } from '../directory/team.entity';
import { User } from '../directory/user.entity';
import { Incident } from '../incidents/incident.entity';
import { encodeOpenedAtCursor } from '../incidents/incident.queries';
import { IncidentConnection } from '../incidents/incident.types';
import { SlaPolicyRecord } from '../sla/sla-policy.entity';
import { Workaround } from '../workarounds/workaround.entity';
import {
  ChecklistItem,
  IncidentModel,
  IncidentModelApplication,
  IncidentModelStatusEnum,
  IncidentModelVersion,
  type IncidentModelStatus,
} from './incident-model.entity';
import { CreateIncidentModelInput, UpdateIncidentModelInput } from './incident-model.inputs';
import { checkFirst, encodeModelCursor, listIncidentModels, suggestIncidentModels } from './incident-model.queries';
import { IncidentModelService } from './incident-model.service';
import { IncidentModelConnection, IncidentModelEffectivenessView, IncidentModelSuggestion } from './incident-model.types';

async function service(ctx: Context): Promise<IncidentModelService> {
  return new IncidentModelService(ctx.em, await ctx.actor());
}

@Resolver(() => IncidentModel)
export class IncidentModelResolver {
  @Query(() => IncidentModelConnection, { description: 'Incident models by name (at most 100 per page).' })
  async incidentModels(
    @Ctx() ctx: Context,
    @Arg('status', () => IncidentModelStatusEnum, { nullable: true }) status?: IncidentModelStatus,
    @Arg('text', () => String, { nullable: true, description: 'Case-insensitive text in the name.' }) text?: string,
    @Arg('first', () => Int, { defaultValue: 25 }) first = 25,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<IncidentModelConnection> {
    const page = await listIncidentModels(ctx.em, { status, text }, first, after);
    const edges = page.items.map((node) => ({ node, cursor: encodeModelCursor(node) }));
    return { edges, nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, page };
  }

  @Query(() => IncidentModel, { nullable: true })
  incidentModel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    assertUuid('id', id);
    return ctx.em.findOne(IncidentModel, { id });
  }

  @Query(() => IncidentModelVersion, { nullable: true, description: 'Any version, current or not: versions in use stay readable.' })
  incidentModelVersion(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    assertUuid('id', id);
    return ctx.em.findOne(IncidentModelVersion, { id });
  }

  @Query(() => [IncidentModelSuggestion], {
    description: 'Active models that fit the incident, best first, with the reasons each matched (at most 50).',
  })
  suggestIncidentModels(
    @Arg('incidentId', () => ID) incidentId: string,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 5 }) first = 5,
  ) {
    return suggestIncidentModels(ctx.em, incidentId, first);
  }

  @FieldResolver(() => IncidentModelVersion, { description: 'The version applied and suggested now.' })
  async current(@Root() m: IncidentModel, @Ctx() ctx: Context) {
    return (await ctx.loaders.incidentModelCurrentVersion.load(m.id))!;
  }

  @FieldResolver(() => [IncidentModelVersion], { description: 'All versions, newest first.' })
  versions(@Root() m: IncidentModel, @Ctx() ctx: Context) {
    return ctx.loaders.incidentModelVersions.load(m.id);
  }

  @FieldResolver(() => IncidentConnection, {
    description: 'Incidents that applied any of its versions, newest opened first (at most 100 per page).',
  })
  async incidents(
    @Root() m: IncidentModel,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 25 }) first = 25,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<IncidentConnection> {
    checkFirst(first);
    const page = await ctx.loaders.incidentModelIncidents.load(`${m.id}|${first}|${after ?? ''}`);
    const edges = page.items.map((node) => ({ node, cursor: encodeOpenedAtCursor(node) }));
    return {
      edges,
      nodes: page.items,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      page: { ...page, cursors: edges.map((e) => e.cursor), count: () => ctx.loaders.incidentModelIncidentCount.load(m.id) },
    };
  }

  @FieldResolver(() => Incident, { nullable: true, description: 'The resolved incident it was made from.' })
  sourceIncident(@Root() m: IncidentModel, @Ctx() ctx: Context) {
    return m.sourceIncidentId ? ctx.loaders.incident.load(m.sourceIncidentId) : null;
  }

  @FieldResolver(() => IncidentModelEffectivenessView)
  async effectiveness(@Root() m: IncidentModel, @Ctx() ctx: Context): Promise<IncidentModelEffectivenessView> {
    const e = await ctx.loaders.incidentModelEffectiveness.load(m.id);
    return { ...e, resolvedWithoutReopenShare: successShare(e.resolvedWithoutReopen, e.incidents - e.inFlight) };
  }

  @Mutation(() => IncidentModel, { description: 'A new model; its recipe is version 1.' })
  async createIncidentModel(@Arg('input', () => CreateIncidentModelInput) input: CreateIncidentModelInput, @Ctx() ctx: Context) {
    return (await service(ctx)).create(input);
  }

  @Mutation(() => IncidentModel, {
    description: 'Make a model from a resolved, closed or reviewed incident; omitted fields are prefilled from it and it stays the source.',
  })
  async createIncidentModelFromIncident(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('input', () => CreateIncidentModelInput) input: CreateIncidentModelInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).createFromIncident(incidentId, input);
  }

  @Mutation(() => IncidentModel, {
    description: 'Edit a model: a changed recipe becomes a new version; earlier versions stay as they were.',
  })
  async updateIncidentModel(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateIncidentModelInput) input: UpdateIncidentModelInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).update(id, input);
  }

  @Mutation(() => IncidentModel, { description: 'Stop suggesting and applying a model; incidents keep what they applied.' })
  async retireIncidentModel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return (await service(ctx)).setStatus(id, 'RETIRED');
  }

  @Mutation(() => IncidentModel)
  async reactivateIncidentModel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return (await service(ctx)).setStatus(id, 'ACTIVE');
  }

  @Mutation(() => Incident, {
    description: "Apply an active model's current version: classification, team, checklist and SLA override, in one step.",
  })
  async applyIncidentModel(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('modelId', () => ID) modelId: string,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).apply(incidentId, modelId);
  }

  @Mutation(() => ChecklistItem, { description: 'Tick or untick a checklist step (an event on the incident).' })
  async setChecklistItemDone(@Arg('itemId', () => ID) itemId: string, @Arg('done', () => Boolean) done: boolean, @Ctx() ctx: Context) {
    return (await service(ctx)).setChecklistItemDone(itemId, done);
  }
}

@Resolver(() => IncidentModelConnection)
export class IncidentModelConnectionResolver {
  @FieldResolver(() => Int, { description: 'Models matching the filter (all pages).' })
  totalCount(@Root() c: IncidentModelConnection): Promise<number> {
    return c.page.count();
  }
}

@Resolver(() => IncidentModelVersion)
export class IncidentModelVersionResolver {
  @FieldResolver(() => IncidentModel)
  async model(@Root() v: IncidentModelVersion, @Ctx() ctx: Context) {
    return (await ctx.loaders.incidentModel.load(v.modelId))!;
  }

  @FieldResolver(() => Boolean, { description: 'Whether this is the version applied and suggested now.' })
  async isCurrent(@Root() v: IncidentModelVersion, @Ctx() ctx: Context) {
    return (await ctx.loaders.incidentModel.load(v.modelId))?.currentVersion === v.version;
  }

  @FieldResolver(() => Service, { nullable: true })
  matchService(@Root() v: IncidentModelVersion, @Ctx() ctx: Context) {
    return v.matchServiceId ? ctx.loaders.service.load(v.matchServiceId) : null;
  }

  @FieldResolver(() => Category, { nullable: true })
  matchCategory(@Root() v: IncidentModelVersion, @Ctx() ctx: Context) {
    return v.matchCategoryId ? ctx.loaders.category.load(v.matchCategoryId) : null;
  }

  @FieldResolver(() => Category, { nullable: true })
  defaultCategory(@Root() v: IncidentModelVersion, @Ctx() ctx: Context) {
    return v.defaultCategoryId ? ctx.loaders.category.load(v.defaultCategoryId) : null;
  }

  @FieldResolver(() => Team, { nullable: true })
  defaultTeam(@Root() v: IncidentModelVersion, @Ctx() ctx: Context) {
    return v.defaultTeamId ? ctx.loaders.team.load(v.defaultTeamId) : null;
  }

  @FieldResolver(() => SlaPolicyRecord, {
    nullable: true,
    description: 'SLA override: applying moves the incident to the current version of this policy.',
  })
  slaPolicy(@Root() v: IncidentModelVersion, @Ctx() ctx: Context) {
    return v.slaPolicyId ? ctx.loaders.slaPolicy.load(v.slaPolicyId) : null;
  }

  @FieldResolver(() => [Workaround], { description: 'Linked workarounds, in order (whatever their status is now).' })
  async workarounds(@Root() v: IncidentModelVersion, @Ctx() ctx: Context): Promise<Workaround[]> {
    const found = await ctx.loaders.workaround.loadMany(v.workaroundIds);
    return found.filter((w): w is Workaround => w !== null && !(w instanceof Error));
  }
}

@Resolver(() => Incident)
export class IncidentModelIncidentResolver {
  @FieldResolver(() => IncidentModelVersion, {
    nullable: true,
    description: 'The incident model version applied last (its `model` is the model).',
  })
  model(@Root() i: Incident, @Ctx() ctx: Context) {
    return i.modelVersionId ? ctx.loaders.incidentModelVersion.load(i.modelVersionId) : null;
  }

  @FieldResolver(() => [ChecklistItem], { description: 'Checklist steps from the model versions applied, in the order applied.' })
  checklist(@Root() i: Incident, @Ctx() ctx: Context) {
    return ctx.loaders.incidentChecklist.load(i.id);
  }

  @FieldResolver(() => [IncidentModelApplication], { description: 'Model versions applied to it, oldest first.' })
  modelApplications(@Root() i: Incident, @Ctx() ctx: Context) {
    return ctx.loaders.incidentModelApplications.load(i.id);
  }
}

@Resolver(() => ChecklistItem)
export class ChecklistItemResolver {
  @FieldResolver(() => Boolean)
  done(@Root() c: ChecklistItem): boolean {
    return c.doneAt !== null;
  }

  @FieldResolver(() => Incident)
  async incident(@Root() c: ChecklistItem, @Ctx() ctx: Context) {
    return (await ctx.loaders.incident.load(c.incidentId))!;
  }

  @FieldResolver(() => IncidentModelVersion)
  async modelVersion(@Root() c: ChecklistItem, @Ctx() ctx: Context) {
    return (await ctx.loaders.incidentModelVersion.load(c.modelVersionId))!;
  }
}

@Resolver(() => IncidentModelApplication)
export class IncidentModelApplicationResolver {
  @FieldResolver(() => Incident)
  async incident(@Root() a: IncidentModelApplication, @Ctx() ctx: Context) {
    return (await ctx.loaders.incident.load(a.incidentId))!;
  }

  @FieldResolver(() => IncidentModelVersion)
  async modelVersion(@Root() a: IncidentModelApplication, @Ctx() ctx: Context) {
    return (await ctx.loaders.incidentModelVersion.load(a.modelVersionId))!;
  }

  @FieldResolver(() => User, { nullable: true })
  appliedBy(@Root() a: IncidentModelApplication, @Ctx() ctx: Context) {
    return a.appliedById ? ctx.loaders.user.load(a.appliedById) : null;
  }
}

@Resolver(() => Workaround)
export class WorkaroundModelsResolver {
  @FieldResolver(() => [IncidentModel], { description: 'Incident models whose current version links this workaround, by name.' })
  models(@Root() w: Workaround, @Ctx() ctx: Context) {
    return ctx.loaders.workaroundIncidentModels.load(w.id);
  }
}
