import type { SavedViewFilters, SavedViewList } from '@ikb/domain';
import { IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { SavedViewListEnum } from './saved-view.entity';

const NOT_BLANK = /\S/;

@InputType({ description: "Save a list's current filters and order under a name." })
export class CreateSavedViewInput {
  @Field(() => SavedViewListEnum)
  list!: SavedViewList;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(80)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => GraphQLJSONObject, { description: 'The list\'s URL parameters, e.g. { status: ["NEW"], sort: "priority" }; at most 4 KB.' })
  filters!: SavedViewFilters;

  @Field(() => Boolean, { defaultValue: false, description: 'Visible to the members of your home team (read-only for them).' })
  shared!: boolean;
}

@InputType({ description: 'Rename a view, replace its filters or change its sharing; omitted fields are kept.' })
export class UpdateSavedViewInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(80)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @Field(() => GraphQLJSONObject, { nullable: true })
  filters?: SavedViewFilters;

  @Field(() => Boolean, { nullable: true })
  shared?: boolean;
}
