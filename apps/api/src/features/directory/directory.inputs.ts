import { IsEmail, IsOptional, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { RoleEnum, type Role } from './user.entity';

const NOT_BLANK = /\S/;

@InputType()
export class CreateTeamInput {
  @Field(() => String) @MinLength(1) @MaxLength(120) @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000)
  description?: string;
}

@InputType()
export class CreateUserInput {
  @Field(() => String) @IsEmail() @MaxLength(254)
  email!: string;

  @Field(() => String) @MinLength(1) @MaxLength(120) @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID()
  teamId?: string;

  @Field(() => RoleEnum, { defaultValue: 'ENGINEER' })
  role!: Role;

  @Field(() => String, { nullable: true, description: 'At least 8 characters, not a common password; omit for people who do not sign in.' })
  @IsOptional() @MaxLength(200)
  password?: string;
}

@InputType()
export class CreateServiceInput {
  @Field(() => String) @MinLength(1) @MaxLength(120) @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000)
  description?: string;

  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID()
  ownerTeamId?: string;
}

@InputType({ description: 'A top-level category, or a subcategory when parentId is given (two levels at most).' })
export class CreateCategoryInput {
  @Field(() => String) @MinLength(1) @MaxLength(120) @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID()
  parentId?: string;
}
