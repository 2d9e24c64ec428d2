import { actionItemToday, isOverdue, missingSections, type ReviewSection, type ReviewStatus } from '@ikb/domain';
import { ArrayMaxSize, IsOptional, IsUUID } from 'class-validator';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { assertUuid, badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import { User } from '../directory/user.entity';
import { Incident } from '../incidents/incident.entity';
import { PageInfo } from '../incidents/incident.types';
import { Problem } from '../problems/problem.entity';
import { Workaround } from '../workarounds/workaround.entity';
import { impactFacts } from './review-impact';
import { reviewMarkdown } from './review-markdown';
import { assembleTimeline } from './review-timeline';
import {
  ActionItem,
  ContributingFactor,
  FactorCategory,
  formatReviewNumber,
  Review,
  ReviewEvent,
  ReviewSectionEnum,
  ReviewStatusEnum,
  ReviewTemplate,
} from './review.entity';
import {
  ActionItemInput,
  ActionItemStatusInput,
  ContributingFactorInput,
  CreateReviewInput,
  CurateEntryInput,
  FactorCategoryInput,
  FiveWhysInput,
  ReviewTemplateInput,
  TimelineEntryInput,
  UpdateReviewInput,
} from './review.inputs';
import { countIncidentsAwaitingReview, incidentsAwaitingReview, listReviews, reviewCursor, type ReviewPage } from './review.queries';
import { reviewLoadersUsable } from './review.loaders';
import { contentOf, reviewContent, ReviewService, templateFor } from './review.service';

@ObjectType()
class ReviewTimelineItem {
  @Field(() => String, { description: 'Incident event id, added entry id, or "detected:<incidentId>".' }) id!: string;
  @Field(() => String, { description: 'DETECTION, INCIDENT_EVENT or ADDED.' }) source!: string;
  @Field(() => Date) at!: Date;
  @Field(() => String, { nullable: true }) incidentNumber!: string | null;
  @Field(() => String) kind!: string;
  @Field(() => String) summary!: string;
  @Field(() => String, { nullable: true }) actorName!: string | null;
  @Field(() => Boolean) starred!: boolean;
  @Field(() => Boolean) hidden!: boolean;
  @Field(() => String, { nullable: true }) annotation!: string | null;
  @Field(() => Boolean, { description: 'Whether it can be starred, hidden or annotated (detection entries cannot).' })
  curatable!: boolean;
}

@ObjectType()
class FiveWhyView {
  @Field(() => String) why!: string;
  @Field(() => String) answer!: string;
}

@ObjectType()
class Participant {
  @Field(() => String) name!: string;
  @Field(() => User, { nullable: true }) user!: User | null;
}

@ObjectType({ description: 'Impact figures: entered by reviewers where known, otherwise taken from the incidents.' })
class CustomerImpact {
  @Field(() => Int, { nullable: true }) usersAffected!: number | null;
  @Field(() => Int, { description: "Minutes of impact: entered, or the union of the incidents' impact intervals." })
  durationMinutes!: number;
  @Field(() => Boolean) durationEntered!: boolean;
  @Field(() => Int, { description: 'Breached SLA clocks of the incidents.' }) slaBreaches!: number;
  @Field(() => Date, { nullable: true }) firstImpactAt!: Date | null;
  @Field(() => Date, { nullable: true }) restoredAt!: Date | null;
  @Field(() => String) description!: string;
}

@ObjectType()
class ReviewEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Review) node!: Review;
}

