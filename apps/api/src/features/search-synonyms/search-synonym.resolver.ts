import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { User } from '../directory/user.entity';
import { SearchSynonym } from './search-synonym.entity';
import { CreateSearchSynonymGroupInput, UpdateSearchSynonymGroupInput } from './search-synonym.inputs';
import { isModifiedBuiltin, listSynonymGroups, SearchSynonymService } from './search-synonym.service';

@Resolver(() => SearchSynonym)
export class SearchSynonymResolver {
  @Query(() => [SearchSynonym], { description: 'The synonym and abbreviation list of the catalog search, by first term.' })
  searchSynonyms(@Ctx() ctx: Context): Promise<SearchSynonym[]> {
    return listSynonymGroups(ctx.em);
  }

  @Mutation(() => SearchSynonym, { description: 'A new group of terms the search treats as the same (admins).' })
  async createSearchSynonymGroup(
    @Arg('input', () => CreateSearchSynonymGroupInput) input: CreateSearchSynonymGroupInput,
    @Ctx() ctx: Context,
  ): Promise<SearchSynonym> {
    return new SearchSynonymService(ctx.em, await ctx.actor()).create(input);
  }

  @Mutation(() => SearchSynonym, { description: 'Change the terms or the note of a group, built-in ones included (admins).' })
  async updateSearchSynonymGroup(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateSearchSynonymGroupInput) input: UpdateSearchSynonymGroupInput,
    @Ctx() ctx: Context,
  ): Promise<SearchSynonym> {
    return new SearchSynonymService(ctx.em, await ctx.actor()).update(id, input);
  }

  @Mutation(() => SearchSynonym, {
    description: 'Delete a group; answers it as it was. A built-in group comes back with restoreDefaultSearchSynonyms (admins).',
  })
  async deleteSearchSynonymGroup(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SearchSynonym> {
    return new SearchSynonymService(ctx.em, await ctx.actor()).delete(id);
  }

  @Mutation(() => [SearchSynonym], {
    description:
      'Put every built-in group back as shipped (deleted ones added again, edits undone); groups admins added stay. ' +
      'Answers the whole list (admins).',
  })
  async restoreDefaultSearchSynonyms(@Ctx() ctx: Context): Promise<SearchSynonym[]> {
    return new SearchSynonymService(ctx.em, await ctx.actor()).restoreDefaults();
  }

  @FieldResolver(() => Boolean, { description: 'Shipped with the product (restoring the defaults resets it).' })
  builtIn(@Root() group: SearchSynonym): boolean {
    return group.builtinKey !== null;
  }

  @FieldResolver(() => Boolean, { description: 'A built-in group whose terms or note were changed here.' })
  modified(@Root() group: SearchSynonym): boolean {
    return isModifiedBuiltin(group);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who added it; none for built-in groups.' })
  createdBy(@Root() group: SearchSynonym, @Ctx() ctx: Context): Promise<User | null> | null {
    return group.createdById ? ctx.loaders.user.load(group.createdById) : null;
  }
}
