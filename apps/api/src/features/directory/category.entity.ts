import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

/** Two-level taxonomy: a category (parentId null) and its subcategories. */
@ObjectType({ description: 'An incident type: a top-level category or one of its subcategories.' })
@Entity({ tableName: 'categories' })
export class Category {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: t.string })
  name!: string;

  @Property({ type: t.uuid, nullable: true })
  parentId: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();

  /** Set when retired: existing incidents keep the category, pickers stop offering it. */
  @Field(() => Date, { nullable: true, description: 'When it was retired; null while in use.' })
  @Property({ type: t.datetime, nullable: true })
  retiredAt: Date | null = null;
}