@ObjectType()
class ReviewConnection {
  @Field(() => [ReviewEdge]) edges!: ReviewEdge[];
  @Field(() => [Review]) nodes!: Review[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  page!: ReviewPage;
}

@ObjectType({ description: 'A priority 1-2 or major incident that is resolved without a published review.' })
class AwaitingReview {
  @Field(() => Incident) incident!: Incident;
  @Field(() => Int) daysSinceResolution!: number;
}

@InputType()
class ReviewFilter {
  @Field(() => [ReviewStatusEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  status?: ReviewStatus[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  incidentId?: string;
}

const service = async (ctx: Context) => new ReviewService(ctx.em, await ctx.actor());
const today = () => actionItemToday(new Date());
/** Review fields batch through the request's loaders in queries, and read directly otherwise (see reviewLoadersUsable). */
const batched = (ctx: Context, info: GraphQLResolveInfo) => reviewLoadersUsable(ctx.loaders, ctx.em, info.operation.operation);

@Resolver(() => Review)
export class ReviewResolver {
  @Query(() => Review, { nullable: true })
  review(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    assertUuid('id', id);
    return ctx.em.findOne(Review, { id });
  }

  @Query(() => ReviewConnection, { description: 'Reviews, newest first.' })
  async reviews(
    @Ctx() ctx: Context,
    @Arg('filter', () => ReviewFilter, { nullable: true }) filter?: ReviewFilter,
    @Arg('first', () => Int, { defaultValue: 25 }) first = 25,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ReviewConnection> {
    const page = await listReviews(ctx.em, filter, first, after);
    const edges = page.items.map((node) => ({ node, cursor: reviewCursor(node) }));
    return { edges, nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, page };
  }

  @Query(() => [AwaitingReview], {
    description: 'Priority 1-2 or major incidents resolved without a published review, longest waiting first.',
  })
  incidentsAwaitingReview(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => ID, { nullable: true, description: 'The id of the last incident of the previous page: the list goes on after it.' })
    after?: string | null,
  ) {
    if (after) assertUuid('after', after);
    return incidentsAwaitingReview(ctx.em, first, new Date(), after);
  }

  @Query(() => Int, { description: 'How many incidents await review: what incidentsAwaitingReview lists, without its page size.' })
  incidentsAwaitingReviewCount(@Ctx() ctx: Context) {
    return countIncidentsAwaitingReview(ctx.em);
  }

  @Query(() => [ReviewTemplate])
  reviewTemplates(@Ctx() ctx: Context) {
    return ctx.em.find(ReviewTemplate, {}, { orderBy: { name: 'asc' } });
  }

  @Query(() => [FactorCategory], { description: 'The contributing-factor taxonomy.' })
  factorCategories(@Ctx() ctx: Context, @Arg('includeInactive', () => Boolean, { defaultValue: false }) includeInactive: boolean) {
    return ctx.em.find(FactorCategory, includeInactive ? {} : { active: true }, { orderBy: { position: 'asc' } });
  }

  @Query(() => String, { description: 'The whole review as a Markdown document.' })
  async reviewMarkdown(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    assertUuid('id', id);
    const r = await ctx.em.findOne(Review, { id });
    if (!r) throw badInput('id', 'no such review');
    return reviewMarkdown(ctx.em, r);
  }

  @FieldResolver(() => String, { description: 'e.g. PIR-0007' })
  number(@Root() r: Review) {
    return formatReviewNumber(r.seqNumber);
  }

  @FieldResolver(() => [Incident])
  incidents(@Root() r: Review, @Ctx() ctx: Context) {
    return ctx.loaders.reviewIncidents.load(r.id);
  }

  @FieldResolver(() => User, { nullable: true })
  facilitator(@Root() r: Review, @Ctx() ctx: Context) {
    return r.facilitatorId ? ctx.loaders.user.load(r.facilitatorId) : null;
  }

  @FieldResolver(() => [Participant])
  async participants(@Root() r: Review, @Ctx() ctx: Context): Promise<Participant[]> {
    return Promise.all(r.participants.map(async (p) => ({ name: p.name, user: p.userId ? await ctx.loaders.user.load(p.userId) : null })));
  }

  @FieldResolver(() => [FiveWhyView])
  fiveWhys(@Root() r: Review): FiveWhyView[] {
    return r.fiveWhys;
  }

  @FieldResolver(() => Problem, { nullable: true, description: 'The root cause the review ended in.' })
  problem(@Root() r: Review, @Ctx() ctx: Context) {
    return r.problemId ? ctx.loaders.problem.load(r.problemId) : null;
  }

  @FieldResolver(() => [ReviewTimelineItem], {
    description: "Assembled from the incidents' events and curated by reviewers, in time order.",
  })
  async timeline(
    @Root() r: Review,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('includeHidden', () => Boolean, { defaultValue: false }) includeHidden: boolean,
  ) {
    if (!batched(ctx, info)) return assembleTimeline(ctx.em, r.id, { includeHidden });
    const all = await ctx.loaders.reviewTimeline.load(r.id);
    return includeHidden ? all : all.filter((e) => !e.hidden);
  }

  // Named `impact`: `customerImpact` is the reviewers' text (String!).
  @FieldResolver(() => CustomerImpact, {
    description: 'Users affected, duration and SLA breaches: entered where known, else taken from the incidents.',
  })
  async impact(@Root() r: Review, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<CustomerImpact> {
    const f = batched(ctx, info) ? await ctx.loaders.reviewImpact.load(r.id) : await impactFacts(ctx.em, r.id);
    return {
      usersAffected: r.usersAffected,
      durationMinutes: r.impactMinutes ?? f.computedMinutes,
      durationEntered: r.impactMinutes !== null,
      slaBreaches: f.slaBreaches,
      firstImpactAt: f.firstImpactAt,
      restoredAt: f.restoredAt,
      description: r.customerImpact,
    };
  }

  @FieldResolver(() => [ContributingFactor])
  contributingFactors(@Root() r: Review, @Ctx() ctx: Context) {
    return ctx.loaders.reviewFactors.load(r.id);
  }

  @FieldResolver(() => [ActionItem])
  actionItems(@Root() r: Review, @Ctx() ctx: Context) {
    return ctx.loaders.reviewActionItems.load(r.id);
  }

  @FieldResolver(() => ReviewTemplate, { nullable: true, description: 'The template whose required sections apply.' })
  template(@Root() r: Review, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return batched(ctx, info) ? ctx.loaders.reviewTemplate.load({ id: r.id, templateId: r.templateId }) : templateFor(ctx.em, r);
  }

  @FieldResolver(() => [ReviewSectionEnum], { description: 'Required sections still empty; publishing is refused until none are left.' })
  async missingSections(@Root() r: Review, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<ReviewSection[]> {
    if (!batched(ctx, info)) {
      const t = await templateFor(ctx.em, r);
      return missingSections(await reviewContent(ctx.em, r), (t?.requiredSections ?? []) as ReviewSection[]);
    }
    const [t, counts, timeline] = await Promise.all([
      ctx.loaders.reviewTemplate.load({ id: r.id, templateId: r.templateId }),
      ctx.loaders.reviewCounts.load(r.id),
      ctx.loaders.reviewTimeline.load(r.id),
    ]);
    return missingSections(contentOf(r, counts, timeline.filter((e) => !e.hidden).length), (t?.requiredSections ?? []) as ReviewSection[]);
  }

  @FieldResolver(() => [ReviewEvent], { description: "The review's own history." })
  history(@Root() r: Review, @Ctx() ctx: Context) {
    return ctx.loaders.reviewHistory.load(r.id);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Incidents of its root-cause problem opened after the last of its done action items; null until one is done.',
  })
  async recurrencesAfterActions(@Root() r: Review, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<number | null> {
    if (!r.problemId) return null;
    if (batched(ctx, info)) return ctx.loaders.reviewRecurrencesAfterActions.load({ id: r.id, problemId: r.problemId });
    const rows = await ctx.em.execute<{ n: string | null }[]>(
      `select (select count(*) from incidents i where i.problem_id = ? and i.opened_at > d.done_at) as n
         from (select max(done_at) as done_at from action_items where review_id = ? and status = 'DONE') d where d.done_at is not null`,
      [r.problemId, r.id],
    );
    return rows[0] ? Number(rows[0].n) : null;
  }

  @Mutation(() => Review)
  async createReview(@Arg('input', () => CreateReviewInput) input: CreateReviewInput, @Ctx() ctx: Context) {
    return (await service(ctx)).create(input);
  }

  @Mutation(() => Review)
  async updateReview(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateReviewInput) input: UpdateReviewInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).update(id, input);
  }

  @Mutation(() => Review)
  async addIncidentsToReview(@Arg('id', () => ID) id: string, @Arg('incidentIds', () => [ID]) incidentIds: string[], @Ctx() ctx: Context) {
    if (incidentIds.length > 50) throw badInput('incidentIds', 'at most 50 at a time');
    return (await service(ctx)).setIncidents(id, incidentIds, true);
  }

  @Mutation(() => Review)
  async removeIncidentsFromReview(
    @Arg('id', () => ID) id: string,
    @Arg('incidentIds', () => [ID]) incidentIds: string[],
    @Ctx() ctx: Context,
  ) {
    if (incidentIds.length > 50) throw badInput('incidentIds', 'at most 50 at a time');
    return (await service(ctx)).setIncidents(id, incidentIds, false);
  }

  @Mutation(() => Review, { description: 'Record the five whys and the problem they end in (existing, or created here).' })
  async setFiveWhys(@Arg('id', () => ID) id: string, @Arg('input', () => FiveWhysInput) input: FiveWhysInput, @Ctx() ctx: Context) {
    return (await service(ctx)).setFiveWhys(id, input);
  }

  @Mutation(() => Review, { description: 'Star, hide or annotate a timeline entry; the incident event itself is not changed.' })
  async curateTimelineEntry(
    @Arg('id', () => ID) id: string,
    @Arg('entryId', () => String) entryId: string,
    @Arg('input', () => CurateEntryInput) input: CurateEntryInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).curate(id, entryId, input);
  }

  @Mutation(() => Review)
  async addTimelineEntry(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => TimelineEntryInput) input: TimelineEntryInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).addTimelineEntry(id, input);
  }

