import { readFileSync } from 'node:fs';
import { HOLD_REASONS, INCIDENT_STATUSES, RESOLUTION_KINDS, textProblem } from '@ikb/domain';
import { DATE_FORMATS, type DateFormatOption } from './dates';

/**
 * A mapping says which column of another tool's export holds which incident field, and how its
 * values translate. Mapping files are JSON (documented in docs/imports.md); ServiceNow and this
 * tool's own export have built-in mappings.
 */

/** Incident fields a column can feed. Dates are read with the import's date format and time zone. */
export const MAPPED_FIELDS = {
  externalRef: 'text',
  id: 'text',
  number: 'text',
  title: 'text',
  description: 'text',
  status: 'status',
  holdReason: 'text',
  source: 'text',
  impact: 'level',
  urgency: 'level',
  priority: 'priority',
  service: 'text',
  category: 'text',
  subcategory: 'text',
  team: 'text',
  assignee: 'text',
  reporter: 'text',
  major: 'boolean',
  detectedAt: 'date',
  openedAt: 'date',
  acknowledgedAt: 'date',
  resolvedAt: 'date',
  closedAt: 'date',
  updatedAt: 'date',
  sequence: 'integer',
  actor: 'text',
  openedBy: 'text',
  resolvedBy: 'text',
  resolutionKind: 'resolutionKind',
  resolutionCode: 'text',
  resolutionNotes: 'text',
  userConfirmed: 'boolean',
  reopenCount: 'integer',
  reassignmentCount: 'integer',
  problem: 'text',
  problemId: 'text',
  problemTitle: 'text',
  causedBy: 'text',
  changeRef: 'text',
  slaMet: 'verdict',
  attributesJson: 'json',
} as const;
export type MappedField = keyof typeof MAPPED_FIELDS;
export const DATE_FIELDS: MappedField[] = (Object.keys(MAPPED_FIELDS) as MappedField[]).filter((f) => MAPPED_FIELDS[f] === 'date');

/** A column name, or several: the first non-empty one wins. */
export type ColumnRef = string | string[];

export interface ImportMapping {
  /** What the mapping is for, shown in messages. */
  name: string;
  /** The source tool, written on timeline events ("Imported from ServiceNow"). */
  source: string;
  /** Values that mean "empty" besides the empty string, e.g. "?" in ServiceNow's event log. */
  nullValues?: string[];
  dateFormat?: DateFormatOption;
  timeZone?: string;
  columns: Partial<Record<MappedField, ColumnRef>>;
  /** Extra columns kept on the incident as source attributes: attribute name -> column. */
  attributes?: Record<string, ColumnRef>;
  /** Value translations per field, matched case-insensitively after trimming. */
  values?: Partial<
    Record<
      'status' | 'impact' | 'urgency' | 'priority' | 'resolutionKind' | 'slaMet' | 'major' | 'userConfirmed',
      Record<string, string | number | boolean>
    >
  >;
  /** Used when a row has no value (or the column is not mapped). */
  defaults?: Partial<Record<'impact' | 'urgency' | 'status' | 'resolutionKind', string | number>>;
  /**
   * Title and description made from other fields when the export has none (ServiceNow's event
   * log): `{field}` and `{attr.name}` placeholders; a `[...]` part is left out when a placeholder
   * in it is empty.
   */
  titleTemplate?: string;
  descriptionTemplate?: string;
  /** Match existing incidents by `id` when the row has no external reference (this tool's own export). */
  matchById?: boolean;
}

export class MappingError extends Error {}

/** Status words most tools use; a mapping's `values.status` comes first. Values are STATUS or ON_HOLD:REASON. */
export const STATUS_WORDS: Record<string, string> = {
  new: 'NEW',
  open: 'NEW',
  logged: 'NEW',
  triaged: 'TRIAGED',
  assigned: 'TRIAGED',
  active: 'INVESTIGATING',
  'in progress': 'INVESTIGATING',
  'work in progress': 'INVESTIGATING',
  investigating: 'INVESTIGATING',
  'under investigation': 'INVESTIGATING',
  escalated: 'INVESTIGATING',
  'on hold': 'ON_HOLD:AWAITING_USER',
  on_hold: 'ON_HOLD:AWAITING_USER',
  pending: 'ON_HOLD:AWAITING_USER',
  'awaiting user info': 'ON_HOLD:AWAITING_USER',
  'awaiting user': 'ON_HOLD:AWAITING_USER',
  'awaiting caller': 'ON_HOLD:AWAITING_USER',
  'awaiting evidence': 'ON_HOLD:AWAITING_USER',
  'waiting for customer': 'ON_HOLD:AWAITING_USER',
  'awaiting problem': 'ON_HOLD:AWAITING_PROBLEM',
  'awaiting vendor': 'ON_HOLD:AWAITING_VENDOR',
  'waiting for vendor': 'ON_HOLD:AWAITING_VENDOR',
  'awaiting change': 'ON_HOLD:AWAITING_CHANGE',
  resolved: 'RESOLVED',
  fixed: 'RESOLVED',
  closed: 'CLOSED',
  done: 'CLOSED',
  completed: 'CLOSED',
  cancelled: 'CLOSED',
  canceled: 'CLOSED',
  reviewed: 'REVIEWED',
};

