import { Field, Float, ObjectType } from 'type-graphql';
import { Incident } from '../incidents/incident.entity';
import { Problem } from '../problems/problem.entity';
import { Workaround } from '../workarounds/workaround.entity';

@ObjectType({ description: 'A past incident like the given one, with what fixed it.' })
export class SimilarIncident {
  @Field(() => Incident) incident!: Incident;
  @Field(() => Float) score!: number;
  @Field(() => [String], { description: 'Why it matched: shared terms, same service, same category, same problem, similar title.' })
  reasons!: string[];
  @Field(() => String, { nullable: true, description: 'Its resolution notes.' }) fix!: string | null;
  @Field(() => Workaround, { nullable: true, description: 'The workaround that restored service, if any.' }) workaround!: Workaround | null;
  @Field(() => Problem, { nullable: true, description: 'Its problem (root cause), if linked.' }) problem!: Problem | null;
}
