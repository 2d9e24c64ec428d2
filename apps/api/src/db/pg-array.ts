/**
 * A text[] literal for a `?::text[]` binding: the query builder would otherwise expand an array
 * binding into a comma-separated list.
 */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
