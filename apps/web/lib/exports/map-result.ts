import type { CsvPage } from '../csv-export';
import type { Result } from '../server';

/** A GraphQL result as one page of an export. */
export function pageOf<D, T>(res: Result<D>, read: (data: D) => CsvPage<T>): Result<CsvPage<T>> {
  return res.error !== undefined ? res : { data: read(res.data) };
}

/** Offset pages (lists without cursors): the next offset while a page came back full. */
export function nextOffset(after: string | null, got: number, size: number): string | null {
  return got < size ? null : String((Number(after) || 0) + size);
}
