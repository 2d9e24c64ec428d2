import { MAX_REVIEW_DAYS, type KnowledgeKind, type KnowledgeState } from '@ikb/domain';
import { IsInt, IsOptional, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MultiLine } from '../../graphql/text-fields';
import { FeedbackContextEnum, KnowledgeKindEnum, KnowledgeStateEnum, type FeedbackContext } from './knowledge.types';

@InputType()
export class KnowledgeRefInput {
  @Field(() => KnowledgeKindEnum)
  kind!: KnowledgeKind;

  @Field(() => ID)
  @IsUUID('all')
  itemId!: string;
}

@InputType()
export class TransitionKnowledgeInput extends KnowledgeRefInput {
  @Field(() => KnowledgeStateEnum)
  to!: KnowledgeState;
}

@InputType()
export class MarkKnowledgeReviewedInput extends KnowledgeRefInput {
  @Field(() => Int, { nullable: true, description: "Days to the next review; the kind's default when left out." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_REVIEW_DAYS)
  reviewInDays?: number;
}

@InputType()
export class SetKnowledgeOwnerInput extends KnowledgeRefInput {
  @Field(() => ID, { nullable: true, description: 'Null: back to the fallback owner (the linked problem owner).' })
  @IsOptional()
  @IsUUID('all')
  ownerId?: string | null;
}

@InputType()
export class KnowledgeFeedbackInput extends KnowledgeRefInput {
  @Field(() => ID, { nullable: true, description: 'The incident it was used on; required for APPLIED.' })
  @IsOptional()
  @IsUUID('all')
  incidentId?: string | null;

  @Field(() => Boolean)
  helpful!: boolean;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;

  @Field(() => FeedbackContextEnum)
  context!: FeedbackContext;
}

@InputType()
export class KnowledgeHealthFilter {
  @Field(() => KnowledgeKindEnum, { nullable: true })
  @IsOptional()
  kind?: KnowledgeKind | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  ownerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  teamId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  serviceId?: string | null;
}
