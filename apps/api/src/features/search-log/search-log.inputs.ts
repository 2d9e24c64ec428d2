import { BOOST_WEIGHT_MAX, SEARCH_LOG_POSITION_MAX, SEARCH_LOG_QUERY_MAX } from '@ikb/domain';
import { IsInt, IsOptional, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { SearchKindEnum, type SearchKind } from '../search/search.types';

@InputType({ description: 'A hit opened from a search: the search (searchId of its connection), the hit and its position.' })
export class RecordSearchOpenInput {
  @Field(() => ID, { description: 'The searchId of the search connection the hit came from.' })
  @IsUUID('all')
  searchId!: string;

  @Field(() => SearchKindEnum)
  kind!: SearchKind;

  @Field(() => ID, { description: "The hit's id (SearchHit.id)." })
  @IsUUID('all')
  id!: string;

  @Field(() => Int, { description: `1 for the first hit of the search, across pages; at most ${SEARCH_LOG_POSITION_MAX}.` })
  @IsInt()
  @Min(1)
  @Max(SEARCH_LOG_POSITION_MAX)
  position!: number;
}

@InputType({ description: 'Searches made in [from, to), by UTC day (the rollup is kept per UTC day).' })
export class SearchAnalyticsRange {
  @Field(() => Date, { description: 'Inclusive; its UTC day counts whole.' })
  from!: Date;

  @Field(() => Date, { description: 'Exclusive; a time after midnight UTC counts its day whole.' })
  to!: Date;
}

@InputType({ description: 'A record to rank higher for a query: the decision of an admin, with the reason.' })
export class ApproveSearchBoostInput {
  @Field(() => String, { description: 'The query, as typed or normalised (lower case, single spaces).' })
  @MinLength(1)
  @MaxLength(SEARCH_LOG_QUERY_MAX)
  query!: string;

  @Field(() => SearchKindEnum)
  kind!: SearchKind;

  @Field(() => ID)
  @IsUUID('all')
  itemId!: string;

  @Field(() => Float, { nullable: true, description: `Score x (1 + weight); above 0, at most ${BOOST_WEIGHT_MAX} (default 0.5).` })
  @IsOptional()
  @Min(0.05)
  @Max(BOOST_WEIGHT_MAX)
  weight?: number;

  @Field(() => String, { description: 'Why: shown with the boost to every admin.' })
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

@InputType({ description: 'A suggested boost turned down (it is not suggested again for this query and record).' })
export class DismissSearchBoostInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(SEARCH_LOG_QUERY_MAX)
  query!: string;

  @Field(() => SearchKindEnum)
  kind!: SearchKind;

  @Field(() => ID)
  @IsUUID('all')
  itemId!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
