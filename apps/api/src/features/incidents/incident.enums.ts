import { HOLD_REASONS, INCIDENT_STATUSES, RESOLUTION_KINDS } from '@ikb/domain';
import { registerEnumType } from 'type-graphql';

/** type-graphql wants enum objects; the domain keeps the canonical value lists. */
function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}

export const IncidentStatusEnum = enumOf(INCIDENT_STATUSES);
export const HoldReasonEnum = enumOf(HOLD_REASONS);
export const ResolutionKindEnum = enumOf(RESOLUTION_KINDS);

export const INCIDENT_SOURCES = ['USER_REPORT', 'MONITORING', 'ALERT', 'IMPORT'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];
export const IncidentSourceEnum = enumOf(INCIDENT_SOURCES);

export const INCIDENT_EVENT_KINDS = [
  'LOGGED',
  'UPDATED',
  'CLASSIFIED',
  'PRIORITY_OVERRIDDEN',
  'ASSIGNED',
  'ACKNOWLEDGED',
  'STATUS_CHANGED',
  'REOPENED',
  'STAKEHOLDER_UPDATE',
  // Internal: for the people working the incident; never shown to or sent to stakeholders.
  'WORK_NOTE',
  'ESCALATION',
  'DR_PLAN_TRIGGERED',
  'CONFIGURATION_CHANGE',
  'TIME_LOGGED',
  'PROBLEM_LINKED',
  'PROBLEM_UNLINKED',
  'WORKAROUND_APPLIED',
  'MODEL_APPLIED',
  'CHECKLIST_ITEM_DONE',
  'CHECKLIST_ITEM_UNDONE',
  'KNOWLEDGE_CREATED',
  'ALERT_FIRING',
  'ALERT_RESOLVED',
] as const;
export type IncidentEventKind = (typeof INCIDENT_EVENT_KINDS)[number];
export const IncidentEventKindEnum = enumOf(INCIDENT_EVENT_KINDS);

export const ESCALATION_KINDS = ['FUNCTIONAL', 'HIERARCHICAL', 'MAJOR_INCIDENT'] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];
export const EscalationKindEnum = enumOf(ESCALATION_KINDS);

registerEnumType(IncidentStatusEnum, {
  name: 'IncidentStatus',
  description: 'Lifecycle: NEW -> TRIAGED -> INVESTIGATING -> ON_HOLD -> RESOLVED -> CLOSED -> REVIEWED.',
});
registerEnumType(HoldReasonEnum, { name: 'HoldReason', description: 'Why an incident is on hold.' });
registerEnumType(ResolutionKindEnum, { name: 'ResolutionKind', description: 'How service was restored.' });
registerEnumType(IncidentSourceEnum, { name: 'IncidentSource', description: 'Where the incident came from.' });
registerEnumType(IncidentEventKindEnum, { name: 'IncidentEventKind', description: 'What a timeline event records.' });
registerEnumType(EscalationKindEnum, {
  name: 'EscalationKind',
  description: 'Functional (to another team), hierarchical (to management) or declaring a major incident.',
});
