import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A person: reporter, assignee, reviewer or actor on the timeline.' })
@Entity({ tableName: 'users' })
export class User {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: t.string })
  email!: string;

  @Field(() => String)
  @Property({ type: t.string })
  name!: string;

  /** Home team; resolved through a loader. */
  @Property({ type: t.uuid, nullable: true })
  teamId: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();
}
