// Every table the API exports as CSV, by the name in its URL: GET /export/<name>.csv.
import { DASHBOARD_TABLES } from './dashboard.exports';
import { DASHBOARD_MORE_TABLES } from './dashboard-more.exports';
import type { ExportTable } from './export.types';
import { KNOWLEDGE_SEARCH_TABLES } from './knowledge-search.exports';
import { LEARNING_TABLES } from './learning.exports';

export const EXPORT_TABLES: Readonly<Record<string, ExportTable>> = Object.freeze({
  ...DASHBOARD_TABLES,
  ...DASHBOARD_MORE_TABLES,
  ...LEARNING_TABLES,
  ...KNOWLEDGE_SEARCH_TABLES,
});

export function exportTable(name: string): ExportTable | undefined {
  return Object.hasOwn(EXPORT_TABLES, name) ? EXPORT_TABLES[name] : undefined;
}
