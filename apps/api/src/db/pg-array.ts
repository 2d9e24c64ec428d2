import { ArrayType, type Platform, type TransformContext } from '@mikro-orm/core';

/**
 * A text[] literal for a `?::text[]` binding: the query builder would otherwise expand an array
 * binding into a comma-separated list.
 */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/**
 * A text[] column for entities. MikroORM's own ArrayType writes elements unquoted unless they hold
 * `"{},\`, so the text NULL becomes an SQL NULL and surrounding spaces are dropped; this writes
 * every element quoted (pgTextArray). The pg driver hands text[] back as an array already.
 */
export class TextArrayType extends ArrayType<string> {
  override convertToDatabaseValue(value: string[] | null, platform: Platform, context?: TransformContext): string | null {
    return Array.isArray(value) ? pgTextArray(value) : super.convertToDatabaseValue(value, platform, context);
  }
}
