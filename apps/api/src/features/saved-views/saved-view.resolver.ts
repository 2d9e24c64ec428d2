import { savedViewQuery, SAVED_VIEW_PATHS, type SavedViewList } from '@ikb/domain';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { User } from '../directory/user.entity';
import { SavedView, SavedViewListEnum } from './saved-view.entity';
import { CreateSavedViewInput, UpdateSavedViewInput } from './saved-view.inputs';
import { SavedViewService } from './saved-view.service';

const service = async (ctx: Context) => new SavedViewService(ctx.em, await ctx.actor());

@Resolver(() => SavedView)
export class SavedViewResolver {
  @Query(() => [SavedView], { description: "The signed-in user's saved views of a list, then those their team shares." })
  async savedViews(@Arg('list', () => SavedViewListEnum) list: SavedViewList, @Ctx() ctx: Context) {
    return (await service(ctx)).list(list);
  }

  @Mutation(() => SavedView)
  async createSavedView(@Arg('input', () => CreateSavedViewInput) input: CreateSavedViewInput, @Ctx() ctx: Context) {
    return (await service(ctx)).create(input);
  }

  @Mutation(() => SavedView, { description: 'Only the owner may change a view.' })
  async updateSavedView(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateSavedViewInput) input: UpdateSavedViewInput,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx)).update(id, input);
  }

  @Mutation(() => Boolean, { description: 'Only the owner may delete a view.' })
  async deleteSavedView(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return (await service(ctx)).delete(id);
  }

  @FieldResolver(() => User, { nullable: true })
  owner(@Root() v: SavedView, @Ctx() ctx: Context) {
    return ctx.loaders.user.load(v.ownerId);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the signed-in user owns it (and so may change it).' })
  async mine(@Root() v: SavedView, @Ctx() ctx: Context): Promise<boolean> {
    return v.ownerId === (await ctx.actor()).id;
  }

  @FieldResolver(() => Boolean, { description: "Shared with the owner's home team." })
  shared(@Root() v: SavedView): boolean {
    return v.sharedTeamId !== null;
  }

  @FieldResolver(() => String, { description: 'The web app link that opens the view: path and query string.' })
  href(@Root() v: SavedView): string {
    return `${SAVED_VIEW_PATHS[v.list]}${savedViewQuery(v.filters)}`;
  }
}
