/**
 * RFC 4180 CSV: quoted fields with "" escapes and line breaks inside quotes, CRLF or LF, a
 * leading byte-order mark, and comma, semicolon or tab as the delimiter (guessed from the header
 * line). No dependency: a single pass over the text with charCodeAt. Rows can be streamed to a
 * callback and columns left out (read as ""), so a large file never has to be held as strings.
 * Kept instead of csv-parse: the import's time target (120,000 rows, whole command, 10 s) rests on
 * reading the bytes once and skipping unmapped columns, which csv-parse's record objects do not allow.
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
export function scanCsv(
  input: string,
  delimiter: string,
  onRecord: (fields: string[], recordNumber: number) => void | false,
  keep?: readonly boolean[],
): void {
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

/** Buffer's own decoders (faster than toString(), which checks its arguments), present at run time. */
interface FastSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/** Byte offset where the text starts (after a UTF-8 byte-order mark). */
export const bomLength = (buf: Uint8Array) => (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);

/**
 * scanCsv over the bytes of a UTF-8 file, without decoding the whole file into one string (a
 * 100 MB export with a few accented letters would be a 200 MB two-byte string, decoded in
 * seconds): only the fields in `keep` are decoded, one by one. A field whose bytes are the same as
 * the same column's in the previous record is not decoded again: the previous record's string is
 * passed again (the same string, so readers can compare by reference). An export repeats most of
 * an incident's fields (its description too) on every update row.
 */
export function scanCsvBytes(
  buf: Buffer,
  delimiter: string,
  onRecord: (fields: string[], recordNumber: number) => void | false,
  keep?: readonly boolean[],
): void {
  const fast = buf as unknown as FastSlices;
  const D = delimiter.charCodeAt(0);
  const n = buf.length;
  let i = bomLength(buf);
  let record: string[] = [];
  let count = 0;
  // Per column, the previous record's raw bytes [start, end) and what they decoded to.
  const prevStart: number[] = [];
  const prevEnd: number[] = [];
  const prevValue: string[] = [];
  const same = (col: number, s: number, e: number): boolean => {
    const ps = prevStart[col];
    if (ps === undefined || prevEnd[col]! - ps !== e - s) return false;
    if (e - s > 32) return buf.compare(buf, ps, prevEnd[col]!, s, e) === 0;
    for (let k = 0; k < e - s; k++) if (buf[ps + k] !== buf[s + k]) return false;
    return true;
  };
  const remember = (col: number, s: number, e: number, value: string) => {
    prevStart[col] = s;
    prevEnd[col] = e;
    prevValue[col] = value;
    return value;
  };
  const lineOf = (pos: number) => {
    let line = 1;
    for (let k = buf.indexOf(LF); k >= 0 && k < pos; k = buf.indexOf(LF, k + 1)) line++;
    return line;
  };
  const emit = () => {
    count++;
    const r = record;
    record = [];
    return onRecord(r, count);
  };
  while (i < n) {
    const col = record.length;
    const wanted = !keep || count === 0 || keep[col] === true;
    const start = i;
    let value = '';
    if (buf[i] === QUOTE) {
      // Quoted field: runs to the closing quote; "" is one quote.
      let j = i + 1;
      let q: number;
      let escaped = false;
      for (;;) {
        q = buf.indexOf(QUOTE, j);
        if (q < 0) throw new CsvError(`row ${count + 1}: a quoted field is never closed (starting on line ${lineOf(i)})`);
        if (buf[q + 1] === QUOTE) {
          escaped = true;
          j = q + 2;
          continue;
        }
        break;
      }
      // Whatever follows the closing quote up to the delimiter is kept (lenient, like spreadsheets).
      let j2 = q + 1;
      while (j2 < n) {
        const d = buf[j2];
        if (d === D || d === LF || d === CR) break;
        j2++;
      }
      if (wanted) {
        if (count > 0 && same(col, start, j2)) value = prevValue[col]!;
        else {
          value = fast.utf8Slice(start + 1, q);
          if (escaped) value = value.replace(/""/g, '"');
          if (j2 > q + 1) value += fast.utf8Slice(q + 1, j2);
          if (count > 0) remember(col, start, j2, value);
        }
      }
      i = j2;
    } else {
      let j = i;
      let high = 0;
      while (j < n) {
        const d = buf[j]!;
        if (d === D || d === LF || d === CR) break;
        high |= d;
        j++;
      }
      if (wanted && j > i) {
        if (count > 0 && same(col, i, j)) value = prevValue[col]!;
        else {
          value = high < 0x80 ? fast.latin1Slice(i, j) : fast.utf8Slice(i, j);
          if (count > 0) remember(col, i, j, value);
        }
      }
      i = j;
    }
    record.push(value);
    // After a field: delimiter, end of record or end of text.
    if (i >= n) break;
    const d = buf[i];
    if (d === D) {
      i++;
      if (i >= n) record.push('');
      continue;
    }
    // End of record (CRLF, LF or CR).
    i += d === CR && buf[i + 1] === LF ? 2 : 1;
    if (emit() === false) return;
  }
  if (record.length) emit();
}

/** The first line of a UTF-8 file, decoded (to find the delimiter and the header). */
export function firstLineOf(buf: Buffer): string {
  const start = bomLength(buf);
  let end = buf.indexOf(LF, start);
  if (end < 0) end = buf.length;
  // A quoted header name may hold a line break: take a little more, scanCsv stops after the first record.
  return buf.toString('utf8', start, Math.min(buf.length, Math.max(end + 1, start + 65_536)));
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

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null | undefined)[])[],
  delimiter = ',',
): string {
  let out = `${csvLine(header, delimiter)}\r\n`;
  for (const r of rows) out += `${csvLine(r, delimiter)}\r\n`;
  return out;
}
