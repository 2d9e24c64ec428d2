import { IsEmail, IsOptional, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { RoleEnum, type Role } from './user.entity';
import { MultiLine } from '../../graphql/text-fields';

const NOT_BLANK = /\S/;

@InputType()
export class CreateTeamInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string;
}

@InputType()
export class CreateUserInput {
  @Field(() => String)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @Field(() => RoleEnum, { defaultValue: 'ENGINEER' })
  role!: Role;

  @Field(() => String, { nullable: true, description: 'At least 8 characters, not a common password; omit for people who do not sign in.' })
  @IsOptional()
  @MaxLength(200)
  password?: string;
}

@InputType()
export class CreateServiceInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  ownerTeamId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Show it on the public status page; default false.' })
  public?: boolean;
}

@InputType({ description: 'A top-level category, or a subcategory when parentId is given (two levels at most).' })
export class CreateCategoryInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

// Edits: a field left out stays as it is; where null is allowed it clears the value. A name or
// email cannot be cleared: the validators run on any value given, and the service refuses null.
const GIVEN = (_: object, v: unknown) => v !== undefined;

@InputType({ description: 'Fields to change; omitted fields stay as they are.' })
export class UpdateServiceInput {
  @Field(() => String, { nullable: true })
  @ValidateIf(GIVEN)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'null clears it.' })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'null leaves the service without an owner team.' })
  @IsOptional()
  @IsUUID()
  ownerTeamId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Show it on the public status page (its name, state and uptime).' })
  public?: boolean | null;
}

@InputType({ description: 'Fields to change; omitted fields stay as they are.' })
export class UpdateTeamInput {
  @Field(() => String, { nullable: true })
  @ValidateIf(GIVEN)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'null clears it.' })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;
}

@InputType({ description: 'Fields to change; omitted fields stay as they are. Retiring a category retires its subcategories.' })
export class UpdateCategoryInput {
  @Field(() => String, { nullable: true })
  @ValidateIf(GIVEN)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @Field(() => ID, { nullable: true, description: 'A top-level category to move under; null makes it top-level.' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true retires it (kept on incidents, not offered for new ones); false puts it back in use.',
  })
  retired?: boolean;
}

@InputType({ description: 'Fields to change; omitted fields stay as they are. Role, password and disabling have their own mutations.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true })
  @ValidateIf(GIVEN)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @Field(() => String, { nullable: true })
  @ValidateIf(GIVEN)
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @Field(() => ID, { nullable: true, description: 'null leaves the user without a home team.' })
  @IsOptional()
  @IsUUID()
  teamId?: string | null;
}
