// UTC offsets of an IANA zone, read from Intl once and cached as transition
// lists, because Intl costs microseconds per call and SLA recomputation runs
// in tight loops over many incidents.

const MS_PER_DAY = 86_400_000;
// About 398 days: one Intl sweep per zone and block, then pure array lookups.
const BLOCK_MS = 2 ** 35;

interface OffsetBlock {
  /** Offset (ms, local minus UTC) just before the block starts. */
  first: number;
  /** Instants inside the block where the offset changes, ascending. */
  at: number[];
  /** Offset from at[i] on. */
  after: number[];
}

export interface ZoneOffsets {
  readonly timeZone: string;
  /** Local wall time minus UTC, in ms, at a UTC instant. */
  offsetAt(utcMs: number): number;
  /** The first offset change in (afterMs, limitMs], or Infinity. */
  nextTransition(afterMs: number, limitMs: number): number;
}

const zones = new Map<string, ZoneOffsets>();

/** Throws RangeError for a zone Intl does not know. */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  let z = zones.get(timeZone);
  if (!z) {
    z = createZone(timeZone);
    zones.set(timeZone, z);
  }
  return z;
}

export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Old names that ICU (in Node and Chromium alike) still lists instead of the current IANA ones, so
 * that an admin looking for Kyiv or Kolkata finds nothing; from tzdata's backward links whose old
 * name Intl lists and whose current name it does not (ICU 78, tzdata 2025c).
 */
export const CURRENT_ZONE_NAMES: Readonly<Record<string, string>> = {
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

/** The zones to offer: Intl's list under their current IANA names, and UTC. */
export function pickableTimeZones(intlList: readonly string[]): string[] {
  return [...new Set(['UTC', ...intlList.map((z) => CURRENT_ZONE_NAMES[z] ?? z)])];
}

let zoneList: ReadonlySet<string> | null = null;
/** The zones this runtime's Intl lists, their current names, and UTC (Node's list leaves it out, browsers' have it). */
export function supportedTimeZones(): ReadonlySet<string> {
  zoneList ??= new Set([...Intl.supportedValuesOf('timeZone'), ...pickableTimeZones(Intl.supportedValuesOf('timeZone')), 'Etc/UTC']);
  return zoneList;
}

const ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
const CASED = /^[A-Z0-9]/;

/**
 * An admin's time zone, checked against the zones Intl lists (Intl.supportedValuesOf, as the
 * web picker offers them). Browsers and Node disagree on a few names (Asia/Kolkata against Node's
 * Asia/Calcutta, Europe/Kyiv against Europe/Kiev), so an IANA link Intl knows is accepted too,
 * when each part of it is capitalised as IANA writes it. A known zone in the wrong case
 * ("europe/berlin") is refused with the right spelling, not silently accepted.
 */
export function checkTimeZoneName(value: unknown): { ok: true; value: string } | { ok: false; message: string } {
  const shown = JSON.stringify(typeof value === 'string' ? value.slice(0, 64) : value);
  const unknown = { ok: false as const, message: `${shown} is not a time zone; pick one from the list (IANA names such as Europe/Berlin)` };
  if (typeof value !== 'string' || value.length > 64 || !ZONE_SHAPE.test(value)) return unknown;
  if (supportedTimeZones().has(value)) return { ok: true, value };
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return unknown;
  }
  if (canonical === value) return { ok: true, value };
  if (canonical.toLowerCase() === value.toLowerCase() || !value.split('/').every((part) => CASED.test(part)))
    return { ok: false, message: `${shown} is not spelled as the time zone is; did you mean ${canonical}?` };
  return { ok: true, value };
}

/** "UTC+05:30", "UTC−03:00", "UTC±00:00": the zone's offset at an instant. */
export function utcOffsetLabel(timeZone: string, at: Date = new Date()): string {
  const minutes = Math.round(zoneOffsets(timeZone).offsetAt(at.getTime()) / 60_000);
  const sign = minutes > 0 ? '+' : minutes < 0 ? '−' : '±';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function createZone(timeZone: string): ZoneOffsets {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  const intlOffset = (t: number): number => {
    const p: Record<string, string> = {};
    for (const part of fmt.formatToParts(t)) p[part.type] = part.value;
    const year = p.era === 'BC' || p.era === 'B' ? 1 - Number(p.year) : Number(p.year);
    const d = new Date(0);
    d.setUTCFullYear(year, Number(p.month) - 1, Number(p.day));
    d.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second), 0);
    // Intl drops the milliseconds, so compare against the whole second.
    return d.getTime() - Math.floor(t / 1000) * 1000;
  };

  const blocks = new Map<number, OffsetBlock>();
  let lastKey = NaN;
  let lastBlock: OffsetBlock | undefined;

  const build = (key: number): OffsetBlock => {
    const start = key * BLOCK_MS;
    const end = start + BLOCK_MS;
    // `first` is the offset just before the block, so a change exactly at a
    // block boundary is still listed as a transition.
    let lo = start - 1;
    let loOff = intlOffset(lo);
    const block: OffsetBlock = { first: loOff, at: [], after: [] };
    // Daily samples find every change: real zones never change twice in a day.
    while (lo < end - 1) {
      const hi = Math.min(lo + MS_PER_DAY, end - 1);
      const hiOff = intlOffset(hi);
      if (hiOff !== loOff) {
        let a = lo;
        let b = hi;
        while (b - a > 1) {
          const mid = Math.floor((a + b) / 2);
          if (intlOffset(mid) === loOff) a = mid;
          else b = mid;
        }
        block.at.push(b);
        block.after.push(hiOff);
      }
      lo = hi;
      loOff = hiOff;
    }
    return block;
  };

  const blockAt = (key: number): OffsetBlock => {
    if (key === lastKey) return lastBlock!;
    let b = blocks.get(key);
    if (!b) {
      b = build(key);
      blocks.set(key, b);
    }
    lastKey = key;
    lastBlock = b;
    return b;
  };

  return {
    timeZone,
    offsetAt(t) {
      const b = blockAt(Math.floor(t / BLOCK_MS));
      let off = b.first;
      for (let i = 0; i < b.at.length && b.at[i] <= t; i++) off = b.after[i];
      return off;
    },
    nextTransition(after, limit) {
      const last = Math.floor(limit / BLOCK_MS);
      for (let key = Math.floor(after / BLOCK_MS); key <= last; key++) {
        const b = blockAt(key);
        for (let i = 0; i < b.at.length; i++) {
          const t = b.at[i];
          if (t > limit) return Infinity;
          if (t > after) return t;
        }
      }
      return Infinity;
    },
  };
}
