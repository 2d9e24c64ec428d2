// Shared shape for refusing bad SLA input: every problem at once, each with
// the path of the offending field, so an admin form can mark all of them.

export interface InputIssue {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[] };

export class SlaInputError extends Error {
  constructor(
    readonly what: string,
    readonly issues: InputIssue[],
  ) {
    super(`Invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'SlaInputError';
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
