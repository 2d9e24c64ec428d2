import { IsEmail, Matches, MaxLength, MinLength } from 'class-validator';
import { Arg, Ctx, Field, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { AppError } from '../../errors';
import type { Context } from '../../graphql/context';
import { Me } from '../auth/auth.types';
import { openSession } from '../auth/session';
import { completeSetup, hasEnabledAdmin } from './setup.service';

@InputType({ description: 'The first admin, with the token of the setup link the API printed.' })
class CompleteSetupInput {
  @Field(() => String) @MinLength(20) @MaxLength(100) token!: string;
  @Field(() => String) @IsEmail() @MaxLength(254) email!: string;
  @Field(() => String) @MinLength(1) @MaxLength(120) @Matches(/\S/, { message: 'name must not be blank' }) name!: string;
  @Field(() => String) @MinLength(1) @MaxLength(200) password!: string;
}

@Resolver()
export class SetupResolver {
  @Query(() => Boolean, { description: 'Whether no enabled admin exists yet, so the setup page is offered.' })
  setupRequired(@Ctx() ctx: Context): Promise<boolean> {
    return hasEnabledAdmin(ctx.em).then((has) => !has);
  }

  @Mutation(() => Me, { description: 'Create the first admin with the one-time setup link, and sign in as them.' })
  async completeSetup(@Arg('input', () => CompleteSetupInput) input: CompleteSetupInput, @Ctx() ctx: Context): Promise<Me> {
    // Tokens are 256 random bits: guessing is hopeless, but attempts are limited like sign-ins anyway.
    const wait = await ctx.limits.signInByAddress.take(ctx.clientAddress);
    if (wait > 0) throw new AppError('RATE_LIMITED', `Too many attempts; retry in ${wait} s`, { retryAfter: wait });
    await completeSetup(ctx.em, input);
    return openSession(ctx, input.email, input.password, 'completeSetup', { input: { ...input, token: '[redacted]' } });
  }
}
