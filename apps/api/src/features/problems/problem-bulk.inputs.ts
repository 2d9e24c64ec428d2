import type { ProblemStatus } from '@ikb/domain';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MultiLine } from '../../graphql/text-fields';
import { MAX_BULK } from '../incidents/incident-bulk.inputs';
import { ProblemStatusEnum } from './problem.entity';

@InputType({ description: 'Owner and team for each problem: a field left out keeps what each has, null clears it.' })
export class BulkProblemAssignInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  teamId?: string | null;
}

@InputType({ description: 'A status move for each problem, by the same rules as transitionProblem.' })
export class BulkProblemTransitionInput {
  @Field(() => ProblemStatusEnum)
  to!: ProblemStatus;

  @MultiLine()
  @Field(() => String, { nullable: true, description: "Why, kept in each problem's timeline." })
  @IsOptional()
  @MaxLength(20_000)
  note?: string;
}

@InputType({
  description: `One change applied to several problems, all or nothing: exactly one of assign or transition. At most ${MAX_BULK} problems.`,
})
export class BulkProblemInput {
  @Field(() => [ID])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK)
  @ArrayUnique({ message: 'problemIds must not repeat a problem' })
  @IsUUID('all', { each: true })
  problemIds!: string[];

  @Field(() => BulkProblemAssignInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  assign?: BulkProblemAssignInput;

  @Field(() => BulkProblemTransitionInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  transition?: BulkProblemTransitionInput;
}
