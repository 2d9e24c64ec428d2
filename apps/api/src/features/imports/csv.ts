/**
 * RFC 4180 CSV: quoted fields with "" escapes and line breaks inside quotes, CRLF or LF, a
 * leading byte-order mark, and comma, semicolon or tab as the delimiter (guessed from the header
 * line). No dependency: a single pass over the text with charCodeAt. Rows can be streamed to a
 * callback and columns left out (read as ""), so a large file never has to be held as strings.
 */

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** Spreadsheet row number of each data row: the header is row 1, the first data row is row 2. */
  rowNumbers: number[];
  delimiter: string;
}

export class CsvError extends Error {}

const QUOTE = 34;
const CR = 13;
const LF = 10;

export function guessDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    // Count outside quotes only.
    let count = 0;
    let quoted = false;
    for (let i = 0; i < first.length; i++) {
      const c = first[i];
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === d) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

const stripBom = (input: string) => (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);

/**
 * Calls `onRecord` with each record's fields and its number (the header is record 1). Fields whose
 * index is false in `keep` are returned as "" without being copied out of the text.
 */
export function scanCsv(input: string, delimiter: string, onRecord: (fields: string[], recordNumber: number) => void | false, keep?: readonly boolean[]): void {
  const text = stripBom(input);
  const D = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let record: string[] = [];
  let count = 0;
  let line = 1;
  const emit = () => {
    count++;
    const r = record;
    record = [];
    return onRecord(r, count);
  };
  while (i < n) {
    const wanted = !keep || count === 0 || keep[record.length] === true;
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Quoted field: runs to the closing quote; "" is one quote.
      let value = '';
      let start = i + 1;
      let j = start;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new CsvError(`row ${count + 1}: a quoted field is never closed (starting on line ${line})`);
        if (text.charCodeAt(q + 1) === QUOTE) {
          if (wanted) value += text.slice(start, q + 1);
          start = j = q + 2;
          continue;
        }
        if (wanted) value += text.slice(start, q);
        for (let k = i; k < q; k++) if (text.charCodeAt(k) === LF) line++;
        i = q + 1;
        break;
      }
      // Whatever follows the closing quote up to the delimiter is kept (lenient, like spreadsheets).
      let j2 = i;
      while (j2 < n) {
        const d = text.charCodeAt(j2);
        if (d === D || d === LF || d === CR) break;
        j2++;
      }
      if (wanted && j2 > i) value += text.slice(i, j2);
      i = j2;
      record.push(wanted ? value : '');
    } else {
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === D || d === LF || d === CR) break;
        j++;
      }
      record.push(wanted && j > i ? text.slice(i, j) : '');
      i = j;
    }
    // After a field: delimiter, end of record or end of text.
    if (i >= n) break;
    const d = text.charCodeAt(i);
    if (d === D) {
      i++;
      if (i >= n) record.push('');
      continue;
    }
    // End of record (CRLF, LF or CR).
    i += d === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    if (emit() === false) return;
  }
  if (record.length) emit();
}

/** The header line only (trimmed names). */
export function csvHeader(input: string, delimiter = guessDelimiter(stripBom(input))): string[] {
  let header: string[] = [];
  scanCsv(input, delimiter, (fields) => {
    header = fields.map((h) => h.trim());
    return false;
  });
  return header;
}

/** Blank lines (a single empty field) are not rows. */
export const isBlankRecord = (fields: string[]) => fields.length === 1 && fields[0] === '';

export function parseCsv(input: string, opts: { delimiter?: string } = {}): CsvTable {
  const delimiter = opts.delimiter ?? guessDelimiter(stripBom(input));
  let header: string[] = [];
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  scanCsv(input, delimiter, (fields, n) => {
    if (n === 1) header = fields.map((h) => h.trim());
    else if (!isBlankRecord(fields)) {
      rows.push(fields);
      rowNumbers.push(n);
    }
  });
  return { header, rows, rowNumbers, delimiter };
}

function quote(value: string, delimiter: string): string {
  if (value === '') return '';
  if (value.includes('"') || value.includes(delimiter) || value.includes('\n') || value.includes('\r') || /^\s|\s$/.test(value)) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[], delimiter = ','): string {
  return values.map((v) => quote(v === null || v === undefined ? '' : String(v), delimiter)).join(delimiter);
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[], delimiter = ','): string {
  let out = `${csvLine(header, delimiter)}\r\n`;
  for (const r of rows) out += `${csvLine(r, delimiter)}\r\n`;
  return out;
}
