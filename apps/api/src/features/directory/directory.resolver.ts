import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Category } from './category.entity';
import { CreateCategoryInput, CreateServiceInput, CreateTeamInput, CreateUserInput } from './directory.inputs';
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
}

@Resolver(() => Category)
export class CategoryResolver {
  @FieldResolver(() => Category, { nullable: true })
  parent(@Root() c: Category, @Ctx() ctx: Context) {
    return c.parentId ? ctx.loaders.category.load(c.parentId) : null;
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