/** Priority, impact and urgency words; "2 - High" style values are read by their leading number first. */
export const PRIORITY_WORDS: Record<string, number> = {
  critical: 1,
  highest: 1,
  high: 2,
  moderate: 3,
  medium: 3,
  low: 4,
  lowest: 5,
  planning: 5,
};
export const LEVEL_WORDS: Record<string, number> = {
  critical: 1,
  high: 1,
  extensive: 1,
  widespread: 1,
  medium: 2,
  moderate: 2,
  significant: 2,
  low: 3,
  minor: 3,
  localized: 3,
};

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

/** The columns of `pnpm cli export`, so an export reads back in unchanged (the round trip). */
export const EXPORT_COLUMNS = [
  'id',
  'number',
  'externalRef',
  'title',
  'description',
  'status',
  'holdReason',
  'source',
  'impact',
  'urgency',
  'priority',
  'service',
  'category',
  'subcategory',
  'team',
  'assignee',
  'reporter',
  'major',
  'detectedAt',
  'openedAt',
  'acknowledgedAt',
  'resolvedAt',
  'closedAt',
  'resolutionKind',
  'resolutionCode',
  'resolutionNotes',
  'userConfirmed',
  'reopenCount',
  'reassignmentCount',
  'problem',
  'problemId',
  'problemTitle',
  'causedBy',
  'changeRef',
  'resolutionSlaVerdict',
  'attributes',
  // Links shown for reading; the importer does not write them back.
  'workaround',
  'incidentModel',
  'reviews',
  'resolutionSlaClock',
  'updatedAt',
] as const;

export const EXPORT_MAPPING: ImportMapping = {
  name: 'incident knowledge base export',
  source: 'incident knowledge base export',
  dateFormat: 'ymd',
  matchById: true,
  columns: {
    id: 'id',
    number: 'number',
    externalRef: 'externalRef',
    title: 'title',
    description: 'description',
    status: 'status',
    holdReason: 'holdReason',
    source: 'source',
    impact: 'impact',
    urgency: 'urgency',
    priority: 'priority',
    service: 'service',
    category: 'category',
    subcategory: 'subcategory',
    team: 'team',
    assignee: 'assignee',
    reporter: 'reporter',
    major: 'major',
    detectedAt: 'detectedAt',
    openedAt: 'openedAt',
    acknowledgedAt: 'acknowledgedAt',
    resolvedAt: 'resolvedAt',
    closedAt: 'closedAt',
    resolutionKind: 'resolutionKind',
    resolutionCode: 'resolutionCode',
    resolutionNotes: 'resolutionNotes',
    userConfirmed: 'userConfirmed',
    reopenCount: 'reopenCount',
    reassignmentCount: 'reassignmentCount',
    problem: 'problem',
    problemId: 'problemId',
    problemTitle: 'problemTitle',
    causedBy: 'causedBy',
    changeRef: 'changeRef',
    slaMet: 'resolutionSlaVerdict',
    attributesJson: 'attributes',
  },
};

const STATUS_TARGETS = new Set<string>([...INCIDENT_STATUSES, ...HOLD_REASONS.map((r) => `ON_HOLD:${r}`), '']);

