import { Field, Int, ObjectType } from 'type-graphql';
import { ResolutionKindEnum } from './incident.enums';
import type { ResolutionKind } from '@ikb/domain';
import { Incident } from './incident.entity';
import type { IncidentPage } from './incident.queries';

@ObjectType({ description: 'How service was restored, once resolved.' })
export class Resolution {
  @Field(() => ResolutionKindEnum)
  kind!: ResolutionKind;

  @Field(() => String, { nullable: true })
  code!: string | null;

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Set at closure: did the user confirm the resolution?' })
  userConfirmed!: boolean | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class IncidentEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Incident)
  node!: Incident;
}

@ObjectType({ description: 'A page of incidents, newest opened first.' })
export class IncidentConnection {
  @Field(() => [IncidentEdge])
  edges!: IncidentEdge[];

  @Field(() => [Incident], { description: 'The nodes of edges, for convenience.' })
  nodes!: Incident[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Counted only when asked for. */
  page!: IncidentPage;
}

@ObjectType()
export class IncidentCost {
  @Field(() => Int)
  minutes!: number;

  @Field(() => Int)
  billableMinutes!: number;

  @Field(() => Int, { description: 'Sum of minutes x hourly rate / 60, in cents.' })
  costCents!: number;
}
