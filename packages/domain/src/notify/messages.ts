// What a notification about an incident says, in the same words everywhere it goes (chat, webhook
// summaries, e-mail subjects): "P1 incident INC-000123: Checkout returns 502", then the facts.
import { PRIORITY_LABELS, type Priority } from '../priority-matrix';
import { valueLabel } from '../plain-words';
import type { ChatMessage } from './chat-formats';
import type { NotificationEvent } from './events';

export interface IncidentFacts {
  number: string;
  title: string;
  priority: number | null;
  status: string;
  major: boolean;
  serviceName: string | null;
  teamName: string | null;
}

const HEADLINES: Record<NotificationEvent, string> = {
  INCIDENT_MAJOR: 'is a major incident',
  PRIORITY_RAISED: 'priority raised',
  ASSIGNED_TO_YOU: 'assigned to you',
  SLA_WARNING_75: 'SLA at 75 %',
  SLA_WARNING_90: 'SLA at 90 %',
  SLA_BREACHED: 'SLA breached',
  STAKEHOLDER_UPDATE: 'update',
  ESCALATED_TO_PROVIDER: 'escalated to a provider',
  DR_PLAN_TRIGGERED: 'disaster-recovery plan triggered',
  INCIDENT_RESOLVED: 'resolved',
  INCIDENT_REOPENED: 'reopened',
  REVIEW_AWAITING_YOU: 'review awaiting you',
  REVIEW_PUBLISHED: 'review published',
  ACTION_ITEM_ASSIGNED: 'action item assigned to you',
  ACTION_ITEM_OVERDUE: 'action item overdue',
  KNOWN_ERROR_PUBLISHED: 'known error published',
  KNOWLEDGE_REVIEW_DUE: 'due for review',
  KNOWLEDGE_STALE: 'is stale and needs review',
};

const TONES: Partial<Record<NotificationEvent, ChatMessage['tone']>> = {
  INCIDENT_MAJOR: 'critical',
  SLA_BREACHED: 'critical',
  DR_PLAN_TRIGGERED: 'critical',
  PRIORITY_RAISED: 'warning',
  SLA_WARNING_75: 'warning',
  SLA_WARNING_90: 'warning',
  INCIDENT_REOPENED: 'warning',
  ESCALATED_TO_PROVIDER: 'warning',
  INCIDENT_RESOLVED: 'good',
  ACTION_ITEM_OVERDUE: 'warning',
  KNOWLEDGE_STALE: 'warning',
  REVIEW_PUBLISHED: 'good',
};

const priorityText = (p: number | null) => (p && p >= 1 && p <= 5 ? `P${p} ${PRIORITY_LABELS[p as Priority]}` : 'Not classified');

export function incidentMessage(event: NotificationEvent, i: IncidentFacts, url: string, text?: string | null): ChatMessage {
  const what = event === 'INCIDENT_MAJOR' && !i.major && i.priority ? `is a P${i.priority} incident` : HEADLINES[event];
  // "INC-000123 is a P1 incident" names the priority already; other headlines lead with it.
  const prefix = i.priority && event !== 'INCIDENT_MAJOR' ? `P${i.priority} ` : '';
  return {
    title: `${prefix}${i.number} ${what}: ${i.title}`,
    text: text?.trim() ?? '',
    url,
    linkLabel: `Open ${i.number}`,
    facts: [
      { label: 'Priority', value: priorityText(i.priority) + (i.major ? ', major incident' : '') },
      { label: 'Status', value: valueLabel(i.status) },
      ...(i.serviceName ? [{ label: 'Service', value: i.serviceName }] : []),
      ...(i.teamName ? [{ label: 'Team', value: i.teamName }] : []),
    ],
    tone: TONES[event] ?? 'neutral',
  };
}

/**
 * What a notification about a review, an action item or a problem says: "PIR-0003 review awaiting
 * you: Checkout outage", then the facts the router gathered and a link to the record.
 */
export function recordMessage(
  event: NotificationEvent,
  r: { number: string; title: string; url: string; facts: { label: string; value: string }[] },
  text?: string | null,
): ChatMessage {
  return {
    title: `${r.number} ${HEADLINES[event]}: ${r.title}`,
    text: text?.trim() ?? '',
    url: r.url,
    linkLabel: `Open ${r.number}`,
    facts: r.facts.filter((f) => f.value !== ''),
    tone: TONES[event] ?? 'neutral',
  };
}

export { priorityText };
