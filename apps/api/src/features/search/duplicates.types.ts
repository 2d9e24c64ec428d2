import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { MultiLine } from '../../graphql/text-fields';
import { Incident } from '../incidents/incident.entity';
import { Problem } from '../problems/problem.entity';

export const DUPLICATES_MAX = 10;

@InputType({ description: 'What is being logged, to look for the same thing already open or known.' })
export class DuplicateCheckInput {
  @Field(() => String, { description: 'The title as typed so far (at most 200 characters, like an incident title).' })
  @MaxLength(200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'Ignored beyond its first 2,000 characters.' })
  @IsOptional()
  @MaxLength(20_000)
  description?: string;

  @Field(() => Int, { defaultValue: 5, description: `At most ${DUPLICATES_MAX} of each kind.` })
  @IsInt()
  @Min(1)
  @Max(DUPLICATES_MAX)
  first!: number;
}

@ObjectType({ description: 'An open incident that looks like the one being logged.' })
export class DuplicateIncident {
  @Field(() => Incident) incident!: Incident;
  @Field(() => Float, { description: '0..1: 0.6 x share of the typed words it has + 0.4 x title trigram similarity.' }) score!: number;
  @Field(() => [String], { description: 'e.g. "same words: \\"tls\\", \\"certificate\\"", "title 92 % similar".' }) reasons!: string[];
}

@ObjectType({ description: 'A published known error whose text matches what is being logged (the catalog search).' })
export class DuplicateKnownError {
  @Field(() => Problem) problem!: Problem;
  @Field(() => Float, { description: "The catalog search's score." }) score!: number;
  @Field(() => String, { description: "The catalog search's reason: which words matched where." }) reason!: string;
}

@ObjectType({ description: 'Possible duplicates of an incident about to be logged: go to the existing one instead.' })
export class PossibleDuplicates {
  @Field(() => [DuplicateIncident], { description: 'Open incidents, most alike first.' }) openIncidents!: DuplicateIncident[];
  @Field(() => [DuplicateKnownError], { description: 'Known errors with an active workaround, best first.' })
  knownErrors!: DuplicateKnownError[];
}
