import { ImportRefused } from '../import-refused';
import type { ImportKind } from '../import-options';
import { CsvError, csvHeader, firstLineOf, guessDelimiter, isBlankRecord, scanCsvBytes } from './csv';
import { JsonShapeError, jsonToTable } from './json-table';
import type { SourceTable } from './records';
import { looksLikeJson, tableApiToTable } from '../servicenow/table-api';

/**
 * The rows of a file, visited as often as needed. CSV is scanned from its text each time (only the
 * columns asked for are copied out), so a large file is never held as millions of strings; JSON is
 * small enough to flatten once.
 */
export interface RowSource {
  header: string[];
  /** About how many rows (CSV: line breaks; exact for JSON), for the progress bar. */
  estimatedRows: number;
  forEach(fn: (fields: string[], row: number) => void, keep?: readonly boolean[]): void;
  /** Whole rows by number (for the rejects file). */
  rows(numbers: ReadonlySet<number>): Map<number, string[]>;
  /** ServiceNow Table API JSON (servicenow/table-api.ts), read instead of a CSV export. */
  tableApi?: boolean;
  /** What the summary should tell the reader about the file (raw sys_ids used as names...). */
  warnings?: string[];
}

export function openSource(kind: ImportKind, name: string, buf: Buffer): RowSource {
  const refuse = (err: unknown): never => {
    if (err instanceof CsvError || err instanceof JsonShapeError)
      throw new ImportRefused('BAD_FILE', `${name} cannot be read: ${err.message}`);
    throw err;
  };
  // `import servicenow` reads the Table API's JSON as well as the CSV export: told apart by content
  // (the first character past spaces is { or [), whatever the file is called.
  const tableApi = kind === 'servicenow' && looksLikeJson(buf);
  if (kind === 'json' || tableApi) {
    let table: SourceTable & { warnings?: string[] };
    try {
      table = tableApi ? tableApiToTable(buf.toString('utf8')) : jsonToTable(buf.toString('utf8'));
    } catch (err) {
      return refuse(err);
    }
    return {
      tableApi,
      warnings: table.warnings,
      header: table.header,
      estimatedRows: table.rows.length,
      forEach: (fn) => table.rows.forEach((r, i) => fn(r, table.rowNumbers[i])),
      rows: (numbers) =>
        new Map(table.rows.flatMap((r, i) => (numbers.has(table.rowNumbers[i]) ? [[table.rowNumbers[i], r] as [number, string[]]] : []))),
    };
  }
  // CSV is scanned from its bytes: never decoded whole (see scanCsvBytes).
  const first = firstLineOf(buf);
  const delimiter = guessDelimiter(first);
  let header: string[];
  try {
    header = csvHeader(first, delimiter);
  } catch (err) {
    return refuse(err);
  }
  const scan = (fn: (fields: string[], row: number) => void, keep?: readonly boolean[]) => {
    try {
      scanCsvBytes(
        buf,
        delimiter,
        (fields, n) => {
          if (n > 1 && !isBlankRecord(fields)) fn(fields, n);
        },
        keep,
      );
    } catch (err) {
      refuse(err);
    }
  };
  return {
    header,
    estimatedRows: estimateLines(buf),
    forEach: scan,
    rows: (numbers) => {
      const out = new Map<number, string[]>();
      scan((fields, n) => {
        if (numbers.has(n)) out.set(n, fields);
      });
      return out;
    },
  };
}

/** Data lines of a file, for the progress bar: counted in the first megabyte, scaled to the whole. */
function estimateLines(buf: Buffer): number {
  const sample = Math.min(buf.length, 1 << 20);
  let lines = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < sample; i = buf.indexOf(10, i + 1)) lines++;
  if (sample < buf.length) lines = Math.round((lines * buf.length) / sample);
  else if (buf.length && buf[buf.length - 1] !== 10) lines++;
  return Math.max(1, lines - 1);
}
