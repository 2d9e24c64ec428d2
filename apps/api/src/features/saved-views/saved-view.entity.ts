import { randomUUID } from 'node:crypto';
import { SAVED_VIEW_LISTS, type SavedViewFilters, type SavedViewList } from '@ikb/domain';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export const SavedViewListEnum = Object.fromEntries(SAVED_VIEW_LISTS.map((v) => [v, v])) as { [K in SavedViewList]: K };
registerEnumType(SavedViewListEnum, { name: 'SavedViewList', description: 'A list of the web app that views can be saved for.' });

@ObjectType({ description: "A named set of a list's filters and order, the owner's own or shared with their team." })
@Entity({ tableName: 'saved_views' })
export class SavedView {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Property({ type: t.uuid })
  ownerId!: string;

  @Field(() => SavedViewListEnum)
  @Property({ type: t.string })
  list!: SavedViewList;

  @Field(() => String)
  @Property({ type: t.string })
  name!: string;

  @Field(() => GraphQLJSONObject, { description: "The list's URL parameters: each a text or a list of texts." })
  @Property({ type: t.json })
  filters: SavedViewFilters = {};

  /** The team the view is shared with (the owner's home team when shared); null: private. */
  @Property({ type: t.uuid, nullable: true })
  sharedTeamId: string | null = null;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: t.datetime })
  updatedAt: Date = new Date();
}
