import type { ImportMapping } from '../file/mapping';

/**
 * ServiceNow, both shapes: the incident table export (one row per incident: state,
 * short_description, sys_updated_on...) and the audit event log (one row per update, as in the
 * public "incident management process enriched event log": incident_state, sys_mod_count,
 * sys_updated_at...). Rows sharing a number are one incident's history, ordered by sys_mod_count.
 */
export const SERVICENOW_MAPPING: ImportMapping = {
  name: 'ServiceNow incident export',
  source: 'ServiceNow',
  nullValues: ['?'],
  dateFormat: 'auto',
  columns: {
    externalRef: 'number',
    title: 'short_description',
    description: 'description',
    status: ['incident_state', 'state'],
    impact: 'impact',
    urgency: 'urgency',
    priority: 'priority',
    service: 'business_service',
    category: 'category',
    subcategory: 'subcategory',
    team: 'assignment_group',
    assignee: 'assigned_to',
    reporter: 'caller_id',
    major: 'major_incident',
    openedAt: ['opened_at', 'sys_created_at', 'sys_created_on'],
    updatedAt: ['sys_updated_at', 'sys_updated_on'],
    resolvedAt: 'resolved_at',
    closedAt: 'closed_at',
    sequence: 'sys_mod_count',
    actor: 'sys_updated_by',
    openedBy: 'opened_by',
    resolvedBy: 'resolved_by',
    resolutionCode: ['closed_code', 'close_code'],
    resolutionNotes: 'close_notes',
    reopenCount: 'reopen_count',
    reassignmentCount: 'reassignment_count',
    problem: 'problem_id',
    causedBy: 'caused_by',
    changeRef: 'rfc',
    slaMet: 'made_sla',
  },
  attributes: {
    contactType: 'contact_type',
    location: 'location',
    symptom: 'u_symptom',
    configurationItem: 'cmdb_ci',
    knowledge: 'knowledge',
    priorityConfirmation: 'u_priority_confirmation',
    notify: 'notify',
    vendor: 'vendor',
  },
  values: {
    // Numeric states of the incident table; -100 is the event log's "unknown".
    status: {
      '1': 'NEW',
      '2': 'INVESTIGATING',
      '3': 'ON_HOLD:AWAITING_USER',
      '6': 'RESOLVED',
      '7': 'CLOSED',
      '8': 'CLOSED',
      '-100': '',
      'awaiting user info': 'ON_HOLD:AWAITING_USER',
      'awaiting evidence': 'ON_HOLD:AWAITING_USER',
    },
  },
  titleTemplate: '[{attr.symptom}][ · {category}][ / {subcategory}]',
  // The event log has no text of its own: the symptom and configuration item make the description searchable.
  descriptionTemplate: 'Imported from ServiceNow {externalRef}.[ Symptom: {attr.symptom}.][ Configuration item: {attr.configurationItem}.]',
};

/**
 * The same for the Table API's JSON (servicenow/table-api.ts): the fields are the incident table's,
 * plus what only the API gives: the record's sys_id (the audit history is keyed by it), its
 * durations (read from "1970-01-21 06:05:49" to "20 d 06:05:49") and its tags.
 */
export const SERVICENOW_TABLE_API_MAPPING: ImportMapping = {
  ...SERVICENOW_MAPPING,
  name: 'ServiceNow Table API (JSON)',
  attributes: {
    ...SERVICENOW_MAPPING.attributes,
    sysId: 'sys_id',
    businessDuration: 'business_duration',
    calendarDuration: 'calendar_duration',
    timeWorked: 'time_worked',
    holdReason: 'hold_reason',
    tags: 'sys_tags',
    company: 'company',
  },
};
