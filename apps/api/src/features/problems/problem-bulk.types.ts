import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Problem } from './problem.entity';

@ObjectType({ description: 'Why one problem of a bulk change was refused.' })
export class BulkProblemRowError {
  @Field(() => ID)
  problemId!: string;

  @Field(() => String, { nullable: true, description: 'PRB-00012; null when no problem has this id.' })
  number!: string | null;

  @Field(() => String, { description: 'The error code the single-problem mutation would have given.' })
  code!: string;

  @Field(() => String, { description: 'In plain words, starting with the number: "PRB-00012: ...".' })
  message!: string;
}

@ObjectType({ description: 'A bulk change of problems: either every problem changed (errors empty) or none did (applied 0).' })
export class BulkProblemResult {
  @Field(() => Int)
  applied!: number;

  @Field(() => [Problem], { description: 'The changed problems, in the order asked for; empty when refused.' })
  problems!: Problem[];

  @Field(() => [BulkProblemRowError])
  errors!: BulkProblemRowError[];
}
