import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { RoleEnum, User, type Role } from '../directory/user.entity';

export const PasswordSignInModeEnum = { ON: 'ON', BREAK_GLASS_ONLY: 'BREAK_GLASS_ONLY' } as const;
export type PasswordSignInMode = keyof typeof PasswordSignInModeEnum;
registerEnumType(PasswordSignInModeEnum, {
  name: 'PasswordSignInMode',
  description: 'ON: anyone with a password may sign in with it; BREAK_GLASS_ONLY: only the named break-glass admins.',
});

@ObjectType({ description: 'A provider button of the sign-in page.' })
export class SignInProvider {
  @Field(() => String) slug!: string;
  @Field(() => String) displayName!: string;
}

@ObjectType({ description: 'How people may sign in (public: the sign-in page reads it).' })
export class SignInOptions {
  @Field(() => [SignInProvider]) providers!: SignInProvider[];
  @Field(() => PasswordSignInModeEnum) passwordSignIn!: PasswordSignInMode;
}

@ObjectType({ description: 'The password sign-in setting with its break-glass admins.' })
export class PasswordSignInSetting {
  @Field(() => PasswordSignInModeEnum) mode!: PasswordSignInMode;
  @Field(() => [User]) breakGlassUsers!: User[];
}

@ObjectType({ description: 'One step of a provider connection test.' })
export class SsoCheckStep {
  @Field(() => String, { description: 'DISCOVERY, ISSUER, ENDPOINTS, JWKS.' }) step!: string;
  @Field(() => Boolean) ok!: boolean;
  @Field(() => String) message!: string;
}

@ObjectType()
export class SsoCheck {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => [SsoCheckStep]) steps!: SsoCheckStep[];
}

@ObjectType({ description: 'What a test sign-in received: the claims and the role they map to (no account or session was touched).' })
export class SsoTestResult {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => String, { nullable: true, description: 'The failure code (as in /sign-in?sso_error=).' }) error!: string | null;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The ID token claims received.' }) claims!: Record<string, unknown> | null;
  @Field(() => [String]) groups!: string[];
  @Field(() => RoleEnum, { nullable: true, description: 'The role these groups map to (null: refused).' }) role!: Role | null;
  @Field(() => String, { nullable: true, description: 'What a real sign-in would do: LINKED, LINK_BY_EMAIL, CREATE, REFUSE.' })
  account!: string | null;
}
