import type { Bucket } from '@ikb/domain';
import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { AnalyticsBucketEnum, AnalyticsFilter, type AnalyticsBucket } from '../analytics/analytics.inputs';
import { followThroughFor } from './follow-through.service';
import { FollowThrough } from './follow-through.types';
import { setWorkingCalendar } from './working-calendar.service';
import { WorkingCalendarInput } from './workload.inputs';
import { onDutyOverTime, workloadFor } from './workload.service';
import { OnDutyBucket, Workload } from './workload.types';

@ObjectType({ description: 'The working calendar now set for a person or a team.' })
export class WorkingCalendar {
  @Field(() => ID, { nullable: true }) userId!: string | null;
  @Field(() => ID, { nullable: true }) teamId!: string | null;
  @Field(() => ID, { nullable: true }) calendarId!: string | null;
  @Field(() => String, { nullable: true }) timeZone!: string | null;
}

@Resolver(() => Workload)
export class WorkloadResolver {
  @Query(() => Workload, {
    description:
      'Person-hours on the incidents opened in [from, to) per person and team, the share outside working hours, incidents per ' +
      'on-duty person and load concentration. Every figure names its metric definition (see metricDefinitions).',
  })
  workload(@Arg('filter', () => AnalyticsFilter) filter: AnalyticsFilter, @Ctx() ctx: Context) {
    return workloadFor(ctx.em, filter);
  }

  @FieldResolver(() => [OnDutyBucket], { description: 'Incidents per on-duty person per bucket; every bucket of the range.' })
  onDutyOverTime(
    @Root() w: Workload,
    @Arg('bucket', () => AnalyticsBucketEnum, { defaultValue: 'WEEK' as AnalyticsBucket }) bucket: AnalyticsBucket,
  ) {
    return onDutyOverTime(w, bucket as Bucket);
  }

  @Query(() => FollowThrough, {
    description:
      'Action items of the reviews covering incidents opened in [from, to), by owner and team: open, overdue, done on time, ' +
      'done late, won’t do, recurrences after done (metric follow-through).',
  })
  followThrough(@Arg('filter', () => AnalyticsFilter) filter: AnalyticsFilter, @Ctx() ctx: Context) {
    return followThroughFor(ctx.em, filter);
  }

  @Mutation(() => WorkingCalendar, { description: 'Set the working hours of yourself, or (admins) of someone else or a team.' })
  async setWorkingCalendar(@Arg('input', () => WorkingCalendarInput) input: WorkingCalendarInput, @Ctx() ctx: Context) {
    return Object.assign(new WorkingCalendar(), await setWorkingCalendar(ctx.em, await ctx.actor(), input));
  }
}

export const WORKLOAD_RESOLVERS = [WorkloadResolver] as const;
