import type { Bucket } from '@ikb/domain';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import { IncidentModel } from '../models/incident-model.entity';
import { Problem } from '../problems/problem.entity';
import { Workaround } from '../workarounds/workaround.entity';
import { DIM } from './analytics.cells';
import {
  AnalyticsBucketEnum,
  AnalyticsDimensionEnum,
  AnalyticsFilter,
  type AnalyticsBucket,
  type AnalyticsDimension,
} from './analytics.inputs';
import { needsFromInfo } from './analytics.needs';
import * as svc from './analytics.service';
import {
  ActionItemStats,
  Analytics,
  AnalyticsFieldMetric,
  AnalyticsKey,
  Backlog,
  CategoryReuse,
  Cost,
  CostBucket,
  CostRow,
  DurationBucket,
  DurationStats,
  KeyDuration,
  KeySla,
  KnowledgeItemReuse,
  KnowledgeReuse,
  MeanDuration,
  MetricDefinitionView,
  RecurringProblem,
  Recurrence,
  ReopenRate,
  ReviewCoverage,
  ServiceMtbf,
  SlaBucket,
  SlaCompliance,
  VolumeBucket,
  VolumeSeries,
} from './analytics.types';

const bucketArg = {
  defaultValue: 'MONTH' as AnalyticsBucket,
  description: "DAY, WEEK (starting Monday) or MONTH, in the filter's time zone.",
};

@Resolver(() => Analytics)
export class AnalyticsResolver {
  @Query(() => Analytics, {
    description:
      'Incident analytics: volume, backlog, MTTA / MTTD / time to resolve, MTBF, SLA compliance, recurrence, reopen rate, ' +
      'knowledge reuse, review coverage and cost, for incidents opened in [from, to). ' +
      'Every figure names its metric definition (see metricDefinitions).',
  })
  analytics(@Arg('filter', () => AnalyticsFilter) filter: AnalyticsFilter, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return svc.analyticsFor(ctx.em, filter, needsFromInfo(info));
  }

  @Query(() => [MetricDefinitionView], { description: 'How every analytics figure is defined.' })
  metricDefinitions() {
    return svc.metricDefinitions();
  }

  @FieldResolver(() => [AnalyticsFieldMetric], { description: 'The metric definition of each figure of this type.' })
  metrics() {
    return svc.fieldMetrics();
  }

  @FieldResolver(() => [VolumeBucket], { description: 'Incidents opened per bucket; every bucket of the range, empty ones with 0.' })
  volume(@Root() a: Analytics, @Arg('bucket', () => AnalyticsBucketEnum, bucketArg) bucket: AnalyticsBucket) {
    return svc.volume(a.view, bucket as Bucket);
  }

  @FieldResolver(() => [VolumeSeries], { description: 'Volume per bucket split by a dimension (values with no incident left out).' })
  volumeBy(
    @Root() a: Analytics,
    @Arg('dimension', () => AnalyticsDimensionEnum) dimension: AnalyticsDimension,
    @Arg('bucket', () => AnalyticsBucketEnum, bucketArg) bucket: AnalyticsBucket,
  ) {
    return svc.volumeBy(a.view, bucket as Bucket, dimension);
  }

  @FieldResolver(() => Backlog, { description: 'Open incidents of the range by age, now.' })
  backlog(@Root() a: Analytics, @Ctx() ctx: Context) {
    return svc.backlog(ctx.em, a.view);
  }

  @FieldResolver(() => MeanDuration, { description: 'Mean time to acknowledge.' })
  mtta(@Root() a: Analytics) {
    return svc.meanDuration(a.view, 'ack');
  }

  @FieldResolver(() => MeanDuration, { description: 'Mean time to detect.' })
  mttd(@Root() a: Analytics) {
    return svc.meanDuration(a.view, 'det');
  }

  @FieldResolver(() => DurationStats, { description: 'Time to resolve, wall clock.' })
  timeToResolve(@Root() a: Analytics) {
    return svc.durationStats(a.view, false);
  }

