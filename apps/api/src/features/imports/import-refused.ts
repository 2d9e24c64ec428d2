import type { RowProblem } from './file/records';

export type RefusalReason =
  'INVALID_ROWS' | 'AMBIGUOUS_DATES' | 'MIXED_DATES' | 'MIXED_LANGUAGES' | 'BAD_FILE' | 'MISSING_COLUMNS' | 'BAD_OPTION';

/** The file was not imported (nothing was written); `problems` names each bad row and why. */
export class ImportRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly problems: RowProblem[] = [],
  ) {
    super(message);
  }
}

const MAX_LISTED = 200;

export function describeProblems(problems: RowProblem[], label = 'row', max = MAX_LISTED): string {
  const lines = problems.slice(0, max).map((p) => `  ${label} ${p.row}: ${p.reasons.join('; ')}`);
  if (problems.length > max) lines.push(`  ... and ${problems.length - max} more`);
  return lines.join('\n');
}
