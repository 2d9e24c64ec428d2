import { dateProblem, textProblem } from '@ikb/domain';
import { badInput } from '../errors';
import { isUuid } from '../ids';

/**
 * Page cursors are opaque to clients but come back from them: anything decoded from one is
 * checked as strictly as any other input before it reaches SQL (a forged cursor carrying year
 * 99999 or a NUL byte is bad input, not a database error).
 */
const notACursor = () => badInput('after', 'is not a cursor from this list');

/** A cursor's decoded text: one line of plain characters. */
export function cursorText(raw: string): string {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  if (!text || textProblem(text, { singleLine: true })) throw notACursor();
  return text;
}

/** The `|`-separated parts of a cursor, exactly `count` of them. */
export function cursorParts(raw: string, count: number): string[] {
  const parts = cursorText(raw).split('|');
  if (parts.length !== count) throw notACursor();
  return parts;
}

export function cursorDate(value: string | undefined): Date {
  const d = new Date(value ?? '');
  if (dateProblem(d)) throw notACursor();
  return d;
}

export function cursorId(value: string | undefined): string {
  if (!value || !isUuid(value)) throw notACursor();
  return value;
}

/** The common shape: created/opened time and id, `at|id`. */
export function timeCursor(raw: string): { at: Date; id: string } {
  const [at, id] = cursorParts(raw, 2);
  return { at: cursorDate(at), id: cursorId(id) };
}
