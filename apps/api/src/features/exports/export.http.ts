// GET /export/<table>.csv?<filter>: an analytics table as CSV, for scripts (API token) and for the
// web app (which forwards the browser's session). The table's GraphQL query runs with the caller's
// context, so the role checks, the filter's validation and the statement budget are the page's.
// The first page is asked before answering, so a refused or malformed request gets its real status
// and a sentence instead of a half-written file; then rows go out in slices as the socket takes
// them (a slow reader holds one slice, not the file), and tables of many rows page by cursor.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CSV_BOM, CSV_CONTENT_TYPE, csvLine, type CsvValue } from '@ikb/domain';
import { sendJson } from '../../http/respond';
import { aboutLines, type Run } from './export.about';
import { parseExportParams } from './export.params';
import { EXPORT_TABLES, exportTable } from './export.tables';

export const EXPORT_PREFIX = '/export/';
const SLICE = 500;

const STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
};

type GqlError = { message?: string; extensions?: { code?: string; [k: string]: unknown } };

function refuse(res: ServerResponse, status: number, code: string, message: string, requestId: string, extra: object = {}): void {
  sendJson(
    res,
    status,
    { errors: [{ message, extensions: { code, requestId, ...extra } }] },
    status === 401 ? { 'www-authenticate': 'Bearer' } : {},
  );
}

function write(res: ServerResponse, text: string): Promise<void> {
  if (res.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      res.off('drain', drained);
      res.off('close', closed);
    };
    const drained = () => {
      cleanup();
      resolve();
    };
    const closed = () => {
      cleanup();
      reject(new Error('the client went away'));
    };
    res.once('drain', drained);
    res.once('close', closed);
  });
}

async function writeRows(res: ServerResponse, rows: CsvValue[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += SLICE)
    await write(
      res,
      rows
        .slice(i, i + SLICE)
        .map(csvLine)
        .join(''),
    );
}

/** "sla-by-service_2025-12-07_2026-12-06.csv": the range for the dashboard's tables, else the day it was made. */
function fileName(name: string, view: { from: string; to: string } | null): string {
  return `${name}_${view ? `${view.from}_${view.to}` : new Date().toISOString().slice(0, 10)}.csv`;
}

/** Answers a request under /export/ (the caller is already authenticated and within its rate limit). */
export async function handleExport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  run: Run,
  requestId: string,
  /** With EXPOSE_SQL_COUNT: the statements run so far, sent as X-Sql-Statements (those of the first page). */
  statements?: () => number,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'Exports are read with GET', requestId);
  }
  const name = url.pathname.slice(EXPORT_PREFIX.length).replace(/\.csv$/, '');
  const table = exportTable(name);
  if (!table)
    return refuse(
      res,
      404,
      'NOT_FOUND',
      `There is no table "${name.slice(0, 60)}" to export. Tables: ${Object.keys(EXPORT_TABLES).join(', ')}`,
      requestId,
    );
  const params = parseExportParams(table.params, url.searchParams);
  if ('problems' in params) {
    const text = params.problems.map((p) => `${p.param}: ${p.message}`).join('; ');
    return refuse(res, 400, 'BAD_USER_INPUT', `The export's parameters are wrong: ${text}`, requestId, {
      field: params.problems[0]?.param,
      params: params.problems,
    });
  }
  const first = await run(table.query, table.variables(params, null));
  const error = (first.errors?.[0] ?? (first.data ? undefined : { message: 'No data' })) as GqlError | undefined;
  if (error) {
    const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    const field = error.extensions?.field;
    return refuse(
      res,
      STATUS[code] ?? 500,
      code,
      `The ${name} table could not be exported: ${error.message ?? code}`,
      requestId,
      field ? { field } : {},
    );
  }
  const data = first.data;
  const headers: Record<string, string> = {
    'content-type': CSV_CONTENT_TYPE,
    'content-disposition': `attachment; filename="${fileName(name, table.params === 'dashboard' ? params.view : null)}"`,
    'cache-control': 'no-store',
  };
  const asOf = table.asOf?.(data);
  if (asOf) headers['x-figures-as-of'] = new Date(asOf).toISOString();
  if (statements) headers['x-sql-statements'] = String(statements());
  const rows = table.rows(data, params);
  let next = table.next?.(data) ?? null;
  const total = table.total?.(data) ?? (next === null ? rows.length : undefined);
  if (total !== undefined) headers['x-export-rows'] = String(total);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return void res.end();
  const head: CsvValue[][] = params.about ? await aboutLines(table, params, data, run) : [];
  await write(res, (params.bom ? CSV_BOM : '') + head.map(csvLine).join('') + csvLine(table.columns(data, params)));
  await writeRows(res, rows);
  while (next !== null) {
    const page = await run(table.query, table.variables(params, next));
    // A page failing midway cuts the answer short (no final chunk): the client sees an incomplete
    // transfer rather than a file that looks whole.
    if (page.errors?.length || !page.data) return void res.destroy(new Error('a later page of the export failed'));
    await writeRows(res, table.rows(page.data, params));
    next = table.next?.(page.data) ?? null;
  }
  res.end();
}
