import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { IncidentEventKindEnum, type IncidentEventKind } from './incident.enums';

/** One entry of an incident's append-only timeline (a database trigger refuses updates and deletes). */
@ObjectType({ description: 'An entry of the append-only incident timeline: who did what, when, before and after.' })
@Entity({ tableName: 'incident_events' })
export class IncidentEvent {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.uuid })
  incidentId!: string;

  @Field(() => Int, { description: 'Position in the incident timeline, from 1.' })
  @Property({ type: t.integer })
  seq!: number;

  @Field(() => Date, { description: 'When it happened (may be earlier than when it was recorded).' })
  @Property({ type: t.datetime })
  at!: Date;

  @Field(() => Date, { description: 'When it was recorded.' })
  @Property({ type: t.datetime })
  recordedAt: Date = new Date();

  @Property({ type: t.uuid, nullable: true })
  actorId: string | null = null;

  @Field(() => String, { description: 'Display name of the actor (a user, an integration, or "system").' })
  @Property({ type: t.string })
  actorName!: string;

  @Field(() => IncidentEventKindEnum)
  @Property({ type: t.string })
  kind!: IncidentEventKind;

  @Field(() => String, { description: 'One line a person can read.' })
  @Property({ type: t.text })
  summary!: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Changed fields before the change.' })
  @Property({ type: t.json, nullable: true })
  before: Record<string, unknown> | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Changed fields after the change.' })
  @Property({ type: t.json, nullable: true })
  after: Record<string, unknown> | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Other details (message, escalation target, change reference...).' })
  @Property({ type: t.json, nullable: true })
  data: Record<string, unknown> | null = null;
}
