import type { SlaTarget } from '@ikb/domain';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { SlaTargetEnum } from '../sla/sla.enums';
import { AnalyticsDimensionEnum, AnalyticsSourceEnum, type AnalyticsDimension, type AnalyticsSource } from './analytics.inputs';
import type { AnalyticsView } from './analytics.view';

/**
 * The analytics' GraphQL shapes. Every figure carries `metricId`, the id of its definition in
 * `metricDefinitions`. Objects with arguments on their fields keep the request's view (not
 * exposed) so those fields can be computed from the same snapshot.
 */

@ObjectType({ description: 'How a metric is defined: shown beside every figure.' })
export class MetricDefinitionView {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The definition from the design brief.' }) definition!: string;
  @Field(() => String, { description: 'Exactly how it is computed where the definition leaves a choice.' }) details!: string;
}

@ObjectType({ description: 'The metric definition behind a field of Analytics.' })
export class AnalyticsFieldMetric {
  @Field(() => String) field!: string;
  @Field(() => ID) metricId!: string;
}

@ObjectType({ description: 'A value of a dimension: a priority, service, team, category or subcategory (id null: none set).' })
export class AnalyticsKey {
  view!: AnalyticsView;
  @Field(() => AnalyticsDimensionEnum) dimension!: AnalyticsDimension;
  @Field(() => ID, { nullable: true }) id!: string | null;
  @Field(() => Int, { nullable: true, description: 'For PRIORITY.' }) priority!: number | null;
}

@ObjectType({ description: 'Incidents opened in one bucket.' })
export class VolumeBucket {
  @Field(() => ID) metricId!: string;
  @Field(() => Date, { description: 'First instant of the local bucket (may precede the range when it cuts the bucket).' }) start!: Date;
  @Field(() => Date, { description: 'First instant after the bucket.' }) end!: Date;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Volume of one value of a dimension, per bucket.' })
export class VolumeSeries {
  @Field(() => ID) metricId!: string;
  @Field(() => AnalyticsKey) key!: AnalyticsKey;
  @Field(() => Int) total!: number;
  @Field(() => [VolumeBucket]) buckets!: VolumeBucket[];
  @Field(() => [Int], { description: 'The counts alone, one per bucket, in the order of volume(bucket) (a compact form for charts).' })
  counts!: number[];
}

@ObjectType()
export class PriorityMean {
  @Field(() => Int) priority!: number;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) meanHours!: number | null;
}

@ObjectType({ description: 'A mean duration (MTTA, MTTD) in hours.' })
export class MeanDuration {
  @Field(() => ID) metricId!: string;
  @Field(() => Int, { description: 'Incidents with the duration defined.' }) count!: number;
  @Field(() => Float, { nullable: true }) meanHours!: number | null;
  @Field(() => [PriorityMean]) byPriority!: PriorityMean[];
}

@ObjectType()
export class PriorityDuration {
  @Field(() => Int) priority!: number;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) meanHours!: number | null;
  @Field(() => Float, { nullable: true }) medianHours!: number | null;
  @Field(() => Float, { nullable: true }) p90Hours!: number | null;
}

@ObjectType()
export class DurationBucket {
  @Field(() => Date) start!: Date;
  @Field(() => Date) end!: Date;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) meanHours!: number | null;
  @Field(() => Float, { nullable: true }) medianHours!: number | null;
  @Field(() => Float, { nullable: true }) p90Hours!: number | null;
}

@ObjectType({ description: 'Time to resolve of one value of a dimension (a service, a team): null figures when none was resolved.' })
export class KeyDuration {
  @Field(() => AnalyticsKey) key!: AnalyticsKey;
  @Field(() => Int, { description: 'Resolved incidents of that value.' }) count!: number;
  @Field(() => Float, { nullable: true }) meanHours!: number | null;
  @Field(() => Float, { nullable: true }) medianHours!: number | null;
  @Field(() => Float, { nullable: true }) p90Hours!: number | null;
}

@ObjectType({ description: 'Time to resolve over resolved incidents: count, mean, median and p90 (nearest rank), in hours.' })
export class DurationStats {
  view!: AnalyticsView;
  @Field(() => ID) metricId!: string;
  @Field(() => Boolean, { description: "Business hours by the SLA calendar of each incident's policy version (else wall clock)." })
  business!: boolean;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) meanHours!: number | null;
  @Field(() => Float, { nullable: true }) medianHours!: number | null;
  @Field(() => Float, { nullable: true }) p90Hours!: number | null;
  @Field(() => Float, { description: 'Largest relative error of medianHours / p90Hours: 0 when exact, about 0.01 from rollup histograms.' })
  relativeError!: number;
  @Field(() => [PriorityDuration]) byPriority!: PriorityDuration[];
}

