import { IsEmail, IsOptional, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

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
