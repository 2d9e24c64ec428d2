// The catalogue of what the product tells people about (issue 25): each event's key, what it is in
// words, the record it concerns, and whether it is addressed to one person (the assignee, the
// facilitator, an action item's owner) rather than to everyone subscribed to its service or team.

export const NOTIFICATION_EVENTS = [
  'INCIDENT_MAJOR',
  'PRIORITY_RAISED',
  'ASSIGNED_TO_YOU',
  'SLA_WARNING_75',
  'SLA_WARNING_90',
  'SLA_BREACHED',
  'STAKEHOLDER_UPDATE',
  'ESCALATED_TO_PROVIDER',
  'DR_PLAN_TRIGGERED',
  'INCIDENT_RESOLVED',
  'INCIDENT_REOPENED',
  'REVIEW_AWAITING_YOU',
  'REVIEW_PUBLISHED',
  'ACTION_ITEM_ASSIGNED',
  'ACTION_ITEM_OVERDUE',
  'KNOWN_ERROR_PUBLISHED',
  'KNOWLEDGE_REVIEW_DUE',
  'KNOWLEDGE_STALE',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export type NotificationSubject = 'INCIDENT' | 'REVIEW' | 'ACTION_ITEM' | 'PROBLEM' | 'KNOWLEDGE';

export interface EventDefinition {
  event: NotificationEvent;
  /** A short name for lists and subscription forms. */
  label: string;
  /** When it happens, exactly (the catalogue the API documents). */
  description: string;
  subject: NotificationSubject;
  /** Sent to the person it names (assignee, owner, facilitator, participants), not to a service's subscribers. */
  personal: boolean;
  /** Sent by this version (the others are catalogued, and offered, once their source is built; decision 0006). */
  available: boolean;
}

/** Events this version sends: incident timeline entries (the router), SLA clocks and due dates (the scanners), reviews and problems. */
const AVAILABLE = new Set<NotificationEvent>([
  'INCIDENT_MAJOR',
  'ASSIGNED_TO_YOU',
  'PRIORITY_RAISED',
  'SLA_WARNING_75',
  'SLA_WARNING_90',
  'SLA_BREACHED',
  'STAKEHOLDER_UPDATE',
  'ESCALATED_TO_PROVIDER',
  'DR_PLAN_TRIGGERED',
  'INCIDENT_RESOLVED',
  'INCIDENT_REOPENED',
  'REVIEW_AWAITING_YOU',
  'REVIEW_PUBLISHED',
  'ACTION_ITEM_ASSIGNED',
  'ACTION_ITEM_OVERDUE',
  'KNOWN_ERROR_PUBLISHED',
  'KNOWLEDGE_REVIEW_DUE',
  'KNOWLEDGE_STALE',
]);

const d = (event: NotificationEvent, subject: NotificationSubject, personal: boolean, label: string, description: string) =>
  Object.freeze({ event, subject, personal, label, description, available: AVAILABLE.has(event) });

export const EVENT_DEFINITIONS: Readonly<Record<NotificationEvent, EventDefinition>> = Object.freeze({
  INCIDENT_MAJOR: d(
    'INCIDENT_MAJOR',
    'INCIDENT',
    false,
    'P1, P2 or major incident',
    'An incident is logged or classified with priority P1 or P2, or is declared a major incident (once per incident and level).',
  ),
  PRIORITY_RAISED: d(
    'PRIORITY_RAISED',
    'INCIDENT',
    false,
    'Priority raised',
    "An incident's priority becomes more urgent (P3 to P2, say).",
  ),
  ASSIGNED_TO_YOU: d('ASSIGNED_TO_YOU', 'INCIDENT', true, 'Assigned to you', 'An incident is assigned to you by someone else.'),
  SLA_WARNING_75: d('SLA_WARNING_75', 'INCIDENT', false, 'SLA at 75 %', 'A running SLA clock has used 75 % of its target.'),
  SLA_WARNING_90: d('SLA_WARNING_90', 'INCIDENT', false, 'SLA at 90 %', 'A running SLA clock has used 90 % of its target.'),
  SLA_BREACHED: d('SLA_BREACHED', 'INCIDENT', false, 'SLA breached', 'An SLA clock passes its target (response or resolution).'),
  STAKEHOLDER_UPDATE: d('STAKEHOLDER_UPDATE', 'INCIDENT', false, 'Stakeholder update', 'A stakeholder update is posted on an incident.'),
  ESCALATED_TO_PROVIDER: d(
    'ESCALATED_TO_PROVIDER',
    'INCIDENT',
    false,
    'Escalated to a provider',
    'An incident is resolved by escalating it to an outside provider (resolution "Escalated to provider").',
  ),
  DR_PLAN_TRIGGERED: d(
    'DR_PLAN_TRIGGERED',
    'INCIDENT',
    false,
    'Disaster-recovery plan triggered',
    'A disaster-recovery plan is triggered for an incident.',
  ),
  INCIDENT_RESOLVED: d('INCIDENT_RESOLVED', 'INCIDENT', false, 'Resolved', 'An incident is resolved.'),
  INCIDENT_REOPENED: d('INCIDENT_REOPENED', 'INCIDENT', false, 'Reopened', 'A resolved or closed incident is reopened.'),
  REVIEW_AWAITING_YOU: d(
    'REVIEW_AWAITING_YOU',
    'REVIEW',
    true,
    'Review awaiting you',
    'A review you facilitate or take part in is sent to review (or you are added to one in review).',
  ),
  REVIEW_PUBLISHED: d('REVIEW_PUBLISHED', 'REVIEW', false, 'Review published', 'A post-incident review is published.'),
  ACTION_ITEM_ASSIGNED: d('ACTION_ITEM_ASSIGNED', 'ACTION_ITEM', true, 'Action item assigned', 'An action item gets you as its owner.'),
  ACTION_ITEM_OVERDUE: d(
    'ACTION_ITEM_OVERDUE',
    'ACTION_ITEM',
    true,
    'Action item overdue',
    'An action item you own passes its due date while not done (once per item and due date).',
  ),
  KNOWN_ERROR_PUBLISHED: d(
    'KNOWN_ERROR_PUBLISHED',
    'PROBLEM',
    false,
    'Known error published',
    'A problem becomes a known error (its root cause is documented), so the fix or workaround can be found.',
  ),
  KNOWLEDGE_REVIEW_DUE: d(
    'KNOWLEDGE_REVIEW_DUE',
    'KNOWLEDGE',
    true,
    'Knowledge review due',
    'A workaround, known error or incident model you own is due for review within 30 days (once per item and review date).',
  ),
  KNOWLEDGE_STALE: d(
    'KNOWLEDGE_STALE',
    'KNOWLEDGE',
    true,
    'Knowledge stale',
    'A workaround, known error or incident model you own became stale and needs review (once per item between reviews).',
  ),
});

export function isNotificationEvent(v: unknown): v is NotificationEvent {
  return typeof v === 'string' && (NOTIFICATION_EVENTS as readonly string[]).includes(v);
}

/** Events addressed to the person they name; each person chooses which of them they want (all by default). */
export const PERSONAL_EVENTS: readonly NotificationEvent[] = NOTIFICATION_EVENTS.filter((e) => EVENT_DEFINITIONS[e].personal);
