import type { NotificationEvent } from '@ikb/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
import { ChannelKindEnum, NotificationEventEnum, type ChannelKindValue } from './notification.types';

@InputType({ description: 'Which events a channel hears of. Empty lists: any service, team or priority.' })
export class NotificationRuleInput {
  @Field(() => [NotificationEventEnum]) @ArrayMinSize(1) @ArrayMaxSize(20) events!: NotificationEvent[];
  @Field(() => [ID], { nullable: true }) @IsOptional() @ArrayMaxSize(100) @IsUUID('all', { each: true }) serviceIds?: string[];
  @Field(() => [ID], { nullable: true }) @IsOptional() @ArrayMaxSize(100) @IsUUID('all', { each: true }) teamIds?: string[];
  @Field(() => [Int], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(5, { each: true })
  priorities?: number[];
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() majorOnly?: boolean;
}

const URL_HELP = "http(s) address the channel posts to: the chat tool's incoming-webhook URL, or your receiver's";

@InputType()
export class CreateNotificationChannelInput {
  @Field(() => ChannelKindEnum) kind!: ChannelKindValue;
  @Field(() => String) @MinLength(1) @MaxLength(120) @Matches(/\S/, { message: 'name must not be blank' }) name!: string;
  @Field(() => String, { description: URL_HELP }) @MaxLength(2000) url!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Webhooks: the signing secret (16 to 200 characters); omitted: one is generated and shown once.',
  })
  @IsOptional()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;
  @Field(() => Int, { nullable: true, description: 'At most this many sends a minute (1 to 6000; default 60).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(6000)
  perMinute?: number;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Field(() => [NotificationRuleInput]) @ArrayMaxSize(20) @ValidateNested({ each: true }) rules!: NotificationRuleInput[];
}

@InputType({ description: 'Fields to change; omitted fields stay as they are. rules, when given, replace all of them.' })
export class UpdateNotificationChannelInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(120)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;
  @Field(() => String, { nullable: true, description: URL_HELP }) @IsOptional() @MaxLength(2000) url?: string;
  @Field(() => String, { nullable: true, description: 'Webhooks: a new signing secret (16 to 200 characters).' })
  @IsOptional()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(6000) perMinute?: number;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Field(() => [NotificationRuleInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  rules?: NotificationRuleInput[];
}
