import { EVENT_DEFINITIONS, NOTIFICATION_EVENTS, type NotificationEvent } from '@ikb/domain';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export const NotificationEventEnum = Object.fromEntries(NOTIFICATION_EVENTS.map((e) => [e, e])) as { [K in NotificationEvent]: K };
registerEnumType(NotificationEventEnum, {
  name: 'NotificationEvent',
  description: 'What the product tells people about; notificationEvents describes each.',
  valuesConfig: Object.fromEntries(NOTIFICATION_EVENTS.map((e) => [e, { description: EVENT_DEFINITIONS[e].description }])),
});

export const ChannelKindEnum = { WEBHOOK: 'WEBHOOK', SLACK: 'SLACK', MATTERMOST: 'MATTERMOST', TEAMS: 'TEAMS' } as const;
export type ChannelKindValue = keyof typeof ChannelKindEnum;
registerEnumType(ChannelKindEnum, {
  name: 'NotificationChannelKind',
  description:
    'WEBHOOK: signed JSON to any URL (X-IKB-Signature); SLACK, MATTERMOST, TEAMS: ' +
    "that tool's incoming-webhook URL, in its own message format.",
});

export const DeliveryStatusEnum = { PENDING: 'PENDING', DELIVERED: 'DELIVERED', DEAD: 'DEAD' } as const;
registerEnumType(DeliveryStatusEnum, {
  name: 'NotificationDeliveryStatus',
  description: 'PENDING: not sent yet or waiting to retry; DELIVERED: the receiver took it (2xx); DEAD: refused or out of retries.',
});

@ObjectType({ description: 'One event of the catalogue, as subscription and rule forms offer it.' })
export class NotificationEventInfo {
  @Field(() => NotificationEventEnum) event!: NotificationEvent;
  @Field(() => String) label!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean, { description: 'Addressed to one person (assignee, owner): not offered to channels.' }) personal!: boolean;
  @Field(() => Boolean, { description: 'Sent by this version; the others are catalogued ahead of their source.' }) available!: boolean;
}

@ObjectType({ description: 'Which events a channel hears of; empty lists mean any service, team or priority.' })
export class NotificationRule {
  @Field(() => ID) id!: string;
  @Field(() => [NotificationEventEnum]) events!: NotificationEvent[];
  @Field(() => [ID]) serviceIds!: string[];
  @Field(() => [ID]) teamIds!: string[];
  @Field(() => [Int]) priorities!: number[];
  @Field(() => Boolean, { description: 'Only major incidents.' }) majorOnly!: boolean;
}

@ObjectType({ description: 'Where an admin sends notifications: a webhook or a chat channel (admins).' })
export class NotificationChannel {
  @Field(() => ID) id!: string;
  @Field(() => ChannelKindEnum) kind!: ChannelKindValue;
  @Field(() => String) name!: string;
  @Field(() => String, {
    description: "The address without its secret part (chat webhook URLs are secrets): scheme, host and the path's start.",
  })
  urlHint!: string;
  @Field(() => Boolean, { description: 'Webhooks: signed with a secret.' }) signed!: boolean;
  @Field(() => Int, { description: 'At most this many sends a minute.' }) perMinute!: number;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => [NotificationRule]) rules!: NotificationRule[];
  @Field(() => Int, { description: 'Deliveries waiting to be sent or retried.' }) pending!: number;
  @Field(() => Int, { description: 'Deliveries that failed for good (replayable).' }) dead!: number;
  @Field(() => Date, { nullable: true, description: 'Last delivery the receiver took.' }) lastDeliveredAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType()
export class CreatedNotificationChannel {
  @Field(() => NotificationChannel) channel!: NotificationChannel;
  @Field(() => String, { nullable: true, description: "A webhook's signing secret when it was generated: shown this once." })
  secret!: string | null;
}

@ObjectType({ description: 'One try of a delivery, as the receiver answered it.' })
export class NotificationAttempt {
  @Field(() => Date) at!: Date;
  @Field(() => Int, { nullable: true, description: 'HTTP status; null when there was no answer.' }) status!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int) durationMs!: number;
}

@ObjectType({ description: 'One notification to one channel, with its tries: the delivery log.' })
export class NotificationDelivery {
  @Field(() => ID) id!: string;
  @Field(() => NotificationEventEnum) event!: NotificationEvent;
  @Field(() => String, { description: 'What it says: "INC-000123 is a P1 incident: Checkout returns 502".' }) title!: string;
  @Field(() => ID) channelId!: string;
  @Field(() => DeliveryStatusEnum) status!: keyof typeof DeliveryStatusEnum;
  @Field(() => Int) attempts!: number;
  @Field(() => Date, { nullable: true, description: 'Next try, while pending.' }) nextAt!: Date | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => [NotificationAttempt], { description: 'Every try, oldest first.' }) tries!: NotificationAttempt[];
}

@ObjectType({ description: 'A test message sent now, and how the receiver answered.' })
export class NotificationTestResult {
  @Field(() => Boolean) delivered!: boolean;
  @Field(() => Int, { nullable: true }) status!: number | null;
  @Field(() => String, { nullable: true, description: 'Why it failed, in words.' }) error!: string | null;
  @Field(() => Int) durationMs!: number;
}
