import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { badInput, notFound } from '../../errors';
import { webUrl } from '../notifications/notify-settings';
import { ActionItem } from '../reviews/review.entity';
import { sendTestIssue, syncLog, testConnection } from './tracker-checks';
import { createConnection, deleteConnection, listConnections, listTargets, rotateSecret, updateConnection } from './tracker-connections';
import { pushActionItem, retrySync } from './tracker-links';
import { CreateTrackerConnectionInput, TrackerConnectionFields } from './tracker.inputs';
import {
  CreatedTrackerConnection,
  TrackerConnection,
  TrackerLink,
  TrackerSyncAttempt,
  TrackerTarget,
  TrackerTestResult,
} from './tracker.types';

const one = async (ctx: Context, id: string): Promise<TrackerConnection> => {
  const [c] = await listConnections(ctx.em, id);
  if (!c) throw notFound('id', 'tracker connection', id);
  return c;
};

const reloadItem = async (ctx: Context, id: string): Promise<ActionItem> => {
  const item = await ctx.em.findOne(ActionItem, { id }, { refresh: true });
  if (!item) throw notFound('actionItemId', 'action item', id);
  return item;
};

/** Jira Cloud and GitHub Issues connections, pushing action items, and the sync log (decision 0008). */
@Resolver()
export class TrackerResolver {
  @Query(() => [TrackerConnection], { description: 'Tracker connections with their link and job counts, by name (admins).' })
  trackerConnections(@Ctx() ctx: Context): Promise<TrackerConnection[]> {
    return listConnections(ctx.em);
  }

  @Query(() => [TrackerTarget], { description: 'Enabled trackers an action item can be pushed to.' })
  trackerTargets(@Ctx() ctx: Context): Promise<TrackerTarget[]> {
    return listTargets(ctx.em);
  }

  @Query(() => [TrackerSyncAttempt], {
    description: 'Calls to trackers and webhooks received, newest first; `after`: the last id of the page before (admins).',
  })
  trackerSyncLog(
    @Ctx() ctx: Context,
    @Arg('connectionId', () => ID, { nullable: true }) connectionId?: string | null,
    @Arg('first', () => Int, { defaultValue: 50, description: '1 to 200.' }) first = 50,
    @Arg('after', () => ID, { nullable: true }) after?: string | null,
  ): Promise<TrackerSyncAttempt[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first', 'must be a whole number from 1 to 200');
    return syncLog(ctx.em, { connectionId, first, after });
  }

  @Mutation(() => CreatedTrackerConnection, { description: 'A new Jira or GitHub connection; its webhook secret is shown once.' })
  async createTrackerConnection(
    @Arg('input', () => CreateTrackerConnectionInput) input: CreateTrackerConnectionInput,
    @Ctx() ctx: Context,
  ): Promise<CreatedTrackerConnection> {
    const { id, secret } = await createConnection(ctx.em, input);
    return { connection: await one(ctx, id), webhookSecret: secret };
  }

  @Mutation(() => TrackerConnection, { description: 'Change a connection; an empty or omitted token keeps the one stored.' })
  async updateTrackerConnection(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => TrackerConnectionFields) input: TrackerConnectionFields,
    @Ctx() ctx: Context,
  ): Promise<TrackerConnection> {
    await updateConnection(ctx.em, id, input);
    return one(ctx, id);
  }

  @Mutation(() => ID, { description: 'Delete a connection with its links and log (the issues stay on the tracker); answers its id.' })
  async deleteTrackerConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    await deleteConnection(ctx.em, id);
    return id;
  }

  @Mutation(() => String, { description: 'A new webhook secret (the old one stops working); shown this once.' })
  rotateTrackerWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return rotateSecret(ctx.em, id);
  }

  @Mutation(() => TrackerTestResult, {
    description: 'Check the credentials and that the project or repository exists; nothing is created.',
  })
  testTrackerConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<TrackerTestResult> {
    return testConnection(ctx.em, id);
  }

  @Mutation(() => TrackerTestResult, {
    description: 'Create a real issue labelled ikb-test now, and answer its key and address or the error.',
  })
  sendTestTrackerIssue(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<TrackerTestResult> {
    return sendTestIssue(ctx.em, id, webUrl('/reviews'));
  }

  @Mutation(() => ActionItem, { description: 'Push an action item to a tracker: the issue is created in the background and kept in sync.' })
  async pushActionItem(
    @Arg('actionItemId', () => ID) actionItemId: string,
    @Arg('connectionId', () => ID) connectionId: string,
    @Ctx() ctx: Context,
  ): Promise<ActionItem> {
    await pushActionItem(ctx.em, await ctx.actor(), actionItemId, connectionId);
    return reloadItem(ctx, actionItemId);
  }

  @Mutation(() => ActionItem, { description: "Send an action item's sync again now (after fixing what the tracker refused)." })
  async retryTrackerSync(@Arg('actionItemId', () => ID) actionItemId: string, @Ctx() ctx: Context): Promise<ActionItem> {
    await retrySync(ctx.em, actionItemId);
    return reloadItem(ctx, actionItemId);
  }
}

@Resolver(() => ActionItem)
export class ActionItemTrackerResolver {
  @FieldResolver(() => TrackerLink, { nullable: true, description: 'Where it lives on a tracker (Jira, GitHub), and how its sync stands.' })
  trackerLink(@Root() a: ActionItem, @Ctx() ctx: Context): Promise<TrackerLink | null> {
    return ctx.loaders.trackerLink.load(a.id);
  }
}
