import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { TextArrayType } from '../../db/pg-array';

@ObjectType('SearchSynonymGroup', {
  description:
    'Terms the catalog search treats as the same (db, database): a query with one also finds the others. Whole words; ' +
    'the search stems inflections (certificate, certificates) itself.',
})
@Entity({ tableName: 'search_synonyms' })
export class SearchSynonym {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  @Field(() => [String], { description: 'Normalised: lower case, single spaces; 2 to 10 terms of 1 to 4 words.' })
  @Property({ type: TextArrayType })
  terms!: string[];

  @Field(() => String, { nullable: true, description: 'Why the group exists or what it is for.' })
  @Property({ type: t.text, nullable: true })
  note: string | null = null;

  /** The shipped group this row is (DEFAULT_SYNONYM_GROUPS id), edited or not; null for groups admins added. */
  @Property({ type: t.string, nullable: true })
  builtinKey: string | null = null;

  @Property({ type: t.integer, version: true })
  version!: number;

  @Field(() => Date)
  @Property({ type: t.datetime })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: t.datetime })
  updatedAt: Date = new Date();

  @Property({ type: t.uuid, nullable: true })
  createdById: string | null = null;
}
