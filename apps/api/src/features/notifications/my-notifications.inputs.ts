import type { NotificationEvent } from '@ikb/domain';
import { ArrayMaxSize, IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { NotificationRuleInput } from './notification.inputs';
import { NotificationEventEnum } from './notification.types';
import { EmailModeEnum, type EmailMode } from './my-notifications.types';

@InputType({ description: 'Fields to change; omitted fields stay as they are.' })
export class NotificationSettingsInput {
  // An enum: GraphQL refuses other values before validation runs.
  @Field(() => EmailModeEnum, { nullable: true }) @IsOptional() emailMode?: EmailMode;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(23) digestHour?: number;
  @Field(() => String, { nullable: true, description: 'IANA name, e.g. Europe/Berlin.' }) @IsOptional() @MaxLength(64) timeZone?: string;
  @Field(() => [NotificationEventEnum], { nullable: true }) @IsOptional() @ArrayMaxSize(20) personalEvents?: NotificationEvent[];
  @Field(() => Boolean, { nullable: true, description: 'The weekly mail of your open review action items.' })
  @IsOptional()
  followThroughDigest?: boolean;
}

@InputType({ description: 'What to listen to. Empty lists: any service, team or priority.' })
export class NotificationSubscriptionInput extends NotificationRuleInput {}
