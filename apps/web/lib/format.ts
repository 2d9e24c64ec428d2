export const PRIORITY_LABELS: Record<number, string> = { 1: 'Critical', 2: 'High', 3: 'Moderate', 4: 'Low', 5: 'Planning' };
export const LEVEL_LABELS: Record<number, string> = { 1: 'High', 2: 'Medium', 3: 'Low' };

export const INCIDENT_STATUSES = ['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD', 'RESOLVED', 'CLOSED', 'REVIEWED'] as const;
export const OPEN_STATUSES = ['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD'] as const;
export const HOLD_REASONS = ['AWAITING_USER', 'AWAITING_VENDOR', 'AWAITING_PROBLEM', 'AWAITING_CHANGE'] as const;
export const RESOLUTION_KINDS = ['WORKAROUND', 'PERMANENT_FIX', 'NO_FIX_NEEDED', 'ESCALATED_TO_PROVIDER'] as const;
export const INCIDENT_SOURCES = ['USER_REPORT', 'ALERT', 'MONITORING', 'IMPORT'] as const;
export const PROBLEM_STATUSES = ['OPEN', 'KNOWN_ERROR', 'FIX_IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const;
export const ROOT_CAUSE_CATEGORIES = ['CHANGE', 'CAPACITY', 'SOFTWARE_DEFECT', 'CONFIGURATION', 'THIRD_PARTY', 'HUMAN_ERROR', 'HARDWARE', 'UNKNOWN'] as const;
export const WORKAROUND_STATUSES = ['ACTIVE', 'DRAFT', 'RETIRED'] as const;
export const REVIEW_STATUSES = ['DRAFT', 'IN_REVIEW', 'PUBLISHED'] as const;
export const ACTION_ITEM_KINDS = ['PREVENT', 'DETECT', 'MITIGATE', 'PROCESS'] as const;
export const ACTION_ITEM_STATUSES = ['OPEN', 'IN_PROGRESS', 'DONE', 'WONT_DO'] as const;
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/** "ON_HOLD" -> "On hold", "AWAITING_USER" -> "Awaiting user". */
export function humanize(value: string | null | undefined): string {
  if (!value) return '—';
  const words = value.replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function priorityLabel(p: number): string {
  return `P${p} ${PRIORITY_LABELS[p] ?? ''}`.trim();
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** Dates are shown in UTC on the server and in the browser alike, so hydration never disagrees. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${dateTime.format(d)} UTC`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

/** 95 -> "1 h 35 min", 3000 -> "2 d 2 h". */
export function formatMinutes(total: number | null | undefined): string {
  if (total == null || Number.isNaN(total)) return '—';
  const m = Math.round(Math.abs(total));
  const sign = total < 0 ? '−' : '';
  if (m < 60) return `${sign}${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${sign}${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `${sign}${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

export function formatCents(cents: number | null | undefined): string {
  if (cents == null) return '—';
  return (cents / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function formatShare(share: number | null | undefined): string {
  if (share == null) return '—';
  return `${Math.round(share * 100)} %`;
}

/** <input type="datetime-local"> value (UTC) -> ISO; empty -> undefined. */
export function localInputToIso(value: FormDataEntryValue | null): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const d = new Date(`${value}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
