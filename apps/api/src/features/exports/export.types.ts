// What one CSV export of the API is: the GraphQL query it runs (so the caller's role, the
// filter's validation and the statement budget are those of the page it mirrors), the URL
// parameters it reads, and how the answer becomes header and rows. Tables are listed in
// export.tables.ts; export.http.ts streams them.
import type { CsvValue } from '@ikb/domain';
import type { ExportParams, ParamKind } from './export.params';

// GraphQL answers are plain JSON; each table reads its own shape.
// oxlint-disable-next-line typescript/no-explicit-any
export type Data = any;

export interface ExportTable {
  /** Said in the file's about lines and its name ("time-to-resolve-by-service"). */
  title: string;
  /** Which URL parameters it reads (export.params.ts). */
  params: ParamKind;
  /** The GraphQL document; its variables are those `variables` builds. */
  query: string;
  variables: (p: ExportParams, after: string | null) => Record<string, unknown>;
  columns: (d: Data, p: ExportParams) => string[];
  rows: (d: Data, p: ExportParams) => CsvValue[][];
  /** How many rows the file will hold, when more pages follow (sent as X-Export-Rows). */
  total?: (d: Data) => number;
  /** Tables of many rows: the cursor of the next page, null at the end (one page otherwise). */
  next?: (d: Data) => string | null;
  /** The metrics the figures are (their definitions go in the about lines). */
  metricIds?: (d: Data) => (string | null | undefined)[];
  /** When the figures are from (the about lines and the X-Figures-As-Of header). */
  asOf?: (d: Data) => string | null | undefined;
}

/** Six decimals at most: what a spreadsheet shows, without float noise (0.30000000000000004). */
export const r6 = (v: number | null | undefined): number | null => (v == null ? null : Math.round(v * 1e6) / 1e6);
/** A ratio as a percentage, six decimals. */
export const pct = (v: number | null | undefined): number | null => (v == null ? null : Math.round(v * 100 * 1e6) / 1e6);

/**
 * A query's variable declarations for the variables its body uses: GraphQL refuses a declared
 * variable the operation never uses, and the tables share their variables builders.
 */
export function declare(body: string, vars: Record<string, string>): string {
  const used = Object.entries(vars).filter(([name]) => new RegExp(`\\$${name}\\b`).test(body));
  return used.length ? `(${used.map(([name, type]) => `$${name}: ${type}`).join(', ')})` : '';
}