  @FieldResolver(() => DurationStats, { description: "Time to resolve in business hours of each incident's SLA calendar." })
  businessTimeToResolve(@Root() a: Analytics) {
    return svc.durationStats(a.view, true);
  }

  @FieldResolver(() => [ServiceMtbf], { description: 'Mean time between failures per service.' })
  mtbf(@Root() a: Analytics) {
    return svc.mtbf(a.view);
  }

  @FieldResolver(() => SlaCompliance)
  responseSla(@Root() a: Analytics) {
    return svc.slaCompliance(a.view, 'RESPONSE');
  }

  @FieldResolver(() => SlaCompliance)
  resolutionSla(@Root() a: Analytics) {
    return svc.slaCompliance(a.view, 'RESOLUTION');
  }

  @FieldResolver(() => Recurrence)
  recurrence(@Root() a: Analytics) {
    return svc.recurrence(a.view);
  }

  @FieldResolver(() => [RecurringProblem], { description: 'Problems with two or more incidents in the range, most incidents first.' })
  topRecurringProblems(@Root() a: Analytics, @Arg('first', () => Int) first: number) {
    if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first', 'must be between 1 and 200');
    return svc.topRecurringProblems(a.view, first);
  }

  @FieldResolver(() => ReopenRate)
  reopenRate(@Root() a: Analytics) {
    return svc.reopenRate(a.view);
  }

  @FieldResolver(() => KnowledgeReuse)
  knowledgeReuse(@Root() a: Analytics) {
    return svc.knowledgeReuse(a.view);
  }

  @FieldResolver(() => ReviewCoverage)
  reviewCoverage(@Root() a: Analytics) {
    return svc.reviewCoverage(a.view);
  }

  @FieldResolver(() => ActionItemStats)
  actionItems(@Root() a: Analytics, @Ctx() ctx: Context) {
    return svc.actionItems(ctx.em, a.view);
  }

  @FieldResolver(() => Cost)
  cost(@Root() a: Analytics) {
    return svc.cost(a.view);
  }
}

@Resolver(() => DurationStats)
export class AnalyticsDurationResolver {
  @FieldResolver(() => [DurationBucket], { description: 'Per bucket of the range.' })
  overTime(@Root() d: DurationStats, @Arg('bucket', () => AnalyticsBucketEnum, bucketArg) bucket: AnalyticsBucket) {
    return svc.durationOverTime(d.view, d.business, bucket as Bucket);
  }

  @FieldResolver(() => [KeyDuration], { description: 'Per service of the incidents (null id: no service).' })
  byService(@Root() d: DurationStats) {
    return svc.durationByDim(d.view, d.business, DIM.SERVICE);
  }

  @FieldResolver(() => [KeyDuration], { description: 'Per team of the incidents (null id: no team).' })
  byTeam(@Root() d: DurationStats) {
    return svc.durationByDim(d.view, d.business, DIM.TEAM);
  }
}

@Resolver(() => SlaCompliance)
export class AnalyticsSlaResolver {
  @FieldResolver(() => [KeySla])
  byService(@Root() s: SlaCompliance) {
    return svc.slaByDim(s.view, s.target, DIM.SERVICE);
  }

  @FieldResolver(() => [KeySla])
  byTeam(@Root() s: SlaCompliance) {
    return svc.slaByDim(s.view, s.target, DIM.TEAM);
  }

  @FieldResolver(() => [KeySla], { description: 'By top-level category.' })
  byCategory(@Root() s: SlaCompliance) {
    return svc.slaByDim(s.view, s.target, DIM.CATEGORY);
  }

  @FieldResolver(() => [SlaBucket], { description: 'Per bucket of the range.' })
  overTime(@Root() s: SlaCompliance, @Arg('bucket', () => AnalyticsBucketEnum, bucketArg) bucket: AnalyticsBucket) {
    return svc.slaOverTime(s.view, s.target, bucket as Bucket);
  }
}

@Resolver(() => KnowledgeReuse)
export class AnalyticsReuseResolver {
  @FieldResolver(() => [CategoryReuse], { description: 'By top-level category.' })
  byCategory(@Root() k: KnowledgeReuse) {
    return svc.reuseByCategory(k.view, DIM.CATEGORY);
  }

