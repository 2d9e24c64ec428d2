export type SearchParams = Record<string, string | string[] | undefined>;

/** All values of a parameter, accepting repeats (?a=1&a=2) and commas (?a=1,2). */
export function many(sp: SearchParams, key: string): string[] {
  const v = sp[key];
  const list = Array.isArray(v) ? v : v ? [v] : [];
  return list
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

export function one(sp: SearchParams, key: string): string | undefined {
  const v = sp[key];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s.trim() : undefined;
}

/** A path segment as typed: a malformed escape (%E0%A4%A) stays as it is and then finds no record (404), never a 500. */
export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