@ObjectType()
export class PrioritySla {
  @Field(() => Int) priority!: number;
  @Field(() => Int) met!: number;
  @Field(() => Int) breached!: number;
  @Field(() => Int, { description: 'met + breached' }) total!: number;
  @Field(() => Float, { nullable: true, description: 'met / total; null when total is 0.' }) ratio!: number | null;
}

@ObjectType()
export class KeySla {
  @Field(() => AnalyticsKey) key!: AnalyticsKey;
  @Field(() => Int) met!: number;
  @Field(() => Int) breached!: number;
  @Field(() => Int) total!: number;
  @Field(() => Float, { nullable: true }) ratio!: number | null;
}

@ObjectType()
export class SlaBucket {
  @Field(() => Date) start!: Date;
  @Field(() => Date) end!: Date;
  @Field(() => Int) met!: number;
  @Field(() => Int) breached!: number;
  @Field(() => Int) total!: number;
  @Field(() => Float, { nullable: true }) ratio!: number | null;
}

@ObjectType({ description: 'SLA compliance of one target among incidents with a verdict.' })
export class SlaCompliance {
  view!: AnalyticsView;
  @Field(() => ID) metricId!: string;
  @Field(() => SlaTargetEnum) target!: SlaTarget;
  @Field(() => Int) met!: number;
  @Field(() => Int) breached!: number;
  @Field(() => Int, { description: 'met + breached' }) total!: number;
  @Field(() => Float, { nullable: true, description: 'met / total; null when total is 0.' }) ratio!: number | null;
  @Field(() => [PrioritySla]) byPriority!: PrioritySla[];
}

@ObjectType({ description: 'Mean time between failures of a service.' })
export class ServiceMtbf {
  @Field(() => ID) metricId!: string;
  @Field(() => AnalyticsKey) key!: AnalyticsKey;
  @Field(() => Int, { description: 'Gaps measured: incidents of the range with a resolved predecessor on the service.' }) gaps!: number;
  @Field(() => Float, { nullable: true }) meanHours!: number | null;
}

@ObjectType()
export class PriorityCount {
  @Field(() => Int) priority!: number;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class BacklogBand {
  @Field(() => String) label!: string;
  @Field(() => Float, { description: 'Age from, in days (inclusive).' }) minDays!: number;
  @Field(() => Float, { nullable: true, description: 'Age to, in days (exclusive); null for the last band.' }) maxDays!: number | null;
  @Field(() => Int) count!: number;
  @Field(() => [PriorityCount]) byPriority!: PriorityCount[];
}

@ObjectType({ description: 'Open incidents by age, counted when the query runs.' })
export class Backlog {
  @Field(() => ID) metricId!: string;
  @Field(() => Date) evaluatedAt!: Date;
  @Field(() => Int) open!: number;
  @Field(() => [BacklogBand]) byAge!: BacklogBand[];
}

@ObjectType()
export class Recurrence {
  @Field(() => ID) metricId!: string;
  @Field(() => Int) incidents!: number;
  @Field(() => Int) recurring!: number;
  @Field(() => Float, { nullable: true }) rate!: number | null;
}

@ObjectType({ description: 'A problem ranked by its incidents in the range.' })
export class RecurringProblem {
  view!: AnalyticsView;
  /** Every problem of the ranking: their recurrences are computed together. */
  ranked!: string[];
  @Field(() => ID) metricId!: string;
  @Field(() => ID) problemId!: string;
  @Field(() => Int, { description: 'Its incidents in the range and filters.' }) incidentCount!: number;
  @Field(() => Int, { description: 'Of those, the ones that recur (not its first incident ever).' }) recurringCount!: number;
}

@ObjectType()
export class ReopenRate {
  @Field(() => ID) metricId!: string;
  @Field(() => Int) reopened!: number;
  @Field(() => Int) resolved!: number;
  @Field(() => Float, { nullable: true }) rate!: number | null;
}

@ObjectType()
export class ReuseMean {
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) meanHours!: number | null;
}

