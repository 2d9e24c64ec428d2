// Labels and formatting shared by pages and forms. The status and kind lists come from @ikb/domain
// (import them from there); only lists the domain does not model live here.
import { PRIORITY_LABELS as DOMAIN_PRIORITY_LABELS, valueLabel } from '@ikb/domain';

/** P1 Critical .. P5 Planning (the domain's labels, indexable by any number). */
export const PRIORITY_LABELS: Readonly<Record<number, string>> = DOMAIN_PRIORITY_LABELS;
export const LEVEL_LABELS: Record<number, string> = { 1: 'High', 2: 'Medium', 3: 'Low' };

export const INCIDENT_SOURCES = ['USER_REPORT', 'ALERT', 'MONITORING', 'IMPORT'] as const;
export const WORKAROUND_STATUSES = ['ACTIVE', 'DRAFT', 'RETIRED'] as const;

/**
 * "ON_HOLD" -> "On hold", "WONT_DO" -> "Won't do": the domain's label table, which the API's
 * messages use too, so a status reads the same on screen and in a refusal.
 */
export function humanize(value: string | null | undefined): string {
  if (!value) return '—';
  return valueLabel(value);
}

export function priorityLabel(p: number): string {
  return `P${p} ${PRIORITY_LABELS[p] ?? ''}`.trim();
}

// Dates have one format for the whole app, in lib/dates.ts; re-exported so existing imports keep working.
export { formatDate, formatDateTime } from './dates';

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
