import type { NotificationEvent } from '@ikb/domain';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NotificationEventEnum } from './notification.types';

export const EmailModeEnum = { EACH: 'EACH', DIGEST: 'DIGEST', NONE: 'NONE' } as const;
export type EmailMode = keyof typeof EmailModeEnum;
registerEnumType(EmailModeEnum, {
  name: 'NotificationEmailMode',
  description:
    'EACH: a mail as things happen (what came together in one mail); DIGEST: one mail a day at your hour; ' + 'NONE: only in the web app.',
});

@ObjectType({ description: 'What you listen to: empty lists mean any service, team or priority; incidentId: one incident you follow.' })
export class NotificationSubscription {
  @Field(() => ID) id!: string;
  @Field(() => [NotificationEventEnum]) events!: NotificationEvent[];
  @Field(() => [ID]) serviceIds!: string[];
  @Field(() => [ID]) teamIds!: string[];
  @Field(() => [Int]) priorities!: number[];
  @Field(() => Boolean) majorOnly!: boolean;
  @Field(() => ID, { nullable: true, description: 'Set when this follows one incident.' }) incidentId!: string | null;
  @Field(() => String, { nullable: true, description: "The followed incident's number, e.g. INC-000123." }) incidentNumber!: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ description: 'How you are told, and what you listen to.' })
export class NotificationSettings {
  @Field(() => EmailModeEnum) emailMode!: EmailMode;
  @Field(() => Int, { description: 'Digest hour, 0 to 23, in timeZone.' }) digestHour!: number;
  @Field(() => String, { description: 'IANA time zone of the digest hour.' }) timeZone!: string;
  @Field(() => [NotificationEventEnum], { description: 'Personal events you want (assigned to you ...); all unless you chose.' })
  personalEvents!: NotificationEvent[];
  @Field(() => String, { description: "Where mail goes: your account's e-mail address." }) email!: string;
  @Field(() => Boolean, { description: 'Whether this server sends e-mail at all (SMTP_URL is set).' }) mailConfigured!: boolean;
  @Field(() => Date, { nullable: true, description: 'When your next digest goes, once scheduled.' }) nextDigestAt!: Date | null;
  @Field(() => Boolean, { description: 'The weekly mail of your open review action items (Monday, at digestHour).' })
  followThroughDigest!: boolean;
  @Field(() => [NotificationSubscription]) subscriptions!: NotificationSubscription[];
}

@ObjectType({ description: 'One notification to you, as your list in the web app shows it.' })
export class InboxNotification {
  @Field(() => ID) id!: string;
  @Field(() => NotificationEventEnum) event!: NotificationEvent;
  @Field(() => String) title!: string;
  @Field(() => String) text!: string;
  @Field(() => String, { description: 'The record in the web app.' }) url!: string;
  @Field(() => Date) occurredAt!: Date;
  @Field(() => Date, { nullable: true }) readAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it went out by mail (or was settled without one).' }) mailedAt!: Date | null;
}

@ObjectType()
export class InboxPage {
  @Field(() => [InboxNotification], { description: 'Newest first.' }) items!: InboxNotification[];
  @Field(() => Int) unread!: number;
}

@ObjectType({ description: 'One recipient of a notification and how it went.' })
export class NoticeRecipient {
  @Field(() => String, { description: 'CHANNEL or PERSON.' }) kind!: 'CHANNEL' | 'PERSON';
  @Field(() => String) name!: string;
  @Field(() => String, {
    description: 'Channels: PENDING, DELIVERED, DEAD. People: IN_APP (listed only), MAIL_PENDING, MAILED, MAIL_FAILED.',
  })
  status!: string;
  @Field(() => Date, { nullable: true }) at!: Date | null;
}

@ObjectType({ description: 'Who was told what about an incident, and when.' })
export class IncidentNotice {
  @Field(() => ID) id!: string;
  @Field(() => NotificationEventEnum) event!: NotificationEvent;
  @Field(() => String) title!: string;
  @Field(() => String) text!: string;
  @Field(() => Date) occurredAt!: Date;
  @Field(() => [NoticeRecipient]) recipients!: NoticeRecipient[];
}

@ObjectType({ description: "An incident's notifications: whether you follow it, and who was told what." })
export class IncidentNotifications {
  @Field(() => Boolean, { description: 'You follow this incident (you hear of its updates, resolution, reopening ...).' })
  following!: boolean;
  @Field(() => [IncidentNotice], { description: 'Newest first (at most 200).' }) notices!: IncidentNotice[];
}
