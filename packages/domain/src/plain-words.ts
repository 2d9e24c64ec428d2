// Field paths and codes as people read them: "input.dueDate" -> "Due date", "facilitatorId" ->
// "Facilitator", "CUSTOMER_IMPACT" -> "Customer impact". Error messages and timelines use these
// so that no developer spelling reaches a user.
import { PRIORITY_LABELS } from './priority-matrix';

/** Words that a plain split would get wrong (abbreviations, and names whose id suffix matters). */
const LABELS: Record<string, string> = {
  externalRef: 'External reference',
  meetingAt: 'Meeting time',
  meetingMinutes: 'Meeting length',
  fixChangeRef: 'Fix change reference',
  slaPolicyVersion: 'SLA policy',
  slaPolicy: 'SLA policy',
  sla: 'SLA',
  url: 'URL',
  uri: 'URI',
  ics: 'iCalendar file',
  icsBase64: 'iCalendar file',
  csv: 'CSV',
  json: 'JSON',
  dr: 'Disaster recovery',
  rateCents: 'Rate',
  costCents: 'Cost',
  mttr: 'MTTR',
  mtta: 'MTTA',
  resolutionWorkaround: 'Workaround applied',
  userConfirmed: 'User confirmed',
  toTeam: 'Escalated to team',
  toUser: 'Escalated to user',
  incidentModel: 'Incident model',
  priorityOverrideReason: 'Reason for the manual priority',
  at: 'Time',
  to: 'Status',
  rows: 'Priority matrix',
  categoryKey: 'Factor category',
  first: 'Page size',
  after: 'Page cursor',
  detectedAt: 'Detection time',
  openedAt: 'Opening time',
  occurredAt: 'Time it happened',
  performedAt: 'Time of the work',
};

const ACRONYMS = new Set(['sla', 'url', 'uri', 'id', 'csv', 'json', 'ics', 'dr', 'api', 'html']);

/** The last meaningful segment of a path: "input.steps.2.title" -> "title"; list indexes are skipped. */
function lastName(path: string): string {
  const parts = path
    .replace(/\[\d+\]/g, '')
    .split('.')
    .filter((p) => p !== '' && !/^\d+$/.test(p));
  return parts.at(-1) ?? path;
}

/** A field name or path in words, capitalised: "facilitatorId" -> "Facilitator", "input.dueDate" -> "Due date". */
export function fieldLabel(path: string): string {
  // One entry of a list is named by its place: "input.terms.1" -> "Term 2", "participants[0]" -> "Participant 1".
  const entry = /(?:^|\.)([A-Za-z]+)s(?:\.(\d+)|\[(\d+)\])$/.exec(path);
  if (entry) return `${fieldLabel(entry[1]!)} ${Number(entry[2] ?? entry[3]) + 1}`;
  let name = lastName(path);
  if (Object.hasOwn(LABELS, name)) return LABELS[name]!;
  // An id names the thing it points at: facilitatorId -> Facilitator, workaroundIds -> Workarounds.
  const id = /^(.+?)Ids?$/.exec(name);
  if (id && name !== 'Id') {
    const base = id[1]!;
    if (Object.hasOwn(LABELS, base)) return LABELS[base]!;
    name = name.endsWith('Ids') ? `${base}s` : base;
  }
  const words = name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An UPPER_SNAKE code in words: "CUSTOMER_IMPACT" -> "Customer impact", "FIVE_WHYS" -> "Five whys". */
export function codeLabel(code: string): string {
  const words = code
    .toLowerCase()
    .split('_')
    .filter(Boolean)
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "title and external reference": changed fields in words, for "Updated ..." summaries. */
export function changedInWords(fields: readonly string[]): string {
  return listInWords(fields.map((f) => lowerFirst(fieldLabel(f))));
}

/** Lower-cases the first word unless it is an abbreviation (SLA, URL). */
function lowerFirst(label: string): string {
  return /^[A-Z]{2,}\b/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/** "a, b and c". */
export function listInWords(items: readonly string[], join: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${join} ${items.at(-1)}`;
}

/**
 * Enum values whose words are not their plain split. The web app and the API's messages both read
 * values through valueLabel, so a status or role is spelled the same on screen and in a refusal.
 */
const VALUE_LABELS: Record<string, string> = {
  WONT_DO: "Won't do",
  NO_FIX_NEEDED: 'No fix needed',
  ESCALATED_TO_PROVIDER: 'Escalated to provider',
};

/** An enum value as people read it: "ON_HOLD" -> "On hold", "PROBLEM_MANAGER" -> "Problem manager". */
export function valueLabel(value: string): string {
  if (Object.hasOwn(VALUE_LABELS, value)) return VALUE_LABELS[value]!;
  return codeLabel(value.replace(/-/g, '_'));
}

/** Values in words, "Triaged, Investigating or On hold". */
export function valuesInWords(values: readonly string[], join: 'or' | 'and' = 'or'): string {
  return listInWords(values.map(valueLabel), join);
}

/** A value in the middle of a sentence: "is on hold", "is closed" (abbreviations keep their capitals). */
export function valueInSentence(value: string): string {
  return lowerFirst(valueLabel(value));
}

/** A priority as the web app shows it: 2 -> "P2 High". */
export function priorityInWords(p: number): string {
  const name = (PRIORITY_LABELS as Record<number, string | undefined>)[p];
  return name ? `P${p} ${name}` : `P${p}`;
}

/** The rest of an illegal-move refusal: "from Draft the status can move to In review" or "Published is final". */
export function movesFrom(from: string, to: readonly string[]): string {
  return to.length
    ? `from ${valueLabel(from)} the status can move to ${valuesInWords(to)}`
    : `${valueLabel(from)} is a final status: it cannot move on`;
}
