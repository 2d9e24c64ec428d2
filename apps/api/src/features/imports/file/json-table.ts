import type { SourceTable } from './records';

/**
 * JSON exports as a table: a list of objects (or an object holding one, such as {"issues": [...]}
 * or this tool's {"incidents": [...]}). Nested objects become dotted columns ("fields.summary")
 * and are also kept whole as JSON under their own name; lists of plain values are joined with ", ".
 */
export class JsonShapeError extends Error {}

const LIST_KEYS = ['incidents', 'issues', 'items', 'records', 'rows', 'data', 'results', 'values'];

export function jsonToTable(text: string): SourceTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new JsonShapeError(`not valid JSON: ${(err as Error).message}`);
  }
  let list: unknown = raw;
  if (!Array.isArray(raw) && typeof raw === 'object' && raw !== null) {
    const obj = raw as Record<string, unknown>;
    const key = LIST_KEYS.find((k) => Array.isArray(obj[k])) ?? Object.keys(obj).find((k) => Array.isArray(obj[k]));
    list = key ? obj[key] : undefined;
  }
  if (!Array.isArray(list)) throw new JsonShapeError('expected a list of records, or an object with one (e.g. {"incidents": [...]})');
  const columns = new Map<string, number>();
  const flat: Record<string, string>[] = [];
  const bad: number[] = [];
  list.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      bad.push(i + 1);
      flat.push({});
      return;
    }
    for (const [k, v] of Object.entries(item)) {
      if (deeperThan(v, MAX_DEPTH))
        throw new JsonShapeError(`record ${i + 1}: ${JSON.stringify(k.slice(0, 60))} is nested more than ${MAX_DEPTH} levels deep`);
    }
    const out: Record<string, string> = {};
    flatten(item as Record<string, unknown>, '', out);
    for (const k of Object.keys(out)) if (!columns.has(k)) columns.set(k, columns.size);
    flat.push(out);
  });
  if (bad.length)
    throw new JsonShapeError(
      `record${bad.length > 1 ? 's' : ''} ${bad.slice(0, 20).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not an object`,
    );
  const header = [...columns.keys()];
  const rows = flat.map((o) => header.map((h) => o[h] ?? ''));
  return { header, rows, rowNumbers: rows.map((_, i) => i + 1) };
}

/**
 * Nested values are kept whole as JSON text, and JSON.stringify recurses: a value nested thousands
 * deep would overflow the stack and stop the import with a RangeError. Measured without recursion.
 */
const MAX_DEPTH = 64;

function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const x of Object.values(v)) if (x !== null && typeof x === 'object') stack.push([x, depth + 1]);
  }
  return false;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function flatten(obj: Record<string, unknown>, prefix: string, out: Record<string, string>, depth = 0) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[key] = JSON.stringify(v);
      if (depth < 4) flatten(v as Record<string, unknown>, key, out, depth + 1);
    } else if (Array.isArray(v)) {
      out[key] = v.every((x) => x === null || typeof x !== 'object') ? v.map(scalar).join(', ') : JSON.stringify(v);
    } else {
      out[key] = scalar(v);
    }
  }
}
