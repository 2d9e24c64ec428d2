import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { assertUuid, notFound } from '../../errors';
import { User } from '../directory/user.entity';
import { passwordSignInMode, setPasswordSignIn } from './password-sign-in';
import { createProvider, deleteProvider, updateProvider } from './sso-admin.service';
import { checkProvider } from './sso-check';
import { CreateSsoProviderInput, PasswordSignInInput, UpdateSsoProviderInput } from './sso.inputs';
import { SsoProvider } from './sso-provider.entity';
import { PasswordSignInSetting, SignInOptions, SsoCheck, SsoTestResult } from './sso.types';

@Resolver()
export class SsoResolver {
  @Query(() => SignInOptions, { description: 'The sign-in page: enabled providers (slug and name) and whether passwords are on (public).' })
  async signInOptions(@Ctx() ctx: Context): Promise<SignInOptions> {
    const providers = await ctx.em.find(
      SsoProvider,
      { enabled: true },
      { orderBy: { displayName: 'asc' }, fields: ['slug', 'displayName'] },
    );
    return {
      providers: providers.map((p) => ({ slug: p.slug, displayName: p.displayName })),
      passwordSignIn: await passwordSignInMode(ctx.em),
    };
  }

  @Query(() => [SsoProvider], { description: 'Single sign-on providers (admins).' })
  ssoProviders(@Ctx() ctx: Context): Promise<SsoProvider[]> {
    return ctx.em.find(SsoProvider, {}, { orderBy: { displayName: 'asc' } });
  }

  @Query(() => PasswordSignInSetting, { description: 'Password sign-in and its break-glass admins (admins).' })
  async passwordSignIn(@Ctx() ctx: Context): Promise<PasswordSignInSetting> {
    const ids = await ctx.em.execute<{ id: string }[]>(`select id from users where sso_break_glass order by email`);
    const users = ids.length ? await ctx.em.find(User, { id: { $in: ids.map((r) => r.id) } }, { orderBy: { email: 'asc' } }) : [];
    return { mode: await passwordSignInMode(ctx.em), breakGlassUsers: users };
  }

  @Query(() => SsoTestResult, {
    nullable: true,
    description: 'The result of your test sign-in (null while it runs, or when it is not yours).',
  })
  async ssoTestResult(@Arg('key', () => String) key: string, @Ctx() ctx: Context): Promise<SsoTestResult | null> {
    if (!/^[0-9a-f]{64}$/.test(key)) return null;
    const rows = await ctx.em.execute<{ r: SsoTestResult | null }[]>(
      `select test_result as r from sso_pending_logins where state_hash = ? and test_by = ?`,
      [key, ctx.auth.actor.id],
    );
    return rows[0]?.r ?? null;
  }

  @Mutation(() => SsoProvider)
  createSsoProvider(@Arg('input', () => CreateSsoProviderInput) input: CreateSsoProviderInput, @Ctx() ctx: Context) {
    return createProvider(ctx.em, input);
  }

  @Mutation(() => SsoProvider)
  updateSsoProvider(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateSsoProviderInput) input: UpdateSsoProviderInput,
    @Ctx() ctx: Context,
  ) {
    return updateProvider(ctx.em, id, input);
  }

  @Mutation(() => Boolean, { description: 'Removes the provider and its links to accounts (the accounts stay).' })
  async deleteSsoProvider(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    await deleteProvider(ctx.em, id);
    return true;
  }

  @Mutation(() => SsoCheck, {
    description: 'Connection test: discovery document, issuer match, endpoints, signing keys; each step with what it found.',
  })
  async testSsoProvider(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SsoCheck> {
    assertUuid('id', id);
    const p = await ctx.em.findOne(SsoProvider, { id });
    if (!p) throw notFound('id', 'single sign-on provider', id);
    return checkProvider(p);
  }

  @Mutation(() => PasswordSignInSetting, {
    description: 'Switch password sign-in on, or off except for break-glass admins (needs an enabled provider and one such admin).',
  })
  async setPasswordSignIn(@Arg('input', () => PasswordSignInInput) input: PasswordSignInInput, @Ctx() ctx: Context) {
    await setPasswordSignIn(ctx.em, input.mode, input.breakGlassUserIds);
    return this.passwordSignIn(ctx);
  }
}
