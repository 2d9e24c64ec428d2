// The byte-level half of reading an .ics file: decoding, unfolding and a structural check that
// names the line of every fault, before ical.js (which knows no line numbers) sees the text.

export class IcsError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** A logical (unfolded) content line and the physical line it starts on. */
export interface IcsLine {
  n: number;
  text: string;
}

export const MAX_ICS_BYTES = 2_000_000;
const MAX_DEPTH = 8;
const CR = 0x0d;
const LF = 0x0a;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const NEWLINE = new Uint8Array([LF]);
const cp1252 = new TextDecoder('windows-1252');

/**
 * Splits bytes into logical lines. Folding (RFC 5545 3.1) counts octets, so producers such as
 * Google cut a line inside a multi-byte UTF-8 character; unfolding therefore joins the bytes of
 * continuation lines before anything is decoded. CRLF, LF and bare CR all end a line; blank lines
 * are skipped. A file that is not UTF-8 is read as Windows-1252 (old Outlook exports), with a warning.
 */
export function unfoldIcsBytes(input: Uint8Array, warnings: string[]): IcsLine[] {
  if (input.length > MAX_ICS_BYTES) throw new IcsError(1, `the file is ${input.length} bytes; at most ${MAX_ICS_BYTES} are read`);
  let bytes = input;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const text = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes);
    bytes = new TextEncoder().encode(text);
  } else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);

  const separator = bytes.includes(LF) ? LF : CR;
  const raw: { n: number; parts: Uint8Array[] }[] = [];
  let start = 0;
  let n = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== separator) continue;
    n++;
    let end = i;
    if (separator === LF && end > start && bytes[end - 1] === CR) end--;
    const line = bytes.subarray(start, end);
    start = i + 1;
    const nul = line.indexOf(0);
    if (nul >= 0) throw new IcsError(n, 'holds a NUL byte: this is not a text file');
    if (line.length && (line[0] === 0x20 || line[0] === 0x09)) {
      const last = raw[raw.length - 1];
      if (last) last.parts.push(line.subarray(1));
      continue;
    }
    if (!line.some((b) => b !== 0x20 && b !== 0x09)) continue;
    raw.push({ n, parts: [line] });
  }

  // One decode for the whole file (a TextDecoder call per line costs more than the reading itself);
  // logical lines hold no line feed, so joining them with one and splitting again is lossless.
  const parts: Uint8Array[] = [];
  for (const r of raw) parts.push(...r.parts, NEWLINE);
  const all = Buffer.concat(parts);
  let text: string;
  try {
    text = utf8.decode(all);
  } catch {
    warnings.push('line 1: the file is not UTF-8; it was read as Windows-1252');
    text = cp1252.decode(all);
  }
  const decoded = text.split('\n');
  return raw.map((r, i) => ({ n: r.n, text: decoded[i]! }));
}

/** The name, parameters and value of a content line; ':' inside quoted parameters does not end the name. */
export function splitContentLine(text: string): { name: string; params: string; value: string } | null {
  const m = /^[A-Za-z0-9-]+/.exec(text);
  if (!m) return null;
  let quoted = false;
  for (let i = m[0].length; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) {
      const params = text.slice(m[0].length, i);
      if (params && !params.startsWith(';')) return null;
      return { name: m[0].toUpperCase(), params, value: text.slice(i + 1) };
    }
  }
  return null;
}

const TEXT_PROPS = new Set(['SUMMARY', 'DESCRIPTION', 'COMMENT', 'LOCATION']);
const DATE_PROPS = new Set(['DTSTART', 'DTEND', 'RECURRENCE-ID', 'EXDATE', 'RDATE', 'DUE']);

/**
 * Checks the structure (BEGIN/END nesting, property lines) and the values this import relies on
 * (dates, durations, recurrence rules), so that every refusal names its line. Fixes what real
 * producers get wrong but leave unambiguous: a raw line break inside a text value (joined to it),
 * a missing final END:VCALENDAR. Returns the lines to hand to ical.js and, for each VEVENT directly
 * inside a VCALENDAR, the line it begins on (in document order, as ical.js lists them).
 */