  @FieldResolver(() => [CategoryReuse], { description: "By the incident's own category." })
  bySubcategory(@Root() k: KnowledgeReuse) {
    return svc.reuseByCategory(k.view, DIM.SUBCATEGORY);
  }

  @FieldResolver(() => [KnowledgeItemReuse])
  byWorkaround(@Root() k: KnowledgeReuse) {
    return svc.reuseByItem(k.view, DIM.WORKAROUND);
  }

  @FieldResolver(() => [KnowledgeItemReuse])
  byModel(@Root() k: KnowledgeReuse) {
    return svc.reuseByItem(k.view, DIM.MODEL);
  }
}

@Resolver(() => Cost)
export class AnalyticsCostResolver {
  @FieldResolver(() => [CostRow])
  byService(@Root() c: Cost) {
    return svc.costByDim(c.view, DIM.SERVICE);
  }

  @FieldResolver(() => [CostRow], { description: 'By top-level category.' })
  byCategory(@Root() c: Cost) {
    return svc.costByDim(c.view, DIM.CATEGORY);
  }

  @FieldResolver(() => [CostRow])
  bySubcategory(@Root() c: Cost) {
    return svc.costByDim(c.view, DIM.SUBCATEGORY);
  }

  @FieldResolver(() => [CostBucket])
  byMonth(@Root() c: Cost) {
    return svc.costByMonth(c.view);
  }
}

@Resolver(() => AnalyticsKey)
export class AnalyticsKeyResolver {
  @FieldResolver(() => String, { description: 'Display name ("(none)" when the incidents have no value).' })
  async name(@Root() k: AnalyticsKey): Promise<string> {
    if (k.dimension === 'PRIORITY') return `P${k.priority}`;
    if (!k.id) return '(none)';
    return (await k.view.names()).get(k.id) ?? '(deleted)';
  }
}

@Resolver(() => RecurringProblem)
export class AnalyticsProblemResolver {
  @FieldResolver(() => Problem, { nullable: true })
  problem(@Root() p: RecurringProblem, @Ctx() ctx: Context) {
    return ctx.loaders.problem.load(p.problemId);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the problem was resolved (its fix).' })
  async fixedAt(@Root() p: RecurringProblem) {
    return (await p.view.problemSince(p.ranked)).get(p.problemId)?.fixedAt ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "All of the problem's incidents opened after its fix (null while unresolved), as of asOf.",
  })
  async recurrencesSinceFix(@Root() p: RecurringProblem) {
    return (await p.view.problemSince(p.ranked)).get(p.problemId)?.sinceFix ?? null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the last of its action items was done.' })
  async actionsDoneAt(@Root() p: RecurringProblem) {
    return (await p.view.problemSince(p.ranked)).get(p.problemId)?.actionsDoneAt ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Its incidents opened after the last of its action items was done (null until one is), as of asOf.',
  })
  async recurrencesSinceActionsDone(@Root() p: RecurringProblem) {
    return (await p.view.problemSince(p.ranked)).get(p.problemId)?.sinceActions ?? null;
  }
}

@Resolver(() => KnowledgeItemReuse)
export class AnalyticsKnowledgeItemResolver {
  @FieldResolver(() => Workaround, { nullable: true })
  workaround(@Root() r: KnowledgeItemReuse, @Ctx() ctx: Context) {
    return r.kind === 'WORKAROUND' ? ctx.loaders.workaround.load(r.id) : null;
  }

  @FieldResolver(() => IncidentModel, { nullable: true })
  model(@Root() r: KnowledgeItemReuse, @Ctx() ctx: Context) {
    return r.kind === 'MODEL' ? ctx.loaders.incidentModel.load(r.id) : null;
  }
}

export const ANALYTICS_RESOLVERS = [
  AnalyticsResolver,
  AnalyticsDurationResolver,
  AnalyticsSlaResolver,
  AnalyticsReuseResolver,
  AnalyticsCostResolver,
  AnalyticsKeyResolver,
  AnalyticsProblemResolver,
  AnalyticsKnowledgeItemResolver,
] as const;
