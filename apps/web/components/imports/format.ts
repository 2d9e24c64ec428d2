// Words and numbers of the import history (/admin/imports): outcome and refusal labels, counts and
// durations. The codes are the API's (schema.graphql: ImportOutcome, ImportRun.refusalReason).
import type { ImportOutcome } from '@/gql/graphql';
import { humanize } from '@/lib/format';

/** In the order the filter shows them. */
export const OUTCOMES = ['IMPORTED', 'REFUSED', 'DRY_RUN', 'FAILED'] as const satisfies readonly ImportOutcome[];

export const OUTCOME_LABELS: Record<ImportOutcome, string> = {
  IMPORTED: 'Imported',
  REFUSED: 'Refused',
  DRY_RUN: 'Dry run',
  FAILED: 'Failed',
};

export function isOutcome(value: string): value is ImportOutcome {
  return (OUTCOMES as readonly string[]).includes(value);
}

const REFUSAL_LABELS: Record<string, string> = {
  INVALID_ROWS: 'Invalid rows',
  AMBIGUOUS_DATES: 'Ambiguous dates',
  MIXED_DATES: 'Mixed date formats',
  BAD_FILE: 'Unreadable file',
  MISSING_COLUMNS: 'Missing columns',
  BAD_OPTION: 'Bad option',
  BAD_MAPPING: 'Bad mapping file',
};

/** "INVALID_ROWS" -> "Invalid rows" (a code the API adds later is humanized). */
export function refusalLabel(reason: string): string {
  return REFUSAL_LABELS[reason] ?? humanize(reason);
}

/** 1200 -> "1,200"; null (not known for this run) -> "—". */
export function formatCount(n: number | null | undefined): string {
  return n == null ? '—' : n.toLocaleString('en-GB');
}

/** 350 -> "350 ms", 1234 -> "1.2 s", 125000 -> "2 min 5 s", 3723000 -> "1 h 2 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** Who ran it: the operating-system user and host, or (not known) the name on the timeline events. */
export function ranByLabel(run: { ranBy?: string | null; actorName: string }): string {
  return run.ranBy ?? run.actorName;
}
