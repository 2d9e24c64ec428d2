import { IsEmail, IsOptional, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { RoleEnum, User, type Role } from '../directory/user.entity';
import { ApiToken } from './auth.entity';
import { SESSION_COOKIE } from './auth.service';

@ObjectType({ description: 'The signed-in user, with the CSRF token their mutations must send as X-CSRF-Token.' })
export class Me {
  @Field(() => User, { nullable: true }) user!: User | null;
  @Field(() => RoleEnum, { nullable: true, description: 'Effective role (a token may have less than its user).' }) role!: Role | null;
  @Field(() => String, { nullable: true }) csrfToken!: string | null;
  @Field(() => String, { nullable: true, description: 'SESSION or TOKEN.' }) authMethod!: string | null;
}

@ObjectType()
export class CreatedApiToken {
  @Field(() => ApiToken) token!: ApiToken;
  @Field(() => String, { description: 'The secret, shown this once: send it as Authorization: Bearer <secret>.' }) secret!: string;
}

@InputType()
export class AuditFilter {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(60) targetType?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) targetId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() actorId?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) operation?: string;
  @Field(() => Date, { nullable: true }) from?: Date;
  @Field(() => Date, { nullable: true }) to?: Date;
}

@InputType()
export class SignInInput {
  @Field(() => String) @IsEmail() @MaxLength(254) email!: string;
  @Field(() => String) @MinLength(1) @MaxLength(200) password!: string;
}

/** The session cookie (an empty value with max-age 0 clears it). */
export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}
