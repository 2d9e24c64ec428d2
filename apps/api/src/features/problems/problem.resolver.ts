import { SUGGESTION_SCORE_DEFINITION, type ProblemStatus, type SuggestionStrength } from '@ikb/domain';
import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { assertUuid, badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import { Category } from '../directory/category.entity';
import { Service } from '../directory/service.entity';
import { Team } from '../directory/team.entity';
import { User } from '../directory/user.entity';
import { Incident } from '../incidents/incident.entity';
import { listIncidents } from '../incidents/incident.queries';
import { IncidentConnection, PageInfo } from '../incidents/incident.types';
import { SuggestionStrengthEnum } from '../shared/suggestion-strength';
import { Workaround } from '../workarounds/workaround.entity';
import { formatProblemNumber, Problem, ProblemEvent, ProblemStatusEnum } from './problem.entity';
import { CreateProblemInput, ProblemFilter, UpdateProblemInput } from './problem.inputs';
import { listProblems, parseProblemNumber, problemCursor, type ProblemPage } from './problem.queries';
import { ProblemService } from './problem.service';

@ObjectType()
export class ProblemEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Problem) node!: Problem;
}

@ObjectType({ description: 'A page of problems, newest first.' })
export class ProblemConnection {
  @Field(() => [ProblemEdge]) edges!: ProblemEdge[];
  @Field(() => [Problem]) nodes!: Problem[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  page!: ProblemPage;
}

@ObjectType({ description: 'A known error that matches an incident, with the reasons it matched.' })
export class KnownErrorMatchView {
  @Field(() => Problem) problem!: Problem;
  @Field(() => Int, { description: SUGGESTION_SCORE_DEFINITION }) score!: number;
  @Field(() => SuggestionStrengthEnum) strength!: SuggestionStrength;
  @Field(() => [String], {
    description: 'In words: "title mentions \\"oomkilled\\"", "same category: Compute", "same service: Payments API".',
  })
  reasons!: string[];
}

const connection = (page: ProblemPage): ProblemConnection => {
  const edges = page.items.map((node) => ({ node, cursor: problemCursor(node) }));
  return { edges, nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, page };
};

const service = async (ctx: Context) => new ProblemService(ctx.em, await ctx.actor());

@Resolver(() => Problem)
export class ProblemResolver {
  @Query(() => Problem, { nullable: true })
  problem(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    assertUuid('id', id);
    return ctx.em.findOne(Problem, { id });
  }

  @Query(() => Problem, { nullable: true, description: 'By number: "PRB-00012" or "12".' })
  problemByNumber(@Arg('number', () => String) number: string, @Ctx() ctx: Context) {
    const n = parseProblemNumber(number);
    return n === null ? null : ctx.em.findOne(Problem, { seqNumber: n });
  }

  @Query(() => ProblemConnection, { description: 'Problems, newest first (at most 100 per page).' })
  async problems(
    @Ctx() ctx: Context,
    @Arg('filter', () => ProblemFilter, { nullable: true }) filter?: ProblemFilter,
    @Arg('first', () => Int, { defaultValue: 25 }) first = 25,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return connection(await listProblems(ctx.em, filter, first, after));
  }

