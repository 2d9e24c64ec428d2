/**
 * What text and dates every way in (GraphQL, alert ingestion, file imports, CLI) accepts. One set of
 * rules, so a title refused by the API cannot come in through an alert or a CSV row instead.
 */

/** Characters no stored text may hold: C0 controls other than tab, LF and CR; DEL; C1 controls. */
// oxlint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** A UTF-16 surrogate without its partner: not a character, and not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Line breaks and tabs: a single-line field (title, name, code) is shown on one line. */
const LINE_BREAK = /[\t\n\r\u2028\u2029\u0085]/;
/**
 * Bidirectional formatting controls (LRM, RLM, ALM, embeddings, overrides, isolates): they make
 * text display in another order than it is stored ("Trojan Source"), e.g. a title that reads as
 * another incident's number.
 */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/**
 * Invisible characters with no use in a one-line label: zero-width space, word joiner, BOM,
 * Mongolian vowel separator, soft hyphen. ZWJ and ZWNJ (U+200D, U+200C) stay allowed: emoji
 * sequences and Persian and Indic scripts need them.
 */
const INVISIBLE = /[\u200B\u2060\uFEFF\u180E\u00AD]/;

export interface TextRule {
  /** One line: no line breaks or tabs, no bidi controls, no invisible characters. */
  singleLine?: boolean;
  /** Most characters (UTF-16 code units, as String.length and GraphQL's MaxLength count). */
  max?: number;
}

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `value` is refused under `rule`, naming the offending character and its position; null when acceptable. */
export function textProblem(value: string, rule: TextRule = {}): string | null {
  if (rule.max !== undefined && value.length > rule.max) return `must be at most ${rule.max} characters (got ${value.length})`;
  const checks: [RegExp, string][] = [
    [CONTROL, 'a control character'],
    [LONE_SURROGATE, 'an unpaired surrogate (not a character)'],
  ];
  if (rule.singleLine)
    checks.push(
      [LINE_BREAK, 'a line break or tab (this field is one line)'],
      [BIDI, 'a bidirectional control character'],
      [INVISIBLE, 'an invisible character'],
    );
  for (const [re, what] of checks) {
    const m = re.exec(value);
    if (m) return `contains ${what}, ${codePoint(m[0])}, at position ${m.index + 1}`;
  }
  return null;
}

/**
 * An email as stored and compared: NFKC (full-width and compatibility forms folded), invisible
 * characters removed, trimmed, lower case. `sp\u200b@example.com` and `ｓｐ@example.com` are the
 * same account as `sp@example.com`.
 */
export function normalizeEmail(email: string): string {
  return email
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\u2060\uFEFF\u180E\u00AD]/g, '')
    .trim()
    .toLowerCase();
}

/** Dates the system accepts anywhere: incident history starts no earlier, plans reach no later. */
export const DATE_MIN = new Date('1970-01-01T00:00:00Z');
export const DATE_MAX = new Date('2100-01-01T00:00:00Z');

/** Why a date is refused (not a date, or outside DATE_MIN..DATE_MAX); null when acceptable. */
export function dateProblem(d: Date): string | null {
  const t = d.getTime();
  if (Number.isNaN(t)) return 'is not a date';
  if (t < DATE_MIN.getTime() || t >= DATE_MAX.getTime())
    return `must be between ${DATE_MIN.toISOString().slice(0, 10)} and ${DATE_MAX.toISOString().slice(0, 10)} (got ${d.toISOString()})`;
  return null;
}