  @Mutation(() => Review)
  async removeTimelineEntry(@Arg('id', () => ID) id: string, @Arg('entryId', () => ID) entryId: string, @Ctx() ctx: Context) {
    return (await service(ctx)).removeTimelineEntry(id, entryId);
  }

  @Mutation(() => ContributingFactor)
  async addContributingFactor(
    @Arg('reviewId', () => ID) reviewId: string,
    @Arg('input', () => ContributingFactorInput) input: ContributingFactorInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).addFactor(reviewId, input);
  }

  @Mutation(() => ContributingFactor)
  async updateContributingFactor(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ContributingFactorInput) input: ContributingFactorInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).updateFactor(id, input);
  }

  @Mutation(() => Review)
  async removeContributingFactor(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return (await service(ctx)).removeFactor(id);
  }

  @Mutation(() => ActionItem)
  async addActionItem(
    @Arg('reviewId', () => ID) reviewId: string,
    @Arg('input', () => ActionItemInput) input: ActionItemInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).addActionItem(reviewId, input);
  }

  @Mutation(() => ActionItem)
  async updateActionItem(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ActionItemInput) input: ActionItemInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).updateActionItem(id, input);
  }

  @Mutation(() => ActionItem, { description: 'OPEN, IN_PROGRESS, DONE, or WONT_DO with a reason.' })
  async setActionItemStatus(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ActionItemStatusInput) input: ActionItemStatusInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).setActionItemStatus(id, input);
  }

  @Mutation(() => Review)
  async removeActionItem(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return (await service(ctx)).removeActionItem(id);
  }

  @Mutation(() => Review, {
    description: 'DRAFT -> IN_REVIEW -> PUBLISHED (refused while required sections are missing); back to DRAFT with a reason.',
  })
  async transitionReview(
    @Arg('id', () => ID) id: string,
    @Arg('to', () => ReviewStatusEnum) to: ReviewStatus,
    @Ctx() ctx: Context,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ) {
    if (reason && reason.length > 5000) throw badInput('reason', 'must be at most 5000 characters');
    return (await service(ctx)).transition(id, to, reason ?? undefined);
  }

  @Mutation(() => ReviewTemplate)
  async createReviewTemplate(@Arg('input', () => ReviewTemplateInput) input: ReviewTemplateInput, @Ctx() ctx: Context) {
    return (await service(ctx)).createTemplate(input);
  }

  @Mutation(() => FactorCategory, { description: 'Add a category to the contributing-factor taxonomy.' })
  async createFactorCategory(@Arg('input', () => FactorCategoryInput) input: FactorCategoryInput, @Ctx() ctx: Context) {
    return (await service(ctx)).createFactorCategory(input);
  }

  @Mutation(() => FactorCategory, { description: 'Retire or restore a category; existing factors keep it.' })
  async setFactorCategoryActive(@Arg('key', () => String) key: string, @Arg('active', () => Boolean) active: boolean, @Ctx() ctx: Context) {
    return (await service(ctx)).setFactorCategoryActive(key, active);
  }
}