  @Query(() => ProblemConnection, { description: 'Known errors: root cause documented, not yet fixed, with an active workaround.' })
  async knownErrors(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 25 }) first = 25,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return connection(await listProblems(ctx.em, { knownErrorOnly: true }, first, after));
  }

  @FieldResolver(() => String, { description: 'e.g. PRB-00012' })
  number(@Root() p: Problem) {
    return formatProblemNumber(p.seqNumber);
  }

  @FieldResolver(() => Boolean, { description: 'Root cause documented, not yet fixed, and an active workaround exists.' })
  isKnownError(@Root() p: Problem, @Ctx() ctx: Context) {
    return ctx.loaders.isKnownError.load(p.id);
  }

  @FieldResolver(() => Service, { nullable: true })
  service(@Root() p: Problem, @Ctx() ctx: Context) {
    return p.serviceId ? ctx.loaders.service.load(p.serviceId) : null;
  }

  @FieldResolver(() => Category, { nullable: true })
  category(@Root() p: Problem, @Ctx() ctx: Context) {
    return p.categoryId ? ctx.loaders.category.load(p.categoryId) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  owner(@Root() p: Problem, @Ctx() ctx: Context) {
    return p.ownerId ? ctx.loaders.user.load(p.ownerId) : null;
  }

  @FieldResolver(() => Team, { nullable: true, description: 'The team working it.' })
  team(@Root() p: Problem, @Ctx() ctx: Context) {
    return p.teamId ? ctx.loaders.team.load(p.teamId) : null;
  }

  @FieldResolver(() => Incident, { nullable: true, description: 'The resolved incident it was created from.' })
  sourceIncident(@Root() p: Problem, @Ctx() ctx: Context) {
    return p.sourceIncidentId ? ctx.loaders.incident.load(p.sourceIncidentId) : null;
  }

  @FieldResolver(() => Int, { description: 'Incidents linked to it: what recurrence is measured on.' })
  incidentCount(@Root() p: Problem, @Ctx() ctx: Context) {
    return ctx.loaders.problemIncidentCount.load(p.id);
  }

  @FieldResolver(() => [Incident], { description: 'Its newest incidents (safe in lists; use `incidents` to page through all).' })
  recentIncidents(@Root() p: Problem, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 5 }) first: number) {
    if (first < 1 || first > 50) throw badInput('first', 'must be between 1 and 50');
    return ctx.loaders.problemRecentIncidents.load(`${p.id}:${first}`);
  }

  @FieldResolver(() => IncidentConnection, { description: 'All its incidents, newest first, paginated.' })
  async incidents(
    @Root() p: Problem,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 25 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<IncidentConnection> {
    const page = await listIncidents(ctx.em, { problemId: [p.id] }, first, after);
    const edges = page.items.map((node, n) => ({ node, cursor: page.cursors[n]! }));
    return { edges, nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, page };
  }

  @FieldResolver(() => [Workaround])
  workarounds(@Root() p: Problem, @Ctx() ctx: Context) {
    return ctx.loaders.problemWorkarounds.load(p.id);
  }

  @FieldResolver(() => [ProblemEvent], { description: "The problem's timeline, oldest first." })
  timeline(@Root() p: Problem, @Ctx() ctx: Context) {
    return ctx.loaders.problemTimeline.load(p.id);
  }

  @Mutation(() => Problem)
  async createProblem(@Arg('input', () => CreateProblemInput) input: CreateProblemInput, @Ctx() ctx: Context) {
    return (await service(ctx)).create(input);
  }

  @Mutation(() => Problem, { description: 'Open a problem from a resolved incident; the incident is linked and kept as its source.' })
  async createProblemFromIncident(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('input', () => CreateProblemInput) input: CreateProblemInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).createFromIncident(incidentId, input);
  }

  @Mutation(() => Problem)
  async updateProblem(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateProblemInput) input: UpdateProblemInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).update(id, input);
  }

  @Mutation(() => Problem, {
    description: 'OPEN -> KNOWN_ERROR (needs a documented root cause) -> FIX_IN_PROGRESS -> RESOLVED (needs fixChangeRef) -> CLOSED.',
  })
  async transitionProblem(
    @Arg('id', () => ID) id: string,
    @Arg('to', () => ProblemStatusEnum) to: ProblemStatus,
    @Ctx() ctx: Context,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ) {
    if (note && note.length > 20_000) throw badInput('note', 'must be at most 20000 characters');
    return (await service(ctx)).transition(id, to, note ?? undefined);
  }

  @Mutation(() => Incident, { description: 'Link an incident to a problem (moving it from another problem if needed).' })
  async linkIncidentToProblem(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('problemId', () => ID) problemId: string,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).linkIncident(incidentId, problemId);
  }

  @Mutation(() => Incident)
  async unlinkIncidentFromProblem(@Arg('incidentId', () => ID) incidentId: string, @Ctx() ctx: Context) {
    return (await service(ctx)).unlinkIncident(incidentId);
  }

  @Mutation(() => Problem)
  async linkWorkaroundToProblem(
    @Arg('problemId', () => ID) problemId: string,
    @Arg('workaroundId', () => ID) workaroundId: string,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).linkWorkaround(problemId, workaroundId, true);
  }

  @Mutation(() => Problem)
  async unlinkWorkaroundFromProblem(
    @Arg('problemId', () => ID) problemId: string,
    @Arg('workaroundId', () => ID) workaroundId: string,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).linkWorkaround(problemId, workaroundId, false);
  }
}

@Resolver(() => ProblemConnection)
export class ProblemConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() c: ProblemConnection) {
    return c.page.count();
  }
}

@Resolver(() => Incident)
export class IncidentProblemResolver {
  @FieldResolver(() => Problem, { nullable: true, description: 'The problem (root cause) it is an occurrence of.' })
  problem(@Root() i: Incident, @Ctx() ctx: Context) {
    return i.problemId ? ctx.loaders.problem.load(i.problemId) : null;
  }

  @FieldResolver(() => [KnownErrorMatchView], {
    description:
      'Known errors worth trying on it, best first: symptom keywords in its text or alerts, the same category, the same service; ' +
      'a shared service alone is not enough.',
  })
  matchingKnownErrors(@Root() i: Incident, @Ctx() ctx: Context) {
    return ctx.loaders.matchingKnownErrors.load(i.id);
  }
}

@Resolver(() => Workaround)
export class WorkaroundProblemResolver {
  @FieldResolver(() => [Problem], { description: 'Problems it works around.' })
  problems(@Root() w: Workaround, @Ctx() ctx: Context) {
    return ctx.loaders.workaroundProblems.load(w.id);
  }
}
