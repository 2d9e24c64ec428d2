// CSV as RFC 4180 says (comma, CRLF, fields with a comma, quote or line break quoted, quotes doubled),
// made safe for spreadsheets: a cell a spreadsheet would run as a formula (= + - @ tab CR first) is
// prefixed with ' (OWASP's advice), so an incident titled "=HYPERLINK(...)" stays text. Shared by
// the API's CSV exports and the web app's, so a file reads the same whichever wrote it.

export const CSV_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value == null) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  let s = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  // Numbers are ours (counts, shares): a negative number is a number, not a formula.
  if (typeof value !== 'number' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** 'incidents-2026-12-06.csv' style names, reduced to characters every file system and header accepts. */
export function csvFileName(base: string, now = new Date()): string {
  return `${base.replace(/[^A-Za-z0-9-]+/g, '-')}-${now.toISOString().slice(0, 10)}.csv`;
}
