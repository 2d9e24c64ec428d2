import { randomUUID } from 'node:crypto';
import { ROOT_CAUSE_CATEGORIES, PROBLEM_STATUSES, type ProblemStatus, type RootCauseCategory } from '@ikb/domain';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export const ProblemStatusEnum = Object.fromEntries(PROBLEM_STATUSES.map((s) => [s, s])) as { [K in ProblemStatus]: K };
export const RootCauseCategoryEnum = Object.fromEntries(ROOT_CAUSE_CATEGORIES.map((s) => [s, s])) as { [K in RootCauseCategory]: K };
registerEnumType(ProblemStatusEnum, {
  name: 'ProblemStatus',
  description: 'OPEN -> KNOWN_ERROR (root cause documented) -> FIX_IN_PROGRESS -> RESOLVED (permanent fix) -> CLOSED.',
});
registerEnumType(RootCauseCategoryEnum, { name: 'RootCauseCategory' });

export function formatProblemNumber(n: number): string {
  return `PRB-${String(n).padStart(5, '0')}`;
}

@ObjectType({ description: 'An ITIL problem: the cause of one or more incidents.' })
@Entity({ tableName: 'problems' })
export class Problem {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.integer, fieldName: 'number' })
  seqNumber!: number;

  @Field(() => String)
  @Property({ type: t.string })
  title!: string;

  @Field(() => String)
  @Property({ type: t.text })
  description: string = '';

  @Field(() => ProblemStatusEnum)
  @Property({ type: t.string })
  status: ProblemStatus = 'OPEN';

  @Field(() => RootCauseCategoryEnum)
  @Property({ type: t.string })
  rootCauseCategory: RootCauseCategory = 'UNKNOWN';

  @Field(() => String, { nullable: true, description: 'The documented root cause; required from KNOWN_ERROR on.' })
  @Property({ type: t.text, nullable: true })
  rootCause: string | null = null;

  @Field(() => String)
  @Property({ type: t.text })
  analysisNotes: string = '';

  @Field(() => String, { nullable: true, description: 'The change that fixed it (e.g. CHG12345).' })
  @Property({ type: t.string, nullable: true })
  fixChangeRef: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: t.text, nullable: true })
  fixDescription: string | null = null;

  @Property({ type: t.uuid, nullable: true })
  serviceId: string | null = null;

  @Property({ type: t.uuid, nullable: true })
  categoryId: string | null = null;

  @Field(() => [String], { description: 'Symptom keywords that match it to incidents.' })
  @Property({ type: t.json })
  keywords: string[] = [];

  @Property({ type: t.uuid, nullable: true })
  ownerId: string | null = null;

  @Property({ type: t.uuid, nullable: true })
  teamId: string | null = null;

  @Property({ type: t.uuid, nullable: true })
  sourceIncidentId: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: t.datetime, nullable: true })
  knownErrorAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: t.datetime, nullable: true })
  resolvedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: t.datetime, nullable: true })
  closedAt: Date | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: t.datetime })
  updatedAt: Date = new Date();

  @Property({ type: t.integer, version: true })
  version!: number;
}

@ObjectType({ description: "An entry of a problem's timeline." })
@Entity({ tableName: 'problem_events' })
export class ProblemEvent {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.uuid })
  problemId!: string;

  @Field(() => Date)
  @Property({ type: t.datetime })
  at!: Date;

  @Property({ type: t.uuid, nullable: true })
  actorId: string | null = null;

  @Field(() => String)
  @Property({ type: t.string })
  actorName!: string;

  @Field(() => String)
  @Property({ type: t.string })
  kind!: string;

  @Field(() => String)
  @Property({ type: t.text })
  summary!: string;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: t.json, nullable: true })
  before: Record<string, unknown> | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: t.json, nullable: true })
  after: Record<string, unknown> | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: t.json, nullable: true })
  data: Record<string, unknown> | null = null;
}
