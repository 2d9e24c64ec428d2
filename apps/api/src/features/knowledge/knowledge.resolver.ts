import type { KnowledgeKind } from '@ikb/domain';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertUuid, badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import { Category } from '../directory/category.entity';
import { Service } from '../directory/service.entity';
import { Team } from '../directory/team.entity';
import { User } from '../directory/user.entity';
import { IncidentModel } from '../models/incident-model.entity';
import { Incident } from '../incidents/incident.entity';
import { Problem } from '../problems/problem.entity';
import { SearchHit } from '../search/search.types';
import { Workaround } from '../workarounds/workaround.entity';
import { knowledgeHealth, HEALTH_PAGE_MAX } from './knowledge.health';
import {
  KnowledgeFeedbackInput,
  KnowledgeHealthFilter,
  MarkKnowledgeReviewedInput,
  SetKnowledgeOwnerInput,
  TransitionKnowledgeInput,
} from './knowledge.inputs';
import { itemView, KnowledgeService } from './knowledge.service';
import { KnowledgeEffectiveness, KnowledgeFeedback, KnowledgeHealthPage, KnowledgeItem, KnowledgeKindEnum } from './knowledge.types';

const service = async (ctx: Context) => new KnowledgeService(ctx.em, await ctx.actor());

async function itemOf(ctx: Context, kind: KnowledgeKind, id: string): Promise<KnowledgeItem | null> {
  const f = await ctx.loaders.knowledgeLifecycle.load(`${kind}:${id}`);
  return f ? itemView(f, new Date()) : null;
}

@Resolver(() => KnowledgeItem)
export class KnowledgeResolver {
  @Query(() => KnowledgeItem, { nullable: true, description: 'One knowledge item with its lifecycle; null when it has none.' })
  knowledgeItem(@Arg('kind', () => KnowledgeKindEnum) kind: KnowledgeKind, @Arg('itemId', () => ID) itemId: string, @Ctx() ctx: Context) {
    assertUuid('itemId', itemId);
    return itemOf(ctx, kind, itemId);
  }

