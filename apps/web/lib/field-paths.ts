// Which control answers for an API input path: the list entries of a form's input.
import type { FieldError } from './errors';

/**
 * Gives the messages about entries of a list one field key each, so a message lands at the control
 * that shows that list or row: atList(errors, 'terms', (i) => `terms-${i}`) sends "input.terms[2].responseMinutes"
 * to the Field with field="terms-2"; without `row`, every entry's message goes to the field named `list`.
 */
export function atList(errors: FieldError[], list: string, row?: (index: number) => string): FieldError[] {
  const entry = new RegExp(`(?:^|\\.)${list}(?:\\[(\\d+)\\]|\\.(\\d+))?(?:\\.|\\[|$)`);
  return errors.map((e) => {
    const m = e.field ? entry.exec(e.field) : null;
    if (!m) return e;
    const index = m[1] ?? m[2];
    return { ...e, field: row && index !== undefined ? row(Number(index)) : list };
  });
}
