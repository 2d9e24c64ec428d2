import type { CsvPage } from '../csv-export';
import type { Result } from '../server';

/** A GraphQL result as one page of an export. */
export function pageOf<D, T>(res: Result<D>, read: (data: D) => CsvPage<T>): Result<CsvPage<T>> {
  return res.error !== undefined ? res : { data: read(res.data) };
}
