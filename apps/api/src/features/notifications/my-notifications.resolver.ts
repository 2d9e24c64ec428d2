import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { AppError, badInput } from '../../errors';
import { NotificationSettingsInput, NotificationSubscriptionInput } from './my-notifications.inputs';
import {
  createSubscription,
  deleteSubscription,
  inboxOf,
  incidentNotices,
  markRead,
  setFollowing,
  settingsOf,
  updateSettings,
} from './my-notifications.service';
import { IncidentNotifications, InboxPage, NotificationSettings } from './my-notifications.types';

async function me(ctx: Context): Promise<string> {
  const actor = await ctx.actor();
  if (!actor.id) throw new AppError('UNAUTHENTICATED', 'Sign in first: notifications are per person.');
  return actor.id;
}

/** Your own notifications: settings, subscriptions, following incidents, your list (decision 0006). */
@Resolver()
export class MyNotificationsResolver {
  @Query(() => NotificationSettings, { description: 'How you are told, and what you listen to.' })
  async myNotificationSettings(@Ctx() ctx: Context): Promise<NotificationSettings> {
    return settingsOf(ctx.em, await me(ctx));
  }

  @Query(() => InboxPage, { description: 'Notifications to you, newest first; `after`: the last id of the page before.' })
  async myNotifications(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 30, description: '1 to 100.' }) first = 30,
    @Arg('after', () => ID, { nullable: true }) after?: string | null,
    @Arg('unreadOnly', () => Boolean, { defaultValue: false }) unreadOnly = false,
  ): Promise<InboxPage> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first', 'must be a whole number from 1 to 100');
    return inboxOf(ctx.em, await me(ctx), { first, after, unreadOnly });
  }

  @Query(() => IncidentNotifications, { description: 'Who was told what about an incident, and whether you follow it.' })
  async incidentNotifications(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<IncidentNotifications> {
    return incidentNotices(ctx.em, (await ctx.actor()).id, id);
  }

  @Mutation(() => NotificationSettings, { description: 'Change how you are told; omitted fields stay.' })
  async updateMyNotificationSettings(
    @Arg('input', () => NotificationSettingsInput) input: NotificationSettingsInput,
    @Ctx() ctx: Context,
  ): Promise<NotificationSettings> {
    const id = await me(ctx);
    await updateSettings(ctx.em, id, input);
    return settingsOf(ctx.em, id);
  }

  @Mutation(() => NotificationSettings, { description: 'Listen to events (by service, team, priority, major); answers your settings.' })
  async createNotificationSubscription(
    @Arg('input', () => NotificationSubscriptionInput) input: NotificationSubscriptionInput,
    @Ctx() ctx: Context,
  ): Promise<NotificationSettings> {
    const id = await me(ctx);
    await createSubscription(ctx.em, id, input);
    return settingsOf(ctx.em, id);
  }

  @Mutation(() => NotificationSettings, { description: 'Stop one of your subscriptions; answers your settings.' })
  async deleteNotificationSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<NotificationSettings> {
    const userId = await me(ctx);
    await deleteSubscription(ctx.em, userId, id);
    return settingsOf(ctx.em, userId);
  }

  @Mutation(() => Boolean, { description: 'Follow an incident (true) or stop (false): its updates, resolution, reopening ... reach you.' })
  async followIncident(
    @Arg('id', () => ID) id: string,
    @Arg('follow', () => Boolean, { defaultValue: true }) follow: boolean,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    await setFollowing(ctx.em, await me(ctx), id, follow);
    return follow;
  }

  @Mutation(() => Int, { description: 'Mark your notifications read (those named, or all); answers how many changed.' })
  async markNotificationsRead(@Arg('ids', () => [ID], { nullable: true }) ids: string[] | null, @Ctx() ctx: Context): Promise<number> {
    if (ids && ids.length > 500) throw badInput('ids', 'must list at most 500 notifications; leave it out for all');
    return markRead(ctx.em, await me(ctx), ids);
  }
}
