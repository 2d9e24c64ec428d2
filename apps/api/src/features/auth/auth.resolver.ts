import { IsEmail, IsOptional, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { AppError, badInput } from '../../errors';
import type { Context } from '../../graphql/context';
import { RoleEnum, User, type Role } from '../directory/user.entity';
import { ApiToken, AuditEntry } from './auth.entity';
import { AuthService, SESSION_COOKIE } from './auth.service';
import { snapshot, writeAudit } from './guard.middleware';
import { throttleKey } from './sign-in-throttle';

@ObjectType({ description: 'The signed-in user, with the CSRF token their mutations must send as X-CSRF-Token.' })
class Me {
  @Field(() => User, { nullable: true }) user!: User | null;
  @Field(() => RoleEnum, { nullable: true, description: 'Effective role (a token may have less than its user).' }) role!: Role | null;
  @Field(() => String, { nullable: true }) csrfToken!: string | null;
  @Field(() => String, { nullable: true, description: 'SESSION or TOKEN.' }) authMethod!: string | null;
}

@ObjectType()
class CreatedApiToken {
  @Field(() => ApiToken) token!: ApiToken;
  @Field(() => String, { description: 'The secret, shown this once: send it as Authorization: Bearer <secret>.' }) secret!: string;
}

@InputType()
class AuditFilter {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(60) targetType?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) targetId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() actorId?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) operation?: string;
  @Field(() => Date, { nullable: true }) from?: Date;
  @Field(() => Date, { nullable: true }) to?: Date;
}

@InputType()
class SignInInput {
  @Field(() => String) @IsEmail() @MaxLength(254) email!: string;
  @Field(() => String) @MinLength(1) @MaxLength(200) password!: string;
}

function cookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

@Resolver()
export class AuthResolver {
  @Query(() => Me, { description: 'Who the request acts as (null user when not signed in).' })
  async me(@Ctx() ctx: Context): Promise<Me> {
    const a = ctx.auth.actor;
    return { user: a.id ? await ctx.loaders.user.load(a.id) : null, role: a.role ?? null, csrfToken: ctx.auth.csrfToken ?? null, authMethod: a.authMethod ?? null };
  }

  @Mutation(() => Me, { description: 'Sign in with email and password; sets a Secure HttpOnly SameSite session cookie (a new one at every sign-in).' })
  async signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: Context): Promise<Me> {
    // Its own limits, besides the account lockout: per client address (guessing many accounts)
    // and per account (guessing one from many addresses), before any password is hashed.
    const wait = Math.max(ctx.limits.signInByAddress.take(ctx.clientAddress), ctx.limits.signInByAccount.take(throttleKey(input.email)));
    if (wait > 0) throw new AppError('RATE_LIMITED', `Too many sign-in attempts; retry in ${wait} s`, { retryAfter: wait });
    const { user, cookie: value, session } = await new AuthService(ctx.em).signIn(input.email, input.password, {
      userAgent: ctx.userAgent,
      previousSessionId: ctx.auth.sessionId,
      onSignedIn: async (em, u) =>
        writeAudit(em, ctx, { id: u.id, name: u.name, role: u.role, authMethod: 'SESSION' }, {
          operation: 'signIn',
          targetType: 'users',
          targetId: u.id,
          variables: { input: { email: input.email, password: input.password } },
          before: null,
          after: { table: 'users', id: u.id },
        }),
    });
    ctx.setCookies.push(cookie(value, 14 * 86_400));
    return { user, role: user.role, csrfToken: session.csrfToken, authMethod: 'SESSION' };
  }

  @Mutation(() => Boolean, { description: 'End the current session and clear its cookie.' })
  async signOut(@Ctx() ctx: Context): Promise<boolean> {
    await new AuthService(ctx.em).signOut(ctx.auth.sessionId);
    ctx.setCookies.push(cookie('', 0));
    return true;
  }

  @Mutation(() => User, { description: 'Change your own password (ends your other sessions). Only in a signed-in session, not with an API token; wrong current passwords count toward the sign-in lockout.' })
  async changePassword(@Arg('currentPassword', () => String) currentPassword: string, @Arg('newPassword', () => String) newPassword: string, @Ctx() ctx: Context) {
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
    return new AuthService(ctx.em).setPassword(userId, password);
  }

  @Mutation(() => CreatedApiToken)
  createApiToken(
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => RoleEnum) role: Role,
    @Arg('name', () => String) name: string,
    @Ctx() ctx: Context,
  ) {
    if (name.length > 120) throw badInput('name', 'must be at most 120 characters');
    return new AuthService(ctx.em).createToken({ id: userId }, role, name);
  }

  @Mutation(() => ApiToken)
  revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return new AuthService(ctx.em).revokeToken(id);
  }

  @Query(() => [ApiToken], { description: 'API tokens (admins).' })
  apiTokens(@Ctx() ctx: Context) {
    return ctx.em.find(ApiToken, {}, { orderBy: { createdAt: 'desc' } });
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
