import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export const WORKAROUND_STATUSES = ['DRAFT', 'ACTIVE', 'RETIRED'] as const;
export type WorkaroundStatus = (typeof WORKAROUND_STATUSES)[number];
export const WorkaroundStatusEnum = { DRAFT: 'DRAFT', ACTIVE: 'ACTIVE', RETIRED: 'RETIRED' } as const;
registerEnumType(WorkaroundStatusEnum, { name: 'WorkaroundStatus', description: 'Only ACTIVE workarounds can be applied.' });

@ObjectType({ description: 'Steps that restore service without removing the cause.' })
@Entity({ tableName: 'workarounds' })
export class Workaround {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: t.string })
  title!: string;

  @Field(() => String, { description: 'Markdown.' })
  @Property({ type: t.text })
  steps!: string;

  @Field(() => WorkaroundStatusEnum)
  @Property({ type: t.string })
  status: WorkaroundStatus = 'DRAFT';

  /** The resolved incident it was written from, if any. */
  @Property({ type: t.uuid, nullable: true })
  sourceIncidentId: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: t.datetime })
  updatedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: t.datetime, nullable: true })
  retiredAt: Date | null = null;

  @Property({ type: t.integer, version: true })
  version!: number;
}

/** A workaround used on an incident; `restoredService` is settled when the incident is resolved. */
@ObjectType({ description: 'A workaround applied to an incident: who, when, and whether it restored service.' })
@Entity({ tableName: 'workaround_applications' })
export class WorkaroundApplication {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.uuid })
  workaroundId!: string;

  @Property({ type: t.uuid })
  incidentId!: string;

  @Field(() => Date)
  @Property({ type: t.datetime })
  appliedAt!: Date;

  @Property({ type: t.uuid, nullable: true })
  appliedById: string | null = null;

  @Field(() => String)
  @Property({ type: t.string })
  appliedByName!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: t.text, nullable: true })
  note: string | null = null;

  @Field(() => Boolean, { nullable: true, description: 'Null until the incident is resolved.' })
  @Property({ type: t.boolean, nullable: true })
  restoredService: boolean | null = null;
}