@Resolver(() => ReviewConnection)
export class ReviewConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() c: ReviewConnection) {
    return c.page.count();
  }
}

@Resolver(() => ContributingFactor)
export class ContributingFactorResolver {
  @FieldResolver(() => FactorCategory)
  category(@Root() f: ContributingFactor, @Ctx() ctx: Context) {
    return ctx.loaders.factorCategory.load(f.categoryKey);
  }
}

@Resolver(() => ActionItem)
export class ActionItemResolver {
  @FieldResolver(() => User)
  owner(@Root() a: ActionItem, @Ctx() ctx: Context) {
    return ctx.loaders.user.load(a.ownerId);
  }

  @FieldResolver(() => Boolean, { description: 'Open or in progress after its due date.' })
  overdue(@Root() a: ActionItem) {
    return isOverdue(a, today());
  }

  @FieldResolver(() => Review)
  review(@Root() a: ActionItem, @Ctx() ctx: Context) {
    return ctx.loaders.review.load(a.reviewId);
  }

  @FieldResolver(() => Problem, { nullable: true })
  problem(@Root() a: ActionItem, @Ctx() ctx: Context) {
    return a.problemId ? ctx.loaders.problem.load(a.problemId) : null;
  }

  @FieldResolver(() => Workaround, { nullable: true })
  workaround(@Root() a: ActionItem, @Ctx() ctx: Context) {
    return a.workaroundId ? ctx.loaders.workaround.load(a.workaroundId) : null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The incident model it created, if any.' })
  modelId(@Root() a: ActionItem) {
    return a.modelId;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Incidents of its problem opened after it was done (null unless done with a problem).',
  })
  async recurrencesAfter(@Root() a: ActionItem, @Ctx() ctx: Context) {
    return a.status === 'DONE' && a.problemId ? ctx.loaders.recurrencesAfterItem.load(a.id) : null;
  }
}

@Resolver(() => Problem)
export class ProblemRecurrenceResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'Incidents opened after the problem was resolved (null while unresolved).' })
  async recurrencesSinceFix(@Root() p: Problem, @Ctx() ctx: Context) {
    return (await ctx.loaders.problemRecurrence.load(p.id)).sinceFix;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Incidents opened after the last of its action items was done (null until one is done).',
  })
  async recurrencesAfterActions(@Root() p: Problem, @Ctx() ctx: Context) {
    return (await ctx.loaders.problemRecurrence.load(p.id)).afterActions;
  }

  @FieldResolver(() => [ActionItem], { description: 'Action items from reviews that target it.' })
  async actionItems(@Root() p: Problem, @Ctx() ctx: Context) {
    return ctx.em.find(ActionItem, { problemId: p.id }, { orderBy: { dueDate: 'asc' } });
  }
}

@Resolver(() => Incident)
export class IncidentReviewResolver {
  @FieldResolver(() => [Review], { description: 'Reviews covering it.' })
  reviews(@Root() i: Incident, @Ctx() ctx: Context) {
    return ctx.loaders.incidentReviews.load(i.id);
  }
}
