import type { ProblemStatus, RootCauseCategory } from '@ikb/domain';
import { ArrayMaxSize, IsOptional, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ProblemStatusEnum, RootCauseCategoryEnum } from './problem.entity';
import { MultiLine } from '../../graphql/text-fields';

const TEXT = 20_000;
const NOT_BLANK = /\S/;

@InputType({ description: 'Fields of a problem record (shared by create and update).' })
export class ProblemFieldsInput {
  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  description?: string;

  @Field(() => RootCauseCategoryEnum, { nullable: true })
  rootCauseCategory?: RootCauseCategory;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'The documented root cause (at least 10 characters to count as documented).' })
  @IsOptional()
  @MaxLength(TEXT)
  rootCause?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  analysisNotes?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(120)
  fixChangeRef?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  fixDescription?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  serviceId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  @Field(() => [String], { nullable: true, description: 'Symptom keywords (error codes, messages) that match incidents.' })
  @IsOptional()
  @ArrayMaxSize(30)
  @MinLength(1, { each: true })
  @MaxLength(60, { each: true })
  keywords?: string[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @Field(() => ID, { nullable: true, description: 'The team working the problem.' })
  @IsOptional()
  @IsUUID()
  teamId?: string;
}

@InputType()
export class UpdateProblemInput extends ProblemFieldsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title?: string;
}

@InputType()
export class CreateProblemInput extends ProblemFieldsInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title!: string;

  @Field(() => [ID], { nullable: true, description: 'Incidents to link at once.' })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  incidentIds?: string[];
}

@InputType()
export class ProblemFilter {
  @Field(() => [ProblemStatusEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  status?: ProblemStatus[];

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only known errors: root cause documented, not yet fixed, with an active workaround.',
  })
  knownErrorOnly?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  serviceId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in number, title, description or root cause.' })
  @IsOptional()
  @MaxLength(200)
  text?: string;
}
