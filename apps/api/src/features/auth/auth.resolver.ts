import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import { RoleEnum, User, type Role } from '../directory/user.entity';
import { AuditEntry } from './auth.entity';
import { AuthService } from './auth.service';
import { AuditFilter, Me, sessionCookie, SignInInput } from './auth.types';
import { snapshot, writeAudit } from './guard.middleware';
import { openSession } from './session';

@Resolver()
export class AuthResolver {
  @Query(() => Me, { description: 'Who the request acts as (null user when not signed in).' })
  async me(@Ctx() ctx: Context): Promise<Me> {
    const a = ctx.auth.actor;
    return {
      user: a.id ? await ctx.loaders.user.load(a.id) : null,
      role: a.role ?? null,
      csrfToken: ctx.auth.csrfToken ?? null,
      authMethod: a.authMethod ?? null,
    };
  }

  @Mutation(() => Me, {
    description: 'Sign in with email and password; sets a Secure HttpOnly SameSite session cookie (a new one at every sign-in).',
  })
  signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: Context): Promise<Me> {
    return openSession(ctx, input.email, input.password, 'signIn', { input: { email: input.email, password: input.password } });
  }

  @Mutation(() => Boolean, { description: 'End the current session and clear its cookie.' })
  async signOut(@Ctx() ctx: Context): Promise<boolean> {
    await new AuthService(ctx.em).signOut(ctx.auth.sessionId);
    ctx.setCookies.push(sessionCookie('', 0));
    return true;
  }

  @Mutation(() => User, {
    description:
      'Change your own password (ends your other sessions). Only in a signed-in session, not with an API token; wrong current passwords ' +
      'count toward the sign-in lockout.',
  })
  async changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: Context,
  ) {
    const actor = ctx.auth.actor;
    return new AuthService(ctx.em).changeOwnPassword(ctx.auth, currentPassword, newPassword, {
      onChanged: async (em, u) =>
        writeAudit(em, ctx, actor, {
          operation: 'changePassword',
          targetType: 'users',
          targetId: u.id,
          variables: { currentPassword, newPassword },
          before: await snapshot(em, { table: 'users', id: u.id }),
          after: { table: 'users', id: u.id },
        }),
    });
  }

  @Mutation(() => User)
  setUserRole(@Arg('userId', () => ID) userId: string, @Arg('role', () => RoleEnum) role: Role, @Ctx() ctx: Context) {
    return new AuthService(ctx.em).setRole(userId, role);
  }

  @Mutation(() => User, { description: 'Disabling ends the sessions and revokes the tokens of the account.' })
  setUserDisabled(@Arg('userId', () => ID) userId: string, @Arg('disabled', () => Boolean) disabled: boolean, @Ctx() ctx: Context) {
    return new AuthService(ctx.em).setDisabled(userId, disabled);
  }

  @Mutation(() => User)
  setUserPassword(@Arg('userId', () => ID) userId: string, @Arg('password', () => String) password: string, @Ctx() ctx: Context) {
    // An admin setting their own password keeps the session they do it in, as changePassword does.
    const keepSessionId = userId === ctx.auth.actor.id ? ctx.auth.sessionId : undefined;
    return new AuthService(ctx.em).setPassword(userId, password, { keepSessionId });
  }

  @Query(() => [AuditEntry], { description: 'The audit log, newest first (admins).' })
  auditLog(
    @Ctx() ctx: Context,
    @Arg('filter', () => AuditFilter, { nullable: true }) filter?: AuditFilter,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('before', () => ID, { nullable: true, description: 'Entries with a smaller id (older) than this.' }) before?: string,
  ) {
    if (first < 1 || first > 500) throw badInput('first', 'must be between 1 and 500');
    if (before && !/^\d{1,18}$/.test(before)) throw badInput('before', 'is not an audit entry id');
    const where: Record<string, unknown> = {};
    if (filter?.targetType) where.targetType = filter.targetType;
    if (filter?.targetId) where.targetId = filter.targetId;
    if (filter?.actorId) where.actorId = filter.actorId;
    if (filter?.operation) where.operation = filter.operation;
    if (filter?.from || filter?.to) where.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
    if (before) where.id = { $lt: before };
    return ctx.em.find(AuditEntry, where, { orderBy: { id: 'desc' }, limit: first });
  }
}