/** Checks a mapping read from a file; every problem is named, with its path. */
export function validateMapping(raw: unknown, where = 'mapping'): ImportMapping {
  const issues: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isColumn = (v: unknown) =>
    typeof v === 'string' ? v.length > 0 : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0);
  if (!isObj(raw)) throw new MappingError(`${where}: must be a JSON object`);
  const m = raw as Record<string, unknown>;
  // These end up in the database (event actors, import runs, attribute names): the shared text rules apply.
  const text = (key: string, v: unknown, max: number, singleLine = true) => {
    if (v === undefined) return;
    if (typeof v !== 'string') return issues.push(`${key}: must be a string`);
    const why = textProblem(v, { singleLine, max });
    if (why) issues.push(`${key}: ${why}`);
  };
  text('name', m.name, 200);
  text('source', m.source, 120);
  if (m.dateFormat !== undefined && !DATE_FORMATS.includes(m.dateFormat as DateFormatOption))
    issues.push(`dateFormat: must be one of ${DATE_FORMATS.join(', ')}`);
  if (m.timeZone !== undefined && typeof m.timeZone !== 'string') issues.push('timeZone: must be an IANA time zone name');
  if (m.nullValues !== undefined && !(Array.isArray(m.nullValues) && m.nullValues.every((x) => typeof x === 'string')))
    issues.push('nullValues: must be a list of strings');
  if (!isObj(m.columns)) issues.push('columns: must be an object of field -> column name');
  else {
    for (const [field, col] of Object.entries(m.columns)) {
      if (field.startsWith('$')) continue;
      if (!(field in MAPPED_FIELDS)) issues.push(`columns.${field}: unknown field; fields are ${Object.keys(MAPPED_FIELDS).join(', ')}`);
      else if (!isColumn(col)) issues.push(`columns.${field}: must be a column name or a list of column names`);
    }
    if (!m.columns.externalRef && !(m.matchById && m.columns.id))
      issues.push("columns.externalRef: required (the column holding each incident's reference in the other tool)");
    if (!m.columns.openedAt) issues.push('columns.openedAt: required (when each incident was opened)');
  }
  if (m.attributes !== undefined) {
    if (!isObj(m.attributes)) issues.push('attributes: must be an object of attribute name -> column name');
    else {
      for (const [k, col] of Object.entries(m.attributes)) {
        const why = textProblem(k, { singleLine: true, max: 200 });
        if (why || !k.trim()) issues.push(`attributes[${JSON.stringify(k.slice(0, 40))}]: the attribute name ${why ?? 'is empty'}`);
        else if (!isColumn(col)) issues.push(`attributes.${k}: must be a column name or a list of column names`);
      }
    }
  }
  if (m.values !== undefined) {
    if (!isObj(m.values)) issues.push('values: must be an object of field -> { source value: our value }');
    else {
      for (const [field, table] of Object.entries(m.values)) {
        if (field.startsWith('$')) continue;
        if (!['status', 'impact', 'urgency', 'priority', 'resolutionKind', 'slaMet', 'major', 'userConfirmed'].includes(field)) {
          issues.push(
            `values.${field}: only status, impact, urgency, priority, resolutionKind, slaMet, major and userConfirmed take value tables`,
          );
          continue;
        }
        if (!isObj(table)) {
          issues.push(`values.${field}: must be an object of source value -> our value`);
          continue;
        }
        for (const [from, to] of Object.entries(table)) {
          const bad = (what: string) => issues.push(`values.${field}["${from}"]: ${what}, got ${JSON.stringify(to)}`);
          if (field === 'status' && !(typeof to === 'string' && STATUS_TARGETS.has(to)))
            bad(`must be one of ${INCIDENT_STATUSES.join(', ')} or ON_HOLD:<${HOLD_REASONS.join('|')}>`);
          if ((field === 'impact' || field === 'urgency') && ![1, 2, 3].includes(to as number)) bad('must be 1, 2 or 3');
          if (field === 'priority' && ![1, 2, 3, 4, 5].includes(to as number)) bad('must be 1 to 5');
          if (field === 'resolutionKind' && !(RESOLUTION_KINDS as readonly unknown[]).includes(to))
            bad(`must be one of ${RESOLUTION_KINDS.join(', ')}`);
          if (field === 'slaMet' && !(to === true || to === false || to === 'MET' || to === 'BREACHED'))
            bad('must be true, false, "MET" or "BREACHED"');
          if ((field === 'major' || field === 'userConfirmed') && typeof to !== 'boolean') bad('must be true or false');
        }
      }
    }
  }
  if (m.defaults !== undefined && !isObj(m.defaults)) issues.push('defaults: must be an object');
  else if (isObj(m.defaults)) {
    const d = m.defaults;
    if (d.impact !== undefined && ![1, 2, 3].includes(d.impact as number)) issues.push('defaults.impact: must be 1, 2 or 3');
    if (d.urgency !== undefined && ![1, 2, 3].includes(d.urgency as number)) issues.push('defaults.urgency: must be 1, 2 or 3');
    if (d.status !== undefined && !STATUS_TARGETS.has(d.status as string)) issues.push('defaults.status: must be a status');
    if (d.resolutionKind !== undefined && !(RESOLUTION_KINDS as readonly unknown[]).includes(d.resolutionKind))
      issues.push(`defaults.resolutionKind: must be one of ${RESOLUTION_KINDS.join(', ')}`);
  }
  text('titleTemplate', m.titleTemplate, 1000);
  text('descriptionTemplate', m.descriptionTemplate, 5000, false);
  if (issues.length) throw new MappingError(`${where} is not a valid mapping:\n  ${issues.join('\n  ')}`);
  return {
    ...(m as unknown as ImportMapping),
    name: (m.name as string) ?? where,
    source: (m.source as string) ?? (m.name as string) ?? 'import',
  };
}

export function loadMappingFile(path: string): ImportMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new MappingError(`Cannot read the mapping file ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new MappingError(`The mapping file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return validateMapping(raw, path);
}
