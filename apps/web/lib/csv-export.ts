// A list as a CSV download, streamed page by page through the same GraphQL query the list page
// runs, with the browser's session: the same filters and the same permission checks as the list,
// by construction. The first page is fetched before answering, so a refused or malformed request
// gets its real status (400/401/403/404) instead of a half-written file; after that, rows are sent
// as each page arrives, so memory stays one page however long the export.
import { CSV_BOM, CSV_CONTENT_TYPE, csvFileName, csvLine, type CsvValue } from './csv';
import { statusForFailure } from './errors';
import type { Result } from './server';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

export interface CsvPage<T> {
  rows: T[];
  /** Where the next page starts (cursor or offset); null at the end. */
  next: string | null;
  /** All rows matching, when the API says. */
  total?: number;
}

export interface CsvSource<T> {
  /** File name stem ("incidents"). */
  name: string;
  columns: CsvColumn<T>[];
  page: (after: string | null) => Promise<Result<CsvPage<T>>>;
}

function failureResponse(res: { error: string; codes?: string[]; status?: number; retryAfter?: string }, what: string): Response {
  const status = statusForFailure(res);
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (res.retryAfter && (status === 429 || status === 503)) headers['retry-after'] = res.retryAfter;
  return new Response(`The ${what} could not be exported: ${res.error}\n`, { status, headers });
}

export async function csvExport<T>(source: CsvSource<T>): Promise<Response> {
  const first = await source.page(null);
  if (first.error !== undefined) return failureResponse(first, source.name);
  const encoder = new TextEncoder();
  const lines = (rows: T[]) => rows.map((r) => csvLine(source.columns.map((c) => c.value(r)))).join('');
  // No row cap: every matching row is sent, one API page at a time as the client reads (pull), so
  // a long list costs time, not memory, and a file never ends early without saying so.
  let next = first.data.rows.length ? first.data.next : null;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const head = CSV_BOM + csvLine(source.columns.map((c) => c.header));
      controller.enqueue(encoder.encode(head + lines(first.data.rows)));
      if (next === null) controller.close();
    },
    async pull(controller) {
      if (next === null) return;
      const res = await source.page(next);
      // A page failing midway ends the download with an error (the browser marks it failed) rather
      // than a file that looks complete and is not.
      if (res.error !== undefined) return controller.error(new Error(res.error));
      controller.enqueue(encoder.encode(lines(res.data.rows)));
      next = res.data.rows.length ? res.data.next : null;
      if (next === null) controller.close();
    },
  });
  const headers: Record<string, string> = {
    'content-type': CSV_CONTENT_TYPE,
    'content-disposition': `attachment; filename="${csvFileName(source.name)}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  // How many rows match when the export starts (the file holds them all; rows added meanwhile may join).
  if (first.data.total !== undefined) headers['x-export-rows'] = String(first.data.total);
  return new Response(stream, { headers });
}
