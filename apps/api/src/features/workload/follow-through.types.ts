import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Action item counts of one group (metric follow-through).' })
export class FollowThroughFigures {
  @Field(() => Int) total!: number;
  @Field(() => Int, { description: 'Open or in progress.' }) open!: number;
  @Field(() => Int, { description: 'Open or in progress past the due date.' }) overdue!: number;
  @Field(() => Int) done!: number;
  @Field(() => Int, { description: 'Done on or before the due date (local done date).' }) doneOnTime!: number;
  @Field(() => Int) doneLate!: number;
  @Field(() => Int) wontDo!: number;
  @Field(() => Float, { nullable: true, description: 'doneOnTime / done.' }) onTimeRatio!: number | null;
  @Field(() => Int, { description: "Incidents of a done item's problem opened after the item was done, summed over its items." })
  recurrencesAfterDone!: number;
}

@ObjectType({ description: "One owner's action items." })
export class OwnerFollowThrough extends FollowThroughFigures {
  @Field(() => ID) ownerId!: string;
  @Field(() => String) name!: string;
  @Field(() => ID, { nullable: true, description: 'Home team.' }) teamId!: string | null;
  @Field(() => String) teamName!: string;
}

@ObjectType({ description: "A team's action items (owners by their home team now)." })
export class TeamFollowThrough extends FollowThroughFigures {
  @Field(() => ID, { nullable: true, description: 'Null: owners with no team.' }) teamId!: string | null;
  @Field(() => String) name!: string;
  @Field(() => Int) owners!: number;
}

@ObjectType({ description: 'An overdue action item.' })
export class OverdueActionItem {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'YYYY-MM-DD.' }) dueDate!: string;
  @Field(() => Int, { description: 'Days past due, in the filter time zone.' }) daysOverdue!: number;
  @Field(() => ID) ownerId!: string;
  @Field(() => String) ownerName!: string;
  @Field(() => ID) reviewId!: string;
  @Field(() => Int) reviewNumber!: number;
  @Field(() => String) reviewTitle!: string;
}

@ObjectType({ description: 'Review follow-through: action items of reviews covering incidents of the range, counted live.' })
export class FollowThrough {
  @Field(() => ID) metricId!: string;
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => String) timeZone!: string;
  @Field(() => Date) evaluatedAt!: Date;
  @Field(() => String, { description: "Today in the filter's time zone (YYYY-MM-DD): overdue means due before it." }) today!: string;
  @Field(() => FollowThroughFigures) totals!: FollowThroughFigures;
  @Field(() => Int) ownerCount!: number;
  @Field(() => [OwnerFollowThrough], { description: 'Most overdue first, then most open; at most 500.' }) owners!: OwnerFollowThrough[];
  @Field(() => [TeamFollowThrough]) teams!: TeamFollowThrough[];
  @Field(() => Int) overdueCount!: number;
  @Field(() => [OverdueActionItem], { description: 'Longest overdue first; at most 200.' }) overdueItems!: OverdueActionItem[];
}
