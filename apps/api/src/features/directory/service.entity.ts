import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A business or IT service that incidents affect.' })
@Entity({ tableName: 'services' })
export class Service {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: t.string })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: t.text, nullable: true })
  description: string | null = null;

  @Property({ type: t.uuid, nullable: true })
  ownerTeamId: string | null = null;

  /** Its own SLA policy; null uses the default policy. */
  @Property({ type: t.uuid, nullable: true })
  slaPolicyId: string | null = null;

  @Field(() => Boolean, { description: 'Shown on the public status page (with its state and uptime; nothing else of it).' })
  @Property({ type: t.boolean, fieldName: 'public' })
  public: boolean = false;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();
}
