import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertUuid } from '../../errors';
import type { Context } from '../../graphql/context';
import { AnalyticsBucketEnum, type AnalyticsBucket } from '../analytics/analytics.inputs';
import { approveBoost, dismissBoost, listBoosts, revokeBoost } from './search-boost.service';
import { ApproveSearchBoostInput, DismissSearchBoostInput, RecordSearchOpenInput, SearchAnalyticsRange } from './search-log.inputs';
import { searchRecorder } from './search-log.recorder';
import {
  boostSuggestions,
  contentGaps,
  mrrSeries,
  precededKnownErrors,
  resolvedWithIt,
  searchRange,
  topQueries,
} from './search-log.service';
import {
  SearchAnalytics,
  SearchBoost,
  SearchBoostSuggestion,
  SearchContentGap,
  SearchKnownErrorPrecursor,
  SearchMrrBucket,
  SearchQueryFigure,
  SearchResolvedWithIt,
} from './search-log.types';

// Who may read: admins and problem managers, those who keep the catalog (KNOWLEDGE_QUERIES, checked by the guard).
@Resolver(() => SearchAnalytics)
export class SearchAnalyticsResolver {
  @Query(() => SearchAnalytics, { description: 'Search analytics of a range (admins and problem managers); see docs/search-analytics.md.' })
  searchAnalytics(@Arg('range', () => SearchAnalyticsRange) range: SearchAnalyticsRange, @Ctx() ctx: Context): SearchAnalytics {
    return searchRange(range, searchRecorder(ctx.metadata)?.opts.retentionDays ?? 180);
  }

  @FieldResolver(() => [SearchQueryFigure], { description: 'Most searched queries (metric search-top-queries).' })
  topQueries(@Root() a: SearchAnalytics, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 20 }) first: number) {
    return topQueries(ctx.sql, a, first);
  }

  @FieldResolver(() => [SearchContentGap], {
    description: 'Queries that found nothing or that nobody opened a hit of (search-content-gaps).',
  })
  contentGaps(@Root() a: SearchAnalytics, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 20 }) first: number) {
    return contentGaps(ctx.sql, a, first);
  }

  @FieldResolver(() => [SearchMrrBucket], { description: 'Mean reciprocal rank per UTC bucket, every bucket listed (search-mrr).' })
  mrr(
    @Root() a: SearchAnalytics,
    @Ctx() ctx: Context,
    @Arg('bucket', () => AnalyticsBucketEnum, { defaultValue: 'DAY' }) bucket: AnalyticsBucket,
  ) {
    return mrrSeries(ctx.sql, a, bucket);
  }

  @FieldResolver(() => SearchResolvedWithIt, {
    description: 'Hits opened for an incident that then resolved it (search-resolved-with-it).',
  })
  resolvedWithIt(@Root() a: SearchAnalytics, @Ctx() ctx: Context) {
    return resolvedWithIt(ctx.sql, a);
  }

  @FieldResolver(() => [SearchKnownErrorPrecursor], {
    description: 'Known errors of the range with the unanswered searches that preceded them (search-preceded-known-error).',
  })
  precededKnownErrors(@Root() a: SearchAnalytics, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 20 }) first: number) {
    return precededKnownErrors(ctx.sql, a, first);
  }

  @FieldResolver(() => [SearchBoostSuggestion], {
    description: 'Records opened often for a query while ranked low, not decided yet: for an admin to approve or dismiss.',
  })
  boostSuggestions(@Root() a: SearchAnalytics, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: 20 }) first: number) {
    return boostSuggestions(ctx.sql, a, first);
  }
}

@Resolver(() => SearchBoost)
export class SearchBoostResolver {
  @Query(() => [SearchBoost], {
    description: 'Boost decisions, approved first then dismissed, newest first (admins and problem managers).',
  })
  searchBoosts(@Ctx() ctx: Context): Promise<SearchBoost[]> {
    return listBoosts(ctx.sql);
  }

  @Mutation(() => Boolean, {
    description:
      'A hit was opened from a search (every role). Recorded after the answer, once per search and hit; ' +
      'an unknown search or a position beyond its hits is dropped then. Always true when well-formed.',
  })
  recordSearchOpen(@Arg('input', () => RecordSearchOpenInput) input: RecordSearchOpenInput, @Ctx() ctx: Context): boolean {
    searchRecorder(ctx.metadata)?.recordOpen({ searchId: input.searchId, kind: input.kind, itemId: input.id, position: input.position });
    return true;
  }

  @Mutation(() => SearchBoost, { description: 'Rank a record higher for a query: score x (1 + weight) (admins).' })
  async approveSearchBoost(@Arg('input', () => ApproveSearchBoostInput) input: ApproveSearchBoostInput, @Ctx() ctx: Context) {
    return approveBoost(ctx.sql, await ctx.actor(), input);
  }

  @Mutation(() => SearchBoost, { description: 'Turn a suggested boost down; it is not suggested again (admins).' })
  async dismissSearchBoost(@Arg('input', () => DismissSearchBoostInput) input: DismissSearchBoostInput, @Ctx() ctx: Context) {
    return dismissBoost(ctx.sql, await ctx.actor(), input);
  }

  @Mutation(() => SearchBoost, { description: 'Remove a boost decision; answers it as it was (admins).' })
  revokeSearchBoost(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return revokeBoost(ctx.sql, assertUuid('id', id));
  }
}
