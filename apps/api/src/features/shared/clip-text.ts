/**
 * Cuts `s` to at most `max` UTF-16 units, ending with `marker`. Never between the two halves of a
 * surrogate pair: a lone half is not a character, and PostgreSQL refuses it in jsonb (the text
 * goes into timeline events), so a clipped emoji would turn a long title into a 500.
 */
export function clipText(s: string, max: number, marker = '…'): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - marker.length);
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end) + marker;
}

/** A value as quoted in an error message: short, and with control characters and lone surrogates escaped. */
export function quoteValue(s: string, max = 40): string {
  return JSON.stringify(clipText(s, max));
}

// oxlint-disable-next-line no-control-regex -- control characters are what it looks for
const UNPRINTABLE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A value in double quotes for a message printed on a terminal or written to a rejects file:
 * clipped, with control characters, line breaks and lone surrogates shown as \uXXXX.
 */
export function displayText(s: string, max = 60): string {
  return `"${clipText(s, max).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)}"`;
}
