import { ArrayMaxSize, IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MultiLine } from '../../graphql/text-fields';

const TEXT = 20_000;
const NOT_BLANK = /\S/;
export const MAX_CHECKLIST_STEPS = 100;
export const MAX_KEYWORDS = 30;
export const MAX_WORKAROUNDS = 50;

/**
 * The recipe of a model version. In updateIncidentModel an omitted field keeps the current
 * version's value and null clears it; in createIncidentModelFromIncident an omitted field is
 * prefilled from the incident.
 */
@InputType({ description: 'The recipe of an incident model version (the fields shared by create and update).' })
export class IncidentModelContentInput {
  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'Suggest the model for incidents on this service.' })
  @IsOptional()
  @IsUUID()
  matchServiceId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Suggest the model for incidents in this category (or its subcategories).' })
  @IsOptional()
  @IsUUID()
  matchCategoryId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `Symptom keywords, at most ${MAX_KEYWORDS}, each 1..60 characters; stored in lower case.`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_KEYWORDS)
  @MinLength(1, { each: true })
  @MaxLength(60, { each: true })
  @Matches(NOT_BLANK, { each: true, message: 'each keyword must not be blank' })
  matchKeywords?: string[] | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  defaultCategoryId?: string | null;

  @Field(() => Int, { nullable: true, description: '1 high .. 3 low' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  defaultImpact?: number | null;

  @Field(() => Int, { nullable: true, description: '1 high .. 3 low' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  defaultUrgency?: number | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  defaultTeamId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `Checklist steps in order, at most ${MAX_CHECKLIST_STEPS}, each 1..500 characters.`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_CHECKLIST_STEPS)
  @MinLength(1, { each: true })
  @MaxLength(500, { each: true })
  @Matches(NOT_BLANK, { each: true, message: 'each checklist step must not be blank' })
  checklist?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Workarounds to link; they must exist and not be RETIRED.' })
  @IsOptional()
  @ArrayMaxSize(MAX_WORKAROUNDS)
  @IsUUID('all', { each: true })
  workaroundIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'SLA policy the incident moves to (its current version) when the model is applied.' })
  @IsOptional()
  @IsUUID()
  slaPolicyId?: string | null;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  reviewTemplate?: string | null;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'Why this version was made (kept on the version).' })
  @IsOptional()
  @MaxLength(2000)
  note?: string | null;
}

@InputType({ description: 'A new incident model; its first version holds the recipe.' })
export class CreateIncidentModelInput extends IncidentModelContentInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;
}

@InputType({ description: 'Edit a model: a new version is written when the recipe changes; omitted fields keep their value, null clears.' })
export class UpdateIncidentModelInput extends IncidentModelContentInput {
  @Field(() => String, { nullable: true, description: 'Renaming does not make a new version.' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string | null;
}
