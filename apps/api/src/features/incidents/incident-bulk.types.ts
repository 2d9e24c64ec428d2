import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Incident } from './incident.entity';

@ObjectType({ description: 'Why one incident of a bulk change was refused.' })
export class BulkRowError {
  @Field(() => ID)
  incidentId!: string;

  @Field(() => String, { nullable: true, description: 'INC-000123; null when no incident has this id.' })
  number!: string | null;

  @Field(() => String, { description: 'The error code the single-incident mutation would have given.' })
  code!: string;

  @Field(() => String, { description: 'In plain words, starting with the number: "INC-000123: a closed incident ...".' })
  message!: string;
}

@ObjectType({ description: 'A bulk change: either every incident changed (errors empty) or none did (applied 0).' })
export class BulkIncidentResult {
  @Field(() => Int)
  applied!: number;

  @Field(() => [Incident], { description: 'The changed incidents, in the order asked for; empty when refused.' })
  incidents!: Incident[];

  @Field(() => [BulkRowError])
  errors!: BulkRowError[];
}
