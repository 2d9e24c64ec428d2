// Who hears about an event: the people subscribed to it (by service, team, priority or one
// incident), the person it names when it is personal, and the channels an admin's rules send it to.
// Pure: the API loads the subscriptions and rules, this decides, the outbox delivers.
import { EVENT_DEFINITIONS, type NotificationEvent } from './events';

/** One happening of an event, with the facts subscriptions filter on. */
export interface Occurrence {
  event: NotificationEvent;
  incidentId?: string | null;
  serviceId?: string | null;
  teamId?: string | null;
  /** 1 critical .. 5 planning. */
  priority?: number | null;
  major?: boolean;
  /** For personal events: the people it is addressed to (assignee, owner, facilitator, participants). */
  concerns?: readonly string[];
  /** Who caused it: never told about their own action. */
  actorId?: string | null;
}

/**
 * What a subscription or a channel rule listens to. Empty lists mean "any"; within a list any value
 * matches; across lists all must match (service A or B, and priority 1 or 2).
 */
export interface Scope {
  events: readonly NotificationEvent[];
  serviceIds?: readonly string[];
  teamIds?: readonly string[];
  priorities?: readonly number[];
  /** Only major incidents. */
  majorOnly?: boolean;
  /** One incident (a "follow this incident" subscription). */
  incidentId?: string | null;
}

export interface Subscription extends Scope {
  userId: string;
}

export interface ChannelRule extends Scope {
  channelId: string;
}

export type Recipient = { kind: 'user'; userId: string } | { kind: 'channel'; channelId: string };

const anyOf = <T>(list: readonly T[] | undefined, value: T | null | undefined) => !list?.length || (value != null && list.includes(value));

export function inScope(scope: Scope, o: Occurrence): boolean {
  if (!scope.events.includes(o.event)) return false;
  if (scope.incidentId && scope.incidentId !== o.incidentId) return false;
  if (scope.majorOnly && !o.major) return false;
  return anyOf(scope.serviceIds, o.serviceId) && anyOf(scope.teamIds, o.teamId) && anyOf(scope.priorities, o.priority);
}

/**
 * Everyone and everything to tell, once each, in a stable order (users, then channels, as first
 * met). A personal event goes only to the people it concerns who subscribed to that event (with the
 * scope applied); an event about a service goes to every matching subscriber. The actor is left out.
 */
export function recipients(o: Occurrence, subscriptions: readonly Subscription[], rules: readonly ChannelRule[]): Recipient[] {
  const personal = EVENT_DEFINITIONS[o.event].personal;
  const users = new Set<string>();
  for (const s of subscriptions) {
    if (s.userId === o.actorId || users.has(s.userId) || !inScope(s, o)) continue;
    if (personal && !o.concerns?.includes(s.userId)) continue;
    users.add(s.userId);
  }
  const channels = new Set<string>();
  for (const r of rules) if (!channels.has(r.channelId) && inScope(r, o)) channels.add(r.channelId);
  return [
    ...[...users].map((userId): Recipient => ({ kind: 'user', userId })),
    ...[...channels].map((channelId): Recipient => ({ kind: 'channel', channelId })),
  ];
}