export function checkIcsStructure(lines: IcsLine[], warnings: string[]): { lines: IcsLine[]; eventLines: number[] } {
  const first = lines[0];
  if (!first || !/^BEGIN:VCALENDAR$/i.test(first.text.trim()))
    throw new IcsError(first?.n ?? 1, `not an iCalendar file: expected BEGIN:VCALENDAR, found "${(first?.text ?? '').slice(0, 40)}"`);
  const out: IcsLine[] = [];
  const eventLines: number[] = [];
  const stack: { name: string; n: number }[] = [];
  let lastProp = '';
  for (const line of lines) {
    const parts = splitContentLine(line.text);
    if (!parts) {
      if (stack.length && (TEXT_PROPS.has(lastProp) || lastProp.startsWith('X-'))) {
        out[out.length - 1]!.text += `\\n${line.text.trim()}`;
        continue;
      }
      throw new IcsError(line.n, `"${line.text.slice(0, 60)}" is not an iCalendar line (NAME:value)`);
    }
    const { name, value } = parts;
    lastProp = name;
    if (name === 'BEGIN') {
      const comp = value.trim().toUpperCase();
      if (!/^[A-Z0-9-]+$/.test(comp)) throw new IcsError(line.n, `BEGIN:${value.slice(0, 40)} is not a component name`);
      if (!stack.length && comp !== 'VCALENDAR') throw new IcsError(line.n, `BEGIN:${comp} outside BEGIN:VCALENDAR`);
      if (stack.length >= MAX_DEPTH) throw new IcsError(line.n, `components nested deeper than ${MAX_DEPTH} levels`);
      if (comp === 'VEVENT' && stack.length === 1) eventLines.push(line.n);
      stack.push({ name: comp, n: line.n });
      out.push({ n: line.n, text: `BEGIN:${comp}` });
      continue;
    }
    if (name === 'END') {
      const comp = value.trim().toUpperCase();
      const open = stack.pop();
      if (!open) throw new IcsError(line.n, `END:${comp} without a BEGIN`);
      if (open.name !== comp) throw new IcsError(line.n, `END:${comp} closes BEGIN:${open.name} of line ${open.n}`);
      out.push({ n: line.n, text: `END:${comp}` });
      continue;
    }
    if (!stack.length) throw new IcsError(line.n, `${name} outside BEGIN:VCALENDAR ... END:VCALENDAR`);
    checkValue(name, value.trim(), line.n);
    out.push(line);
  }
  const open = stack.pop();
  if (open && open.name === 'VCALENDAR' && !stack.length) {
    warnings.push(`line ${open.n}: the calendar has no END:VCALENDAR; read to the end of the file`);
    out.push({ n: out[out.length - 1]!.n, text: 'END:VCALENDAR' });
  } else if (open) throw new IcsError(open.n, `BEGIN:${open.name} has no END:${open.name}`);
  return { lines: out, eventLines };
}

const DATE_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/;

/** Whether a DATE or DATE-TIME value names a real moment (20261340 does not). */
export function realDate(v: string): boolean {
  const m = DATE_RE.exec(v);
  if (!m) return false;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1).map((x) => x ?? '0');
  const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  return Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= days && +h <= 23 && +mi <= 59 && +s <= 60;
}

const DURATION_RE = /^[+-]?P(?:\d+W|(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$/;

function checkValue(name: string, value: string, n: number) {
  if (DATE_PROPS.has(name)) {
    if (!value) throw new IcsError(n, `${name} has no value`);
    for (const v of value.split(',')) {
      const at = v.split('/')[0]!.trim();
      if (!realDate(at)) throw new IcsError(n, `${name} "${at.slice(0, 40)}" is not a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS)`);
    }
  } else if (name === 'DURATION' && !DURATION_RE.test(value)) {
    throw new IcsError(n, `DURATION "${value.slice(0, 40)}" is not a duration (e.g. P1D, PT8H)`);
  } else if (name === 'RRULE' || name === 'EXRULE') {
    const problem = ruleProblem(value);
    if (problem) throw new IcsError(n, `${name} "${value.slice(0, 80)}": ${problem}`);
  }
}

const FREQS = new Set(['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const DAY = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;
const RANGES: Record<string, [number, number]> = {
  BYSECOND: [0, 60],
  BYMINUTE: [0, 59],
  BYHOUR: [0, 23],
  BYMONTHDAY: [-31, 31],
  BYYEARDAY: [-366, 366],
  BYWEEKNO: [-53, 53],
  BYMONTH: [1, 12],
  BYSETPOS: [-366, 366],
};

/** What is wrong with a recurrence rule, or null: ical.js silently reads INTERVAL=0 as 1 and more. */
export function ruleProblem(rule: string): string | null {
  const seen = new Map<string, string>();
  for (const part of rule.split(';')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).toUpperCase();
    const value = part.slice(eq + 1).toUpperCase();
    if (eq <= 0 || !value) return `"${part.slice(0, 30)}" is not KEY=value`;
    if (seen.has(key)) return `${key} is given twice`;
    seen.set(key, value);
    if (key === 'FREQ') {
      if (!FREQS.has(value)) return `FREQ=${value} is not a frequency (YEARLY, MONTHLY, WEEKLY, DAILY, ...)`;
    } else if (key === 'INTERVAL' || key === 'COUNT') {
      if (!/^\d{1,9}$/.test(value) || Number(value) < 1) return `${key} must be a whole number of 1 or more`;
    } else if (key === 'UNTIL') {
      if (!realDate(value)) return `UNTIL=${value} is not a date or date-time`;
    } else if (key === 'WKST') {
      if (!/^(MO|TU|WE|TH|FR|SA|SU)$/.test(value)) return `WKST=${value} is not a weekday`;
    } else if (key === 'BYDAY') {
      for (const d of value.split(',')) {
        const m = DAY.exec(d);
        if (!m || (m[1] && (Number(m[1]) === 0 || Math.abs(Number(m[1])) > 53)))
          return `BYDAY "${d}" is not a weekday (e.g. MO, 4TH, -1MO)`;
      }
    } else if (RANGES[key]) {
      const [lo, hi] = RANGES[key]!;
      for (const v of value.split(',')) {
        const x = Number(v);
        if (!/^[+-]?\d{1,3}$/.test(v) || x < lo || x > hi || (lo < 0 && x === 0)) return `${key} "${v}" is out of range ${lo}..${hi}`;
      }
    } else if (!key.startsWith('X-')) return `${key} is not a recurrence rule part`;
  }
  if (!seen.has('FREQ')) return 'FREQ is missing';
  if (seen.has('COUNT') && seen.has('UNTIL')) return 'COUNT and UNTIL must not both be given';
  return null;
}
