import { readFileSync } from 'node:fs';
import { MAPPED_FIELDS, mappingFileSchema, mappingIssues, type ColumnRef, type MappedField, type MappingFile } from './mapping.schema';

/**
 * A mapping says which column of another tool's export holds which incident field, and how its
 * values translate. Mapping files are JSON (documented in docs/imports.md); ServiceNow and this
 * tool's own export have built-in mappings.
 */

export { MAPPED_FIELDS, type ColumnRef, type MappedField } from './mapping.schema';
export const DATE_FIELDS: MappedField[] = (Object.keys(MAPPED_FIELDS) as MappedField[]).filter((f) => MAPPED_FIELDS[f] === 'date');

/** A mapping file as checked (mapping.schema.ts says what each key means), with its name and source filled in. */
export type ImportMapping = Omit<MappingFile, 'name' | 'source' | 'columns'> & {
  /** What the mapping is for, shown in messages. */
  name: string;
  /** The source tool, written on timeline events ("Imported from ServiceNow"). */
  source: string;
  /** A file must map openedAt; a refused run is recorded with a mapping that maps nothing. */
  columns: Partial<Record<MappedField, ColumnRef>>;
};

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

/** Checks a mapping read from a file; every problem is named, with its path. */
export function validateMapping(raw: unknown, where = 'mapping'): ImportMapping {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new MappingError(`${where}: must be a JSON object`);
  const parsed = mappingFileSchema.safeParse(raw);
  if (!parsed.success) throw new MappingError(`${where} is not a valid mapping:\n  ${mappingIssues(parsed.error.issues).join('\n  ')}`);
  const m = parsed.data;
  return { ...m, name: m.name ?? where, source: m.source ?? m.name ?? 'import' };
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
