import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { assertUuid, badInput, notFound } from '../../errors';
import { CreateNotificationChannelInput, UpdateNotificationChannelInput } from './notification.inputs';
import {
  createChannel,
  deleteChannel,
  eventCatalogue,
  listChannels,
  listDeliveries,
  replayDead,
  updateChannel,
} from './notification.service';
import {
  CreatedNotificationChannel,
  DeliveryStatusEnum,
  NotificationChannel,
  NotificationDelivery,
  NotificationEventInfo,
  NotificationTestResult,
} from './notification.types';
import { notifySettings } from './notify-settings';
import { sendTest, type ChannelKind } from './notify.sender';
import { listMails, NotificationMail, replayMails } from './mail-log';

const one = async (ctx: Context, id: string): Promise<NotificationChannel> => {
  const [c] = await listChannels(ctx.em, id);
  if (!c) throw notFound('id', 'notification channel', id);
  return c;
};

/** Notification channels, their rules and the delivery log (admins; decision 0006). */
@Resolver()
export class NotificationResolver {
  @Query(() => [NotificationEventInfo], { description: 'The catalogue of events the product notifies about, in words.' })
  notificationEvents(): NotificationEventInfo[] {
    return eventCatalogue();
  }

  @Query(() => [NotificationChannel], { description: 'Webhook and chat channels with their rules and delivery counts, by name (admins).' })
  notificationChannels(@Ctx() ctx: Context): Promise<NotificationChannel[]> {
    return listChannels(ctx.em);
  }

  @Query(() => [NotificationDelivery], { description: 'The delivery log, newest first; `after`: the last id of the page before (admins).' })
  notificationDeliveries(
    @Ctx() ctx: Context,
    @Arg('channelId', () => ID, { nullable: true }) channelId?: string | null,
    @Arg('status', () => DeliveryStatusEnum, { nullable: true }) status?: keyof typeof DeliveryStatusEnum | null,
    @Arg('first', () => Int, { defaultValue: 50, description: '1 to 200.' }) first = 50,
    @Arg('after', () => ID, { nullable: true }) after?: string | null,
  ): Promise<NotificationDelivery[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first', 'must be a whole number from 1 to 200');
    return listDeliveries(ctx.em, { channelId, status, first, after });
  }

  @Query(() => [NotificationMail], { description: 'The e-mail log, newest first; `after`: the last id of the page before (admins).' })
  notificationMails(
    @Ctx() ctx: Context,
    @Arg('status', () => DeliveryStatusEnum, { nullable: true }) status?: keyof typeof DeliveryStatusEnum | null,
    @Arg('first', () => Int, { defaultValue: 50, description: '1 to 200.' }) first = 50,
    @Arg('after', () => ID, { nullable: true }) after?: string | null,
  ): Promise<NotificationMail[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first', 'must be a whole number from 1 to 200');
    return listMails(ctx.em, { status, first, after });
  }

  @Mutation(() => Int, { description: 'Send failed mails again (all, or those named); answers how many.' })
  replayNotificationMails(@Arg('ids', () => [ID], { nullable: true }) ids: string[] | null, @Ctx() ctx: Context): Promise<number> {
    if (ids && ids.length > 1000) throw badInput('ids', 'must list at most 1000 mails; leave it out to send all failed ones again');
    return replayMails(ctx.em, ids);
  }

  @Mutation(() => CreatedNotificationChannel, { description: "A new channel with its rules; a webhook's generated secret is shown once." })
  async createNotificationChannel(
    @Arg('input', () => CreateNotificationChannelInput) input: CreateNotificationChannelInput,
    @Ctx() ctx: Context,
  ): Promise<CreatedNotificationChannel> {
    const { id, secret } = await createChannel(ctx.em, input);
    return { channel: await one(ctx, id), secret };
  }

  @Mutation(() => NotificationChannel, { description: 'Change a channel; rules, when given, replace all of its rules.' })
  async updateNotificationChannel(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateNotificationChannelInput) input: UpdateNotificationChannelInput,
    @Ctx() ctx: Context,
  ): Promise<NotificationChannel> {
    await updateChannel(ctx.em, id, input);
    return one(ctx, id);
  }

  @Mutation(() => ID, { description: 'Delete a channel with its rules and delivery log; answers its id.' })
  async deleteNotificationChannel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    await deleteChannel(ctx.em, id);
    return id;
  }

  @Mutation(() => Int, { description: 'Send dead deliveries of a channel again (all, or those named); answers how many.' })
  replayNotificationDeliveries(
    @Arg('channelId', () => ID) channelId: string,
    @Arg('deliveryIds', () => [ID], { nullable: true }) deliveryIds: string[] | null,
    @Ctx() ctx: Context,
  ): Promise<number> {
    if (deliveryIds && deliveryIds.length > 1000)
      throw badInput('deliveryIds', 'must list at most 1000 deliveries; leave it out to replay all');
    return replayDead(ctx.em, channelId, deliveryIds);
  }

  @Mutation(() => NotificationTestResult, { description: 'Send a test message to a channel now and answer how its receiver took it.' })
  async sendTestNotification(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<NotificationTestResult> {
    assertUuid('id', id);
    const [c] = await ctx.em.execute<{ id: string; kind: ChannelKind; url: string; secret: string | null }[]>(
      `select id, kind, url, secret from notify.channels where id = ?`,
      [id],
    );
    if (!c) throw notFound('id', 'notification channel', id);
    return sendTest(c, notifySettings.publicWebUrl);
  }
}
