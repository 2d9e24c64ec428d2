import { ArrayMaxSize, IsOptional, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { WorkaroundStatusEnum, type WorkaroundStatus } from './workaround.entity';
import { MultiLine } from '../../graphql/text-fields';

const NOT_BLANK = /\S/;

@InputType()
export class CreateWorkaroundInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title!: string;

  @MultiLine()
  @Field(() => String, { description: 'Markdown steps.' })
  @MinLength(1)
  @MaxLength(50_000)
  @Matches(NOT_BLANK, { message: 'steps must not be blank' })
  steps!: string;

  @Field(() => WorkaroundStatusEnum, { defaultValue: 'DRAFT' })
  status!: WorkaroundStatus;

  @Field(() => [ID], { nullable: true, description: 'Problems it works around.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  problemIds?: string[];
}

@InputType()
export class UpdateWorkaroundInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(50_000)
  @Matches(NOT_BLANK, { message: 'steps must not be blank' })
  steps?: string;
}

@InputType()
export class WorkaroundFilter {
  @Field(() => [WorkaroundStatusEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  status?: WorkaroundStatus[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  problemId?: string;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in title or steps.' })
  @IsOptional()
  @MaxLength(200)
  text?: string;
}
