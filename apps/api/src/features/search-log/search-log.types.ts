import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SearchKindEnum, type SearchKind } from '../search/search.types';

export const SearchGapKindEnum = { ZERO_RESULTS: 'ZERO_RESULTS', NO_CLICK: 'NO_CLICK' } as const;
export type SearchGapKind = keyof typeof SearchGapKindEnum;
registerEnumType(SearchGapKindEnum, {
  name: 'SearchGapKind',
  description: 'ZERO_RESULTS: every search of the query in the range found nothing; NO_CLICK: some found hits, none was opened.',
});

export const SearchBoostStatusEnum = { APPROVED: 'APPROVED', DISMISSED: 'DISMISSED' } as const;
export type SearchBoostStatus = keyof typeof SearchBoostStatusEnum;
registerEnumType(SearchBoostStatusEnum, {
  name: 'SearchBoostStatus',
  description: 'APPROVED boosts rank; DISMISSED ones are not suggested again.',
});

/** The range as UTC days; its figures are field resolvers (each one statement). */
@ObjectType({ description: 'Search analytics of searches made in a range (UTC days): see metricDefinitions, ids search-*.' })
export class SearchAnalytics {
  @Field(() => Date, { description: 'Midnight UTC of the first day counted.' }) from!: Date;
  @Field(() => Date, { description: 'Midnight UTC after the last day counted.' }) to!: Date;
  @Field(() => Int, { description: 'Days raw searches are kept (SEARCH_LOG_RETENTION_DAYS); the daily totals per query, two years.' })
  retentionDays!: number;
}

@ObjectType({ simpleResolvers: true })
export class SearchQueryFigure {
  @Field(() => ID) metricId!: string;
  @Field(() => String, { description: 'The normalised query: lower case, single spaces.' }) query!: string;
  @Field(() => Int) searches!: number;
  @Field(() => Int) zeroHitSearches!: number;
  @Field(() => Float, { description: 'zeroHitSearches / searches.' }) zeroHitShare!: number;
  @Field(() => Int, { description: 'Searches with at least one hit opened.' }) searchesWithOpen!: number;
  @Field(() => Float, { description: 'searchesWithOpen / searches.' }) clickThrough!: number;
  @Field(() => Float, { description: 'Mean reciprocal rank (metric search-mrr).' }) mrr!: number;
}

@ObjectType({ simpleResolvers: true })
export class SearchContentGap {
  @Field(() => ID) metricId!: string;
  @Field(() => String) query!: string;
  @Field(() => SearchGapKindEnum) kind!: SearchGapKind;
  @Field(() => Int) searches!: number;
  @Field(() => Int) zeroHitSearches!: number;
  @Field(() => Date, { description: 'Midnight UTC of the last day it was searched in the range.' }) lastDay!: Date;
}

@ObjectType({ simpleResolvers: true })
export class SearchMrrBucket {
  @Field(() => ID) metricId!: string;
  @Field(() => Date, { description: 'First instant of the UTC bucket (may precede the range when it cuts the bucket).' }) start!: Date;
  @Field(() => Date) end!: Date;
  @Field(() => Int) searches!: number;
  @Field(() => Int) searchesWithOpen!: number;
  @Field(() => Float, { nullable: true, description: 'Null when no search was made in the bucket.' }) mrr!: number | null;
}

@ObjectType({ simpleResolvers: true })
export class SearchResolvedWithIt {
  @Field(() => ID) metricId!: string;
  @Field(() => Int, { description: "Hits opened from a search made for an incident (its page's suggestions)." }) opensWithIncident!: number;
  @Field(() => Int, { description: 'Of those, the incident was then resolved with the hit (metric search-resolved-with-it).' })
  resolvedWithIt!: number;
  @Field(() => Float, { nullable: true }) share!: number | null;
}

@ObjectType({ simpleResolvers: true })
export class SearchQueryCount {
  @Field(() => String) query!: string;
  @Field(() => Int) searches!: number;
}

@ObjectType({ simpleResolvers: true })
export class SearchKnownErrorPrecursor {
  @Field(() => ID) metricId!: string;
  @Field(() => ID) problemId!: string;
  @Field(() => String, { description: 'PRB-00012.' }) number!: string;
  @Field(() => String) title!: string;
  @Field(() => Date) knownErrorAt!: Date;
  @Field(() => Int, { description: 'Unanswered searches of the 30 days before whose words all appear in the known error.' })
  searches!: number;
  @Field(() => [SearchQueryCount], { description: 'Their queries, most searched first (at most 10).' }) queries!: SearchQueryCount[];
}

@ObjectType({ simpleResolvers: true })
export class SearchBoostSuggestion {
  @Field(() => String) query!: string;
  @Field(() => SearchKindEnum) kind!: SearchKind;
  @Field(() => ID) itemId!: string;
  @Field(() => String, { nullable: true, description: 'Null when the record is no longer in the catalog.' }) title!: string | null;
  @Field(() => Int, { description: 'Searches of the query it was opened from.' }) opens!: number;
  @Field(() => Float) meanPosition!: number;
  @Field(() => Float) suggestedWeight!: number;
}

@ObjectType({ description: 'An admin decision on ranking a record higher for a query (decision 0011).' })
export class SearchBoost {
  @Field(() => ID) id!: string;
  @Field(() => String) query!: string;
  @Field(() => SearchKindEnum) kind!: SearchKind;
  @Field(() => ID) itemId!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => SearchBoostStatusEnum) status!: SearchBoostStatus;
  @Field(() => Float, { description: 'Score x (1 + weight) when APPROVED.' }) weight!: number;
  @Field(() => String) reason!: string;
  @Field(() => String, { description: 'Who decided, as named then.' }) decidedByName!: string;
  @Field(() => ID, { nullable: true }) decidedById!: string | null;
  @Field(() => Date) decidedAt!: Date;
}
