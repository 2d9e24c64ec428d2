import { successShare } from '@ikb/domain';
import { Arg, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { assertUuid, badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import { User } from '../directory/user.entity';
import { Incident } from '../incidents/incident.entity';
import { PageInfo } from '../incidents/incident.types';
import { Workaround, WorkaroundApplication, WorkaroundStatusEnum, type WorkaroundStatus } from './workaround.entity';
import { CreateWorkaroundInput, UpdateWorkaroundInput, WorkaroundFilter } from './workaround.inputs';
import { encodeWorkaroundCursor, listWorkarounds, type WorkaroundPage } from './workaround.queries';
import { WorkaroundService } from './workaround.service';

@ObjectType({ description: 'How well a workaround works, computed by the database from its applications.' })
export class WorkaroundEffectivenessView {
  @Field(() => Int, { description: 'Applications, counting repeats on one incident.' }) timesApplied!: number;
  @Field(() => Int, { description: 'Distinct incidents it was applied to.' }) incidents!: number;
  @Field(() => Int, { description: 'Of those, resolved after it was first applied.' }) resolvedIncidents!: number;
  @Field(() => Int, { description: 'Of those, never reopened after it was first applied.' }) resolvedWithoutReopen!: number;
  @Field(() => Int, {
    description: 'Incidents it was applied to that are still open, not reopened since: no outcome yet, in neither side of the share.',
  })
  inFlight!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'The success rate: resolvedWithoutReopen / (incidents - inFlight); null while no incident has an outcome.',
  })
  resolvedWithoutReopenShare!: number | null;
  @Field(() => Int, { description: 'Incidents whose resolution says this workaround restored service.' }) restoredService!: number;
  @Field(() => Float, { nullable: true, description: 'Median minutes from first application to resolution.' }) medianMinutesToResolution!:
    number | null;
}

@ObjectType()
export class WorkaroundEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Workaround) node!: Workaround;
}

@ObjectType({ description: 'Workarounds: active first, then drafts, retired last.' })
export class WorkaroundConnection {
  @Field(() => [WorkaroundEdge]) edges!: WorkaroundEdge[];
  @Field(() => [Workaround]) nodes!: Workaround[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  page!: WorkaroundPage;
}

const service = async (ctx: Context) => new WorkaroundService(ctx.em, await ctx.actor());

@Resolver(() => Workaround)
export class WorkaroundResolver {
  @Query(() => Workaround, { nullable: true })
  workaround(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    assertUuid('id', id);
    return ctx.em.findOne(Workaround, { id });
  }

  @Query(() => WorkaroundConnection)
  async workarounds(
    @Ctx() ctx: Context,
    @Arg('filter', () => WorkaroundFilter, { nullable: true }) filter?: WorkaroundFilter,
    @Arg('first', () => Int, { defaultValue: 25 }) first = 25,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<WorkaroundConnection> {
    const page = await listWorkarounds(ctx.em, filter, first, after);
    const edges = page.items.map((node) => ({ node, cursor: encodeWorkaroundCursor(node) }));
    return { edges, nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, page };
  }

  @FieldResolver(() => WorkaroundEffectivenessView)
  async effectiveness(@Root() w: Workaround, @Ctx() ctx: Context): Promise<WorkaroundEffectivenessView> {
    const e = await ctx.loaders.workaroundEffectiveness.load(w.id);
    return { ...e, resolvedWithoutReopenShare: successShare(e.resolvedWithoutReopen, e.incidents - e.inFlight) };
  }

  @FieldResolver(() => Incident, { nullable: true, description: 'The resolved incident it was written from.' })
  sourceIncident(@Root() w: Workaround, @Ctx() ctx: Context) {
    return w.sourceIncidentId ? ctx.loaders.incident.load(w.sourceIncidentId) : null;
  }

  @Mutation(() => Workaround)
  async createWorkaround(@Arg('input', () => CreateWorkaroundInput) input: CreateWorkaroundInput, @Ctx() ctx: Context) {
    return (await service(ctx)).create(input);
  }

  @Mutation(() => Workaround, { description: 'Write a workaround from a resolved incident; linked to its problem and kept as its source.' })
  async createWorkaroundFromIncident(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('input', () => CreateWorkaroundInput) input: CreateWorkaroundInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).createFromIncident(incidentId, input);
  }

  @Mutation(() => Workaround)
  async updateWorkaround(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWorkaroundInput) input: UpdateWorkaroundInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).update(id, input);
  }

  @Mutation(() => Workaround, { description: 'Activate, retire or reactivate.' })
  async setWorkaroundStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => WorkaroundStatusEnum) status: WorkaroundStatus,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).setStatus(id, status);
  }

  @Mutation(() => Incident, { description: 'Record that a workaround was applied to an open incident.' })
  async applyWorkaround(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('workaroundId', () => ID) workaroundId: string,
    @Ctx() ctx: Context,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ) {
    if (note && note.length > 20_000) throw badInput('note', 'must be at most 20000 characters');
    return (await service(ctx)).apply(incidentId, workaroundId, note ?? undefined);
  }
}

@Resolver(() => WorkaroundConnection)
export class WorkaroundConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() c: WorkaroundConnection) {
    return c.page.count();
  }
}

@Resolver(() => WorkaroundApplication)
export class WorkaroundApplicationResolver {
  @FieldResolver(() => Workaround)
  workaround(@Root() a: WorkaroundApplication, @Ctx() ctx: Context) {
    return ctx.loaders.workaround.load(a.workaroundId);
  }

  @FieldResolver(() => Incident)
  incident(@Root() a: WorkaroundApplication, @Ctx() ctx: Context) {
    return ctx.loaders.incident.load(a.incidentId);
  }

  @FieldResolver(() => User, { nullable: true })
  appliedBy(@Root() a: WorkaroundApplication, @Ctx() ctx: Context) {
    return a.appliedById ? ctx.loaders.user.load(a.appliedById) : null;
  }
}

@Resolver(() => Incident)
export class IncidentWorkaroundResolver {
  @FieldResolver(() => [WorkaroundApplication], { description: 'Workarounds applied to it, oldest first.' })
  workaroundApplications(@Root() i: Incident, @Ctx() ctx: Context) {
    return ctx.loaders.workaroundApplicationsByIncident.load(i.id);
  }

  @FieldResolver(() => Workaround, { nullable: true, description: 'The workaround that restored service, per its resolution.' })
  resolvedByWorkaround(@Root() i: Incident, @Ctx() ctx: Context) {
    return i.resolutionWorkaroundId ? ctx.loaders.workaround.load(i.resolutionWorkaroundId) : null;
  }
}
