import { valueInSentence } from '@ikb/domain';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AppError } from '../../errors';
import type { Context } from '../../graphql/context';
import { RoleEnum, User, type Role } from '../directory/user.entity';
import { ApiToken } from './auth.entity';
import { AuthService, lowerRole } from './auth.service';
import { CreatedApiToken } from './auth.types';

/**
 * API tokens: admins see and manage everyone's (apiTokens, createApiToken, revokeApiToken); every
 * signed-in user manages their own (myApiTokens, createOwnApiToken, revokeOwnApiToken).
 */
@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Query(() => [ApiToken], { description: 'Every API token, newest first (admins).' })
  apiTokens(@Ctx() ctx: Context) {
    return ctx.em.find(ApiToken, {}, { orderBy: { createdAt: 'desc' } });
  }

  @Query(() => [ApiToken], { description: "The signed-in user's own API tokens, newest first." })
  myApiTokens(@Ctx() ctx: Context) {
    return ctx.em.find(ApiToken, { userId: ctx.auth.actor.id! }, { orderBy: { createdAt: 'desc' } });
  }

  @Mutation(() => CreatedApiToken, { description: "A token for any user (admins), with at most the user's role." })
  createApiToken(
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => RoleEnum) role: Role,
    @Arg('name', () => String) name: string,
    @Ctx() ctx: Context,
  ) {
    return new AuthService(ctx.em).createToken({ id: userId }, role, name);
  }

  @Mutation(() => CreatedApiToken, {
    description:
      'A token of your own, with at most your role (default: your role). Only in a signed-in session: a token cannot mint tokens.',
  })
  createOwnApiToken(
    @Arg('name', () => String) name: string,
    @Ctx() ctx: Context,
    @Arg('role', () => RoleEnum, { nullable: true }) role?: Role,
  ) {
    const actor = ctx.auth.actor;
    if (!ctx.auth.sessionId)
      throw new AppError('FORBIDDEN', 'createOwnApiToken works only in a signed-in session, not with an API token', { field: 'name' });
    const wanted = role ?? actor.role!;
    if (lowerRole(wanted, actor.role!) !== wanted)
      throw new AppError(
        'FORBIDDEN',
        `Your role is ${valueInSentence(actor.role!)}; a token of yours cannot have more rights (${valueInSentence(wanted)})`,
        { field: 'role' },
      );
    return new AuthService(ctx.em).createToken({ id: actor.id! }, wanted, name);
  }

  @Mutation(() => ApiToken, { description: 'Revoke any token (admins): it stops working at once.' })
  revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return new AuthService(ctx.em).revokeToken(id);
  }

  @Mutation(() => ApiToken, { description: 'Revoke one of your own tokens: it stops working at once.' })
  revokeOwnApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return new AuthService(ctx.em).revokeToken(id, { ownerId: ctx.auth.actor.id! });
  }

  @FieldResolver(() => User, { description: 'Whose token it is.' })
  user(@Root() t: ApiToken, @Ctx() ctx: Context) {
    return ctx.loaders.user.load(t.userId);
  }
}