  @Query(() => KnowledgeHealthPage, {
    description:
      'Items needing attention (stale, review due within 30 days, in review too long, low effectiveness); ' +
      `at most ${HEALTH_PAGE_MAX} a page.`,
  })
  async knowledgeHealth(
    @Ctx() ctx: Context,
    @Arg('filter', () => KnowledgeHealthFilter, { nullable: true }) filter?: KnowledgeHealthFilter,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<KnowledgeHealthPage> {
    if (!Number.isInteger(first) || first < 1 || first > HEALTH_PAGE_MAX)
      throw badInput('first', `must be between 1 and ${HEALTH_PAGE_MAX}`);
    let offset = 0;
    if (after != null) {
      if (!/^\d{1,9}$/.test(after)) throw badInput('after', 'is not a cursor this list gave');
      offset = Number(after);
    }
    return knowledgeHealth(ctx.em, filter ?? {}, first, offset, new Date());
  }

  @Mutation(() => KnowledgeItem, { description: 'Move a knowledge item through its lifecycle (PUBLISHED also records a review).' })
  async transitionKnowledge(@Arg('input', () => TransitionKnowledgeInput) input: TransitionKnowledgeInput, @Ctx() ctx: Context) {
    return (await service(ctx)).transition(input);
  }

  @Mutation(() => KnowledgeItem, { description: 'Record a review: clears stale and sets the next review-by date.' })
  async markKnowledgeReviewed(@Arg('input', () => MarkKnowledgeReviewedInput) input: MarkKnowledgeReviewedInput, @Ctx() ctx: Context) {
    return (await service(ctx)).markReviewed(input);
  }

  @Mutation(() => KnowledgeItem, { description: 'Name who keeps a knowledge item current (null: the fallback owner).' })
  async setKnowledgeOwner(@Arg('input', () => SetKnowledgeOwnerInput) input: SetKnowledgeOwnerInput, @Ctx() ctx: Context) {
    return (await service(ctx)).setOwner(input);
  }

  @Mutation(() => KnowledgeFeedback, {
    description: 'Say whether an item helped; one vote per person, item and incident (a new one replaces it).',
  })
  async giveKnowledgeFeedback(@Arg('input', () => KnowledgeFeedbackInput) input: KnowledgeFeedbackInput, @Ctx() ctx: Context) {
    return (await service(ctx)).giveFeedback(input);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Set on the item, else the owner of its (first linked) problem.' })
  owner(@Root() i: KnowledgeItem, @Ctx() ctx: Context) {
    return i.ownerId ? ctx.loaders.user.load(i.ownerId) : null;
  }

  @FieldResolver(() => Service, { nullable: true })
  service(@Root() i: KnowledgeItem, @Ctx() ctx: Context) {
    return i.serviceId ? ctx.loaders.service.load(i.serviceId) : null;
  }

  @FieldResolver(() => Category, { nullable: true })
  category(@Root() i: KnowledgeItem, @Ctx() ctx: Context) {
    return i.categoryId ? ctx.loaders.category.load(i.categoryId) : null;
  }

  @FieldResolver(() => Team, { nullable: true })
  team(@Root() i: KnowledgeItem, @Ctx() ctx: Context) {
    return i.teamId ? ctx.loaders.team.load(i.teamId) : null;
  }

  @FieldResolver(() => KnowledgeEffectiveness)
  effectiveness(@Root() i: KnowledgeItem, @Ctx() ctx: Context) {
    return ctx.loaders.knowledgeEffectiveness.load(`${i.kind}:${i.itemId}`);
  }
}

@Resolver(() => Workaround)
export class WorkaroundKnowledgeResolver {
  @FieldResolver(() => KnowledgeItem, { nullable: true, description: 'Lifecycle, staleness and effectiveness.' })
  knowledge(@Root() w: Workaround, @Ctx() ctx: Context) {
    return itemOf(ctx, 'WORKAROUND', w.id);
  }
}

@Resolver(() => IncidentModel)
export class ModelKnowledgeResolver {
  @FieldResolver(() => KnowledgeItem, { nullable: true, description: 'Lifecycle, staleness and effectiveness.' })
  knowledge(@Root() m: IncidentModel, @Ctx() ctx: Context) {
    return itemOf(ctx, 'MODEL', m.id);
  }
}

@Resolver(() => Problem)
export class ProblemKnowledgeResolver {
  @FieldResolver(() => KnowledgeItem, { nullable: true, description: 'As a known error: lifecycle and effectiveness; null before.' })
  knowledge(@Root() p: Problem, @Ctx() ctx: Context) {
    return itemOf(ctx, 'KNOWN_ERROR', p.id);
  }

  // One level shallower than knowledge { effectiveness }: the incident page's known errors sit deep
  // in its query, near the depth limit (12).
  @FieldResolver(() => KnowledgeEffectiveness, { nullable: true, description: 'As a known error: its effectiveness; null before.' })
  async knowledgeEffectiveness(@Root() p: Problem, @Ctx() ctx: Context) {
    const f = await ctx.loaders.knowledgeLifecycle.load(`KNOWN_ERROR:${p.id}`);
    return f ? ctx.loaders.knowledgeEffectiveness.load(`KNOWN_ERROR:${p.id}`) : null;
  }
}

@Resolver(() => Incident)
export class IncidentKnowledgeFeedbackResolver {
  @FieldResolver(() => [KnowledgeFeedback], { description: "The signed-in user's votes on knowledge used on it (at most 200)." })
  async myKnowledgeFeedback(@Root() i: Incident, @Ctx() ctx: Context): Promise<KnowledgeFeedback[]> {
    const me = (await ctx.actor()).id;
    return me ? ctx.loaders.myKnowledgeFeedback.load(`${me}|${i.id}`) : [];
  }
}

const HIT_KINDS: Partial<Record<string, KnowledgeKind>> = {
  WORKAROUND: 'WORKAROUND',
  MODEL: 'MODEL',
  KNOWN_ERROR: 'KNOWN_ERROR',
  PROBLEM: 'KNOWN_ERROR',
};

@Resolver(() => SearchHit)
export class SearchHitKnowledgeResolver {
  @FieldResolver(() => KnowledgeItem, { nullable: true, description: 'For knowledge hits: lifecycle and effectiveness (batched).' })
  knowledge(@Root() h: SearchHit, @Ctx() ctx: Context) {
    const kind = HIT_KINDS[h.kind];
    return kind ? itemOf(ctx, kind, h.id) : null;
  }
}
