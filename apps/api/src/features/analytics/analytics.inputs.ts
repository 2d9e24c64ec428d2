import { ArrayMaxSize, IsInt, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';

export const AnalyticsBucketEnum = { DAY: 'DAY', WEEK: 'WEEK', MONTH: 'MONTH' } as const;
export type AnalyticsBucket = keyof typeof AnalyticsBucketEnum;
registerEnumType(AnalyticsBucketEnum, {
  name: 'AnalyticsBucket',
  description: 'Local calendar buckets: day, week starting Monday, month.',
});

export const AnalyticsDimensionEnum = {
  PRIORITY: 'PRIORITY',
  SERVICE: 'SERVICE',
  TEAM: 'TEAM',
  CATEGORY: 'CATEGORY',
  SUBCATEGORY: 'SUBCATEGORY',
} as const;
export type AnalyticsDimension = keyof typeof AnalyticsDimensionEnum;
registerEnumType(AnalyticsDimensionEnum, {
  name: 'AnalyticsDimension',
  description:
    "What to split by: CATEGORY is the top-level category (its subcategories included), SUBCATEGORY the incident's own category.",
});

export const AnalyticsSourceEnum = { ROLLUP: 'ROLLUP', SCAN: 'SCAN' } as const;
export type AnalyticsSource = keyof typeof AnalyticsSourceEnum;
registerEnumType(AnalyticsSourceEnum, {
  name: 'AnalyticsSource',
  description: 'ROLLUP: pre-aggregated cells (percentiles within 1 %); SCAN: per-incident rows (exact), used for combined filters.',
});

@InputType({ description: 'Incidents opened in [from, to), matching every filter given; buckets in timeZone.' })
export class AnalyticsFilter {
  @Field(() => Date, { description: 'Inclusive.' })
  from!: Date;

  @Field(() => Date, { description: 'Exclusive.' })
  to!: Date;

  @Field(() => String, { nullable: true, description: 'IANA time zone for buckets (default UTC).' })
  @MaxLength(64)
  timeZone?: string | null;

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(200)
  serviceIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'A top-level category includes its subcategories.' })
  @ArrayMaxSize(200)
  categoryIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(200)
  teamIds?: string[] | null;

  @Field(() => [Int], { nullable: true, description: 'Priorities 1-5.' })
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(5, { each: true })
  priorities?: number[] | null;
}
