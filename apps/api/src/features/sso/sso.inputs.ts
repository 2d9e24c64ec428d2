import {
  ArrayMaxSize,
  IsBoolean,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { RoleEnum, type Role } from '../directory/user.entity';
import { PasswordSignInModeEnum, type PasswordSignInMode } from './sso.types';
import { ProvisioningEnum, type Provisioning } from './sso-provider.entity';

@InputType()
export class GroupRoleMappingInput {
  @Field(() => String) @MinLength(1) @MaxLength(200) @Matches(/\S/, { message: 'group must not be blank' }) group!: string;
  @Field(() => RoleEnum) role!: Role;
}

@InputType({ description: 'A new OpenID Connect provider.' })
export class CreateSsoProviderInput {
  @Field(() => String, { description: 'Lower-case letters, digits and hyphens (1 to 40), e.g. okta.' }) @MaxLength(40) slug!: string;
  @Field(() => String) @MinLength(1) @MaxLength(80) @Matches(/\S/, { message: 'displayName must not be blank' }) displayName!: string;
  @Field(() => String, { description: 'https://... (http only on a loopback address, for tests).' }) @MaxLength(500) issuerUrl!: string;
  @Field(() => String) @MinLength(1) @MaxLength(300) @Matches(/\S/, { message: 'clientId must not be blank' }) clientId!: string;
  @Field(() => String, { description: 'Write-only: stored, never returned.' }) @MinLength(1) @MaxLength(2000) clientSecret!: string;
  @Field(() => String, { nullable: true, description: 'Default: openid email profile.' }) @IsOptional() @MaxLength(300) scopes?: string;
  @Field(() => String, { nullable: true, description: 'Default: groups.' }) @IsOptional() @MaxLength(100) groupsClaim?: string;
  @Field(() => [GroupRoleMappingInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  groupRoles?: GroupRoleMappingInput[];
  @Field(() => RoleEnum, { nullable: true }) @IsOptional() defaultRole?: Role | null;
  @Field(() => ProvisioningEnum) provisioning!: Provisioning;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(50) @MaxLength(253, { each: true }) allowedDomains?: string[];
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() trustEmail?: boolean;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(600) clockToleranceSeconds?: number;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

@InputType({ description: 'Fields to change; omitted fields stay. An omitted clientSecret keeps the stored one.' })
export class UpdateSsoProviderInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(80)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) issuerUrl?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MinLength(1) @MaxLength(300) clientId?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MinLength(1) @MaxLength(2000) clientSecret?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(300) scopes?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) groupsClaim?: string;
  @Field(() => [GroupRoleMappingInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  groupRoles?: GroupRoleMappingInput[];
  @Field(() => RoleEnum, { nullable: true }) @IsOptional() defaultRole?: Role | null;
  @Field(() => Boolean, { nullable: true, description: 'true clears defaultRole (sign-ins with no mapped group are refused).' })
  @IsOptional()
  @IsBoolean()
  clearDefaultRole?: boolean;
  @Field(() => ProvisioningEnum, { nullable: true }) @IsOptional() provisioning?: Provisioning;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(50) @MaxLength(253, { each: true }) allowedDomains?: string[];
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() trustEmail?: boolean;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(600) clockToleranceSeconds?: number;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

@InputType()
export class PasswordSignInInput {
  @Field(() => PasswordSignInModeEnum) mode!: PasswordSignInMode;
  @Field(() => [ID], { description: 'Admins who may still sign in with a password when mode is BREAK_GLASS_ONLY.' })
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  breakGlassUserIds!: string[];
}
