import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Category } from './category.entity';
import { DirectoryEditService } from './directory-edit.service';
import {
  CreateCategoryInput,
  CreateServiceInput,
  CreateTeamInput,
  CreateUserInput,
  UpdateCategoryInput,
  UpdateServiceInput,
  UpdateTeamInput,
  UpdateUserInput,
} from './directory.inputs';
import { DirectoryService } from './directory.service';
import { Service } from './service.entity';
import { Team } from './team.entity';
import { User } from './user.entity';

@Resolver()
export class DirectoryResolver {
  @Query(() => [Service], { description: 'All services, by name.' })
  services(@Ctx() ctx: Context) {
    return ctx.em.find(Service, {}, { orderBy: { name: 'asc' } });
  }

  @Query(() => [Category], { description: 'Top-level categories by name; subcategories under `children`.' })
  categories(@Ctx() ctx: Context) {
    return ctx.em.find(Category, { parentId: null }, { orderBy: { name: 'asc' } });
  }

  @Query(() => [Team], { description: 'All teams, by name.' })
  teams(@Ctx() ctx: Context) {
    return ctx.em.find(Team, {}, { orderBy: { name: 'asc' } });
  }

  @Query(() => [User], { description: 'All users, by name.' })
  users(@Ctx() ctx: Context) {
    return ctx.em.find(User, {}, { orderBy: { name: 'asc' } });
  }

  @Mutation(() => Team)
  createTeam(@Arg('input', () => CreateTeamInput) input: CreateTeamInput, @Ctx() ctx: Context) {
    return new DirectoryService(ctx.em).createTeam(input);
  }

  @Mutation(() => User)
  createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context) {
    return new DirectoryService(ctx.em).createUser(input);
  }

  @Mutation(() => Service)
  createService(@Arg('input', () => CreateServiceInput) input: CreateServiceInput, @Ctx() ctx: Context) {
    return new DirectoryService(ctx.em).createService(input);
  }

  @Mutation(() => Category)
  createCategory(@Arg('input', () => CreateCategoryInput) input: CreateCategoryInput, @Ctx() ctx: Context) {
    return new DirectoryService(ctx.em).createCategory(input);
  }

  @Mutation(() => Service, {
    description: 'Name, description and owner team; the SLA policy (and with it the calendar) is set by setServiceSlaPolicy.',
  })
  async updateService(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateServiceInput) input: UpdateServiceInput,
    @Ctx() ctx: Context,
  ) {
    return new DirectoryEditService(ctx.em, await ctx.actor()).updateService(id, input);
  }

  @Mutation(() => Team)
  async updateTeam(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateTeamInput) input: UpdateTeamInput, @Ctx() ctx: Context) {
    return new DirectoryEditService(ctx.em, await ctx.actor()).updateTeam(id, input);
  }

  @Mutation(() => Category, { description: 'Rename, move between parents (two levels at most) or retire.' })
  async updateCategory(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCategoryInput) input: UpdateCategoryInput,
    @Ctx() ctx: Context,
  ) {
    return new DirectoryEditService(ctx.em, await ctx.actor()).updateCategory(id, input);
  }

  @Mutation(() => User, { description: 'Name, email and home team.' })
  async updateUser(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: Context) {
    return new DirectoryEditService(ctx.em, await ctx.actor()).updateUser(id, input);
  }
}

@Resolver(() => Category)
export class CategoryResolver {
  @FieldResolver(() => Category, { nullable: true })
  parent(@Root() c: Category, @Ctx() ctx: Context) {
    return c.parentId ? ctx.loaders.category.load(c.parentId) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Retired categories stay on their incidents but are not offered for new ones.' })
  retired(@Root() c: Category): boolean {
    return c.retiredAt !== null;
  }

  @FieldResolver(() => [Category], { description: 'Subcategories, by name.' })
  children(@Root() c: Category, @Ctx() ctx: Context) {
    return ctx.loaders.subcategories.load(c.id);
  }
}

@Resolver(() => Service)
export class ServiceResolver {
  @FieldResolver(() => Team, { nullable: true })
  ownerTeam(@Root() s: Service, @Ctx() ctx: Context) {
    return s.ownerTeamId ? ctx.loaders.team.load(s.ownerTeamId) : null;
  }
}

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => Team, { nullable: true })
  team(@Root() u: User, @Ctx() ctx: Context) {
    return u.teamId ? ctx.loaders.team.load(u.teamId) : null;
  }
}
