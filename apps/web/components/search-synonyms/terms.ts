// Terms are typed as one line, separated by commas: a comma can never be part of a term (the API
// allows letters, digits, spaces and . - _ / + # ' only), so splitting on it is unambiguous.
import { SYNONYM_LIMITS, SYNONYM_TERM_CHARACTERS } from '@ikb/domain';

export const TERMS_HINT =
  `${SYNONYM_LIMITS.minTerms} to ${SYNONYM_LIMITS.maxTerms} terms separated by commas, e.g. "db, database" or "oom, out of memory". ` +
  `Each 1 to ${SYNONYM_LIMITS.maxTermWords} words of at most ${SYNONYM_LIMITS.maxTermLength} characters: ${SYNONYM_TERM_CHARACTERS}.`;

/** The terms of the input line, as typed (the API normalises them); empty pieces ("db,,x") dropped. */
export function parseTerms(line: string): string[] {
  return line
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

export const termsLine = (terms: readonly string[]) => terms.join(', ');

/**
 * The API names a refused term by its place ("Term 3 has 5 words ..."): show the term the admin
 * typed too ("Term 3, “a b c d e”: has 5 words ...").
 */
export function describeTermError(message: string | null, terms: readonly string[]): string | null {
  if (!message) return null;
  return message
    .replace(/^Term (\d+):? /, (_, n: string) => {
      const term = terms[Number(n) - 1];
      const shown = term === undefined ? '' : `, “${term.length > 60 ? `${term.slice(0, 60)}…` : term}”`;
      return `Term ${n}${shown}: `;
    })
    .replace(/\b(?:input\.)?terms: /, 'Terms: ');
}
