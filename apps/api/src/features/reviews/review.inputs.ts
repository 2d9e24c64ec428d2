import type { ActionItemKind, ActionItemStatus, ReviewSection } from '@ikb/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { RootCauseCategoryEnum } from '../problems/problem.entity';
import type { RootCauseCategory } from '@ikb/domain';
import { ActionItemKindEnum, ActionItemStatusEnum, ReviewSectionEnum } from './review.entity';
import { MultiLine } from '../../graphql/text-fields';

const TEXT = 50_000;
const NOT_BLANK = /\S/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

@InputType()
export class CreateReviewInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title!: string;

  @Field(() => [ID], { description: 'The incidents it covers (1 to 50).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  incidentIds!: string[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  facilitatorId?: string;

  @Field(() => Date, { nullable: true })
  meetingAt?: Date;
}

@InputType({ description: 'A participant: a user, or a name for someone outside the directory.' })
export class ParticipantInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

@InputType({ description: 'Fields to change; omitted fields are kept.' })
export class UpdateReviewInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  facilitatorId?: string;

  @Field(() => [ParticipantInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  participants?: ParticipantInput[];

  @Field(() => Date, { nullable: true })
  meetingAt?: Date;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true removes the meeting; invitations already sent are then cancelled (METHOD:CANCEL) by the notifier.',
  })
  @IsOptional()
  clearMeeting?: boolean;

  @Field(() => Int, { nullable: true, description: 'Length of the meeting in minutes, 5 to 1440.' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(1440)
  meetingMinutes?: number;

  @Field(() => String, { nullable: true, description: "A room or a call's URL; an empty string removes it." })
  @IsOptional()
  @MaxLength(500)
  meetingLocation?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  summary?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_000_000_000)
  usersAffected?: number;

  @Field(() => Int, { nullable: true, description: 'Overrides the impact duration computed from the incidents.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5_256_000)
  impactMinutes?: number;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  customerImpact?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  wentWell?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  wentBadly?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  lessons?: string;

  @Field(() => ID, { nullable: true, description: 'Use this template instead of the one chosen automatically.' })
  @IsOptional()
  @IsUUID()
  templateId?: string;
}

@InputType()
export class FiveWhyInput {
  @MultiLine()
  @Field(() => String)
  @MinLength(1)
  @MaxLength(2000)
  @Matches(NOT_BLANK, { message: 'why must not be blank' })
  why!: string;

  @MultiLine()
  @Field(() => String)
  @MinLength(1)
  @MaxLength(5000)
  @Matches(NOT_BLANK, { message: 'answer must not be blank' })
  answer!: string;
}

@InputType({ description: 'The root cause the five whys end in, as a new problem.' })
export class NewRootCauseInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title!: string;

  @MultiLine()
  @Field(() => String)
  @MinLength(10)
  @MaxLength(TEXT)
  rootCause!: string;

  @Field(() => RootCauseCategoryEnum)
  rootCauseCategory!: RootCauseCategory;
}

@InputType({ description: 'Five whys, ending in a problem: an existing one (problemId) or a new one (newProblem).' })
export class FiveWhysInput {
  @Field(() => [FiveWhyInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  whys!: FiveWhyInput[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  problemId?: string;

  @Field(() => NewRootCauseInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  newProblem?: NewRootCauseInput;
}

@InputType()
export class TimelineEntryInput {
  @Field(() => Date)
  at!: Date;

  @MultiLine()
  @Field(() => String)
  @MinLength(1)
  @MaxLength(5000)
  @Matches(NOT_BLANK, { message: 'text must not be blank' })
  text!: string;
}

@InputType({ description: 'Curation of a timeline entry; omitted fields are kept.' })
export class CurateEntryInput {
  @Field(() => Boolean, { nullable: true })
  starred?: boolean;

  @Field(() => Boolean, { nullable: true })
  hidden?: boolean;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'Empty string clears it.' })
  @IsOptional()
  @MaxLength(5000)
  annotation?: string;
}

@InputType()
export class ContributingFactorInput {
  @Field(() => String, { description: 'Key of a factor category, e.g. CHANGE or MONITORING_GAP.' })
  @MinLength(1)
  @MaxLength(40)
  categoryKey!: string;

  @MultiLine()
  @Field(() => String)
  @MinLength(1)
  @MaxLength(TEXT)
  @Matches(NOT_BLANK, { message: 'description must not be blank' })
  description!: string;

  @MultiLine()
  @Field(() => [String], { defaultValue: [], description: 'Ids of timeline entries that show it.' })
  @ArrayMaxSize(100)
  evidence!: string[];
}

@InputType()
export class ActionItemInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title!: string;

  @Field(() => ID)
  @IsUUID()
  ownerId!: string;

  @Field(() => String, { description: 'YYYY-MM-DD; not in the past (today in timeZone) when set or changed.' })
  @Matches(DATE, { message: 'dueDate must be YYYY-MM-DD' })
  dueDate!: string;

  @Field(() => String, {
    nullable: true,
    description: 'IANA time zone of the person setting it, which decides what "today" is; default UTC.',
  })
  @IsOptional()
  @MaxLength(64)
  timeZone?: string;

  @Field(() => ActionItemKindEnum)
  kind!: ActionItemKind;

  @Field(() => Int, { defaultValue: 3, description: '1 highest .. 5 lowest' })
  @IsInt()
  @Min(1)
  @Max(5)
  priority!: number;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  problemId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  workaroundId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  modelId?: string;
}

@InputType()
export class ActionItemStatusInput {
  @Field(() => ActionItemStatusEnum)
  status!: ActionItemStatus;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'Required for WONT_DO.' })
  @IsOptional()
  @MaxLength(5000)
  reason?: string;
}

@InputType()
export class ReviewTemplateInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => [ReviewSectionEnum])
  @ArrayMaxSize(10)
  requiredSections!: ReviewSection[];

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  maxPriority?: number;

  @Field(() => Boolean, { nullable: true, description: 'Only for reviews covering an incident flagged major.' })
  majorOnly?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  modelId?: string;
}

@InputType()
export class FactorCategoryInput {
  @Field(() => String, { description: 'UPPER_SNAKE key.' })
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'key must be UPPER_SNAKE_CASE, 2 to 40 characters' })
  key!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @MultiLine()
  @Field(() => String, { defaultValue: '' })
  @MaxLength(2000)
  description!: string;
}
