// Where the app may send a browser (after sign-in) or link to (Markdown in workaround steps).
// A check on the raw string is not enough: the browser's URL parser drops tabs and newlines,
// turns `\` into `/` and resolves `.` segments, so `/\t/evil.example` or `/\evil.example` becomes
// `//evil.example`, another site. These functions decide on what the parser makes of the string,
// and hand back the parser's own normalised form, which resolves the same way every time.
// No imports: used on the server, in the browser and by the tests.

/** Longer targets are refused: nothing of ours is that long, and it bounds the work. */
const MAX_LENGTH = 2048;

/** Characters the URL parser strips or rewrites; a target holding one is refused outright. */
// oxlint-disable-next-line no-control-regex -- control characters are what it looks for
const PARSER_SENSITIVE = /[\u0000-\u001f\u007f\\]/;

const BASE = 'http://same-origin.invalid';

/**
 * The same-origin relative path (path, query, fragment) that `value` leads to, or null when it
 * could lead anywhere else: only strings starting with one `/`, after the browser's normalisation.
 */
export function safePath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (!value.startsWith('/') || value.startsWith('//') || PARSER_SENSITIVE.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const out = url.pathname + url.search + url.hash;
  // `/.//evil` normalises to `//evil`: a path the parser itself makes protocol-relative.
  if (!out.startsWith('/') || out.startsWith('//')) return null;
  return new URL(out, BASE).origin === BASE ? out : null;
}

/** safePath, or `fallback` (the home page) when the value is not a safe target. */
export function safePathOr(value: unknown, fallback = '/'): string {
  return safePath(value) ?? fallback;
}

/**
 * A link target for user-written Markdown: a same-origin path (as safePath), an absolute http(s)
 * URL written out with `//`, or a mailto: address; null for anything else (javascript:, data:,
 * `https:evil` shorthands, backslashes, control characters).
 */
export function safeHref(value: string): string | null {
  if (value.length === 0 || value.length > MAX_LENGTH || PARSER_SENSITIVE.test(value)) return null;
  if (value.startsWith('/')) return safePath(value);
  if (/^https?:\/\/[^/]/i.test(value)) {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  }
  if (/^mailto:[^\s]+$/i.test(value)) return value;
  return null;
}
