import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A support or resolver group that incidents are assigned to.' })
@Entity({ tableName: 'teams' })
export class Team {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: t.string })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: t.text, nullable: true })
  description: string | null = null;

  @Field(() => ID, {
    nullable: true,
    description: 'Working calendar of its members for the workload (unless they set their own); null: the default SLA calendar.',
  })
  @Property({ type: t.uuid, nullable: true, fieldName: 'calendar_id' })
  workingCalendarId: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();
}