@ObjectType({ description: 'Knowledge reuse in one category.' })
export class CategoryReuse {
  @Field(() => AnalyticsKey) key!: AnalyticsKey;
  @Field(() => Int) resolved!: number;
  @Field(() => Int) reused!: number;
  @Field(() => Float, { nullable: true }) rate!: number | null;
  @Field(() => ReuseMean, { description: 'Resolved with a workaround or model.' }) withReuse!: ReuseMean;
  @Field(() => ReuseMean, { description: 'Resolved without.' }) withoutReuse!: ReuseMean;
}

@ObjectType({ description: 'Time to resolve with one workaround or model, against the same categories without any.' })
export class KnowledgeItemReuse {
  kind!: 'WORKAROUND' | 'MODEL';
  @Field(() => ID) id!: string;
  @Field(() => Int) incidents!: number;
  @Field(() => Float, { nullable: true }) meanHours!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "Mean of resolved incidents without reuse in the same categories, weighted by this item's incidents per category.",
  })
  sameCategoryWithoutMeanHours!: number | null;
}

@ObjectType()
export class KnowledgeReuse {
  view!: AnalyticsView;
  @Field(() => ID) metricId!: string;
  @Field(() => Int) resolved!: number;
  @Field(() => Int) reused!: number;
  @Field(() => Float, { nullable: true }) rate!: number | null;
  @Field(() => ReuseMean) withReuse!: ReuseMean;
  @Field(() => ReuseMean) withoutReuse!: ReuseMean;
}

@ObjectType()
export class ReviewCoverage {
  @Field(() => ID) metricId!: string;
  @Field(() => Int, { description: 'Major or priority 1-2 incidents.' }) eligible!: number;
  @Field(() => Int, { description: 'Of those, covered by a published review.' }) reviewed!: number;
  @Field(() => Float, { nullable: true }) ratio!: number | null;
}

@ObjectType({ description: 'Action items of reviews covering incidents of the range, counted when the query runs.' })
export class ActionItemStats {
  @Field(() => ID) metricId!: string;
  @Field(() => Int) total!: number;
  @Field(() => Int) done!: number;
  @Field(() => Int) doneOnTime!: number;
  @Field(() => Int) doneLate!: number;
  @Field(() => Int, { description: 'Open or in progress.' }) open!: number;
  @Field(() => Int, { description: 'Open or in progress past the due date.' }) overdue!: number;
  @Field(() => Int) wontDo!: number;
  @Field(() => Float, { nullable: true, description: 'doneOnTime / done.' }) onTimeRatio!: number | null;
}

@ObjectType()
export class CostRow {
  @Field(() => AnalyticsKey) key!: AnalyticsKey;
  @Field(() => Float) cents!: number;
  @Field(() => Float) minutes!: number;
}

@ObjectType()
export class CostBucket {
  @Field(() => Date) start!: Date;
  @Field(() => Date) end!: Date;
  @Field(() => Float) cents!: number;
  @Field(() => Float) minutes!: number;
}

@ObjectType({ description: 'Cost of time entries (minutes x hourly rate / 60), in cents.' })
export class Cost {
  view!: AnalyticsView;
  @Field(() => ID) metricId!: string;
  @Field(() => String, {
    description: 'ISO 4217 code of the amounts (cents are hundredths of it): the organisation has no currency setting, so EUR.',
  })
  currency!: string;
  @Field(() => Float) cents!: number;
  @Field(() => Float) minutes!: number;
}

@ObjectType({ description: 'Incident analytics for a range and filters: every figure with its metric definition.' })
export class Analytics {
  view!: AnalyticsView;
  @Field(() => Date, {
    description:
      'Every incident change committed before this instant is reflected (the rollups refresh in the background; see pendingChanges).',
  })
  asOf!: Date;
  @Field(() => Date, { description: 'When the query ran: live figures (backlog, action items, clocks past due) are as of this instant.' })
  evaluatedAt!: Date;
  @Field(() => Int, { description: 'Queued incident changes not yet folded into the rollups (0: asOf = evaluatedAt).' })
  pendingChanges!: number;
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => String) timeZone!: string;
  @Field(() => AnalyticsSourceEnum) source!: AnalyticsSource;
  @Field(() => String, { description: 'Why this source was used.' }) sourceReason!: string;
  @Field(() => Float, { description: 'Largest relative error of any percentile in this result (0: exact).' })
  percentileRelativeError!: number;
  @Field(() => Int, { description: 'Incidents opened in the range (metric: volume).' }) incidentCount!: number;
}
