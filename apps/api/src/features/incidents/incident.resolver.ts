import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { selectEntities } from '../../db/row-entity';
import { assertUuid, badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import { Category } from '../directory/category.entity';
import { Service } from '../directory/service.entity';
import { Team } from '../directory/team.entity';
import { User } from '../directory/user.entity';
import { IncidentEvent } from './incident-event.entity';
import { formatIncidentNumber, Incident } from './incident.entity';
import {
  AssignIncidentInput,
  ClassifyIncidentInput,
  ConfigurationChangeInput,
  DisasterRecoveryInput,
  EscalationInput,
  IncidentFilter,
  LogIncidentInput,
  StakeholderUpdateInput,
  TimeEntryInput,
  TransitionIncidentInput,
  UpdateIncidentInput,
} from './incident.inputs';
import { IncidentOrderBy } from './incident-order';
import { resolveMine } from './incident-mine';
import { listIncidents, parseIncidentNumber } from './incident.queries';
import { IncidentService } from './incident.service';
import { IncidentConnection, IncidentCost, Resolution } from './incident.types';
import { TimeEntry } from './time-entry.entity';
import { WorkNoteInput } from './work-note.inputs';

async function service(ctx: Context): Promise<IncidentService> {
  return new IncidentService(ctx.em, await ctx.actor());
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Query(() => Incident, { nullable: true })
  async incident(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Incident | null> {
    assertUuid('id', id);
    return ctx.loaders.incident.load(id);
  }

  @Query(() => Incident, { nullable: true, description: 'By number: "INC-000123", "INC-123" or "123".' })
  async incidentByNumber(@Arg('number', () => String) number: string, @Ctx() ctx: Context): Promise<Incident | null> {
    const n = parseIncidentNumber(number);
    if (n === null) return null;
    const [found] = await selectEntities(ctx.em, Incident, 'select * from incidents where number = ?', [n]);
    return found ?? null;
  }

  @Query(() => IncidentConnection, {
    description:
      'The incident register, newest opened first unless orderBy says otherwise (at most 100 per page). A cursor belongs to the order ' +
      'it was made for.',
  })
  async incidents(
    @Ctx() ctx: Context,
    @Arg('filter', () => IncidentFilter, { nullable: true }) filter?: IncidentFilter,
    @Arg('first', () => Int, { defaultValue: 25 }) first = 25,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('orderBy', () => IncidentOrderBy, { nullable: true }) orderBy?: IncidentOrderBy,
  ): Promise<IncidentConnection> {
    const mine = await resolveMine(ctx, filter ?? {});
    const page = await listIncidents(ctx.em, filter, first, after, orderBy ?? undefined, mine);
    const edges = page.items.map((node, n) => ({ node, cursor: page.cursors[n]! }));
    return {
      edges,
      nodes: page.items,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      page,
    };
  }

  @FieldResolver(() => String, { description: 'Human-readable number, e.g. INC-000123.' })
  number(@Root() i: Incident): string {
    return formatIncidentNumber(i.seqNumber);
  }

  @FieldResolver(() => Service, { nullable: true })
  service(@Root() i: Incident, @Ctx() ctx: Context) {
    return i.serviceId ? ctx.loaders.service.load(i.serviceId) : null;
  }

  @FieldResolver(() => Category, { nullable: true })
  category(@Root() i: Incident, @Ctx() ctx: Context) {
    return i.categoryId ? ctx.loaders.category.load(i.categoryId) : null;
  }

  @FieldResolver(() => Team, { nullable: true })
  team(@Root() i: Incident, @Ctx() ctx: Context) {
    return i.teamId ? ctx.loaders.team.load(i.teamId) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  assignee(@Root() i: Incident, @Ctx() ctx: Context) {
    return i.assigneeId ? ctx.loaders.user.load(i.assigneeId) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  reporter(@Root() i: Incident, @Ctx() ctx: Context) {
    return i.reporterId ? ctx.loaders.user.load(i.reporterId) : null;
  }

  @FieldResolver(() => Boolean, { description: 'True when the priority was set by hand.' })
  priorityOverridden(@Root() i: Incident): boolean {
    return i.priorityOverrideReason !== null;
  }

  @FieldResolver(() => Resolution, { nullable: true })
  resolution(@Root() i: Incident): Resolution | null {
    if (!i.resolutionKind) return null;
    return { kind: i.resolutionKind, code: i.resolutionCode, notes: i.resolutionNotes, userConfirmed: i.userConfirmed };
  }

  @FieldResolver(() => [IncidentEvent], { description: 'The append-only timeline, oldest first.' })
  timeline(@Root() i: Incident, @Ctx() ctx: Context) {
    return ctx.loaders.timeline.load(i.id);
  }

  @FieldResolver(() => IncidentEvent, { nullable: true })
  lastEvent(@Root() i: Incident, @Ctx() ctx: Context) {
    return ctx.loaders.lastEvent.load(i.id);
  }

  @FieldResolver(() => [TimeEntry])
  timeEntries(@Root() i: Incident, @Ctx() ctx: Context) {
    return ctx.loaders.timeEntries.load(i.id);
  }

  @FieldResolver(() => IncidentCost, { description: 'Effort and cost from time entries.' })
  async cost(@Root() i: Incident, @Ctx() ctx: Context): Promise<IncidentCost> {
    const entries = await ctx.loaders.timeEntries.load(i.id);
    return {
      minutes: entries.reduce((s, e) => s + e.minutes, 0),
      billableMinutes: entries.filter((e) => e.billable).reduce((s, e) => s + e.minutes, 0),
      costCents: entries.reduce((s, e) => s + e.costCents, 0),
    };
  }

  @Mutation(() => Incident, { description: 'Log an incident from a user report or a monitoring source.' })
  async logIncident(@Arg('input', () => LogIncidentInput) input: LogIncidentInput, @Ctx() ctx: Context) {
    return (await service(ctx)).log(input);
  }

  @Mutation(() => Incident, { description: 'Edit title, description, major flag, external reference or detection time.' })
  async updateIncident(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateIncidentInput) input: UpdateIncidentInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).update(id, input);
  }

  @Mutation(() => Incident, { description: 'Classify or reclassify; classifying a NEW incident triages it.' })
  async classifyIncident(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ClassifyIncidentInput) input: ClassifyIncidentInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).classify(id, input);
  }

  @Mutation(() => Incident)
  async assignIncident(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => AssignIncidentInput) input: AssignIncidentInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).assign(id, input);
  }

  @Mutation(() => Incident, { description: 'Record the first response.' })
  async acknowledgeIncident(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Arg('occurredAt', () => Date, { nullable: true }) occurredAt?: Date,
  ) {
    return (await service(ctx)).acknowledge(id, occurredAt ?? undefined);
  }

  @Mutation(() => Incident, { description: 'Hold, resume, resolve, close, reopen or mark reviewed.' })
  async transitionIncident(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => TransitionIncidentInput) input: TransitionIncidentInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).transition(id, input);
  }

  @Mutation(() => Incident, { description: 'Reopen a resolved or closed incident (counted).' })
  async reopenIncident(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: Context) {
    if (!reason.trim()) throw badInput('reason', 'must not be blank');
    if (reason.length > 20_000) throw badInput('reason', 'must be at most 20000 characters');
    return (await service(ctx)).transition(id, { to: 'INVESTIGATING', note: reason }, { reopenOnly: true });
  }

  @Mutation(() => Incident)
  async addStakeholderUpdate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => StakeholderUpdateInput) input: StakeholderUpdateInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).addStakeholderUpdate(id, input);
  }

  @Mutation(() => Incident, {
    description: 'An internal work note (markdown) on the timeline: never shown as or sent with a stakeholder update.',
  })
  async addWorkNote(@Arg('id', () => ID) id: string, @Arg('input', () => WorkNoteInput) input: WorkNoteInput, @Ctx() ctx: Context) {
    return (await service(ctx)).addWorkNote(id, input);
  }

  @Mutation(() => Incident, { description: 'Functional or hierarchical escalation, or declaring a major incident.' })
  async recordEscalation(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => EscalationInput) input: EscalationInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).recordEscalation(id, input);
  }

  @Mutation(() => Incident)
  async triggerDisasterRecoveryPlan(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => DisasterRecoveryInput) input: DisasterRecoveryInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).triggerDisasterRecovery(id, input);
  }

  @Mutation(() => Incident, { description: 'A configuration change made while resolving.' })
  async recordConfigurationChange(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ConfigurationChangeInput) input: ConfigurationChangeInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).recordConfigurationChange(id, input);
  }

  @Mutation(() => TimeEntry)
  async addTimeEntry(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('input', () => TimeEntryInput) input: TimeEntryInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).addTimeEntry(incidentId, input);
  }
}

@Resolver(() => IncidentConnection)
export class IncidentConnectionResolver {
  @FieldResolver(() => Int, { description: 'Incidents matching the filter (all pages).' })
  totalCount(@Root() c: IncidentConnection): Promise<number> {
    return c.page.count();
  }
}
