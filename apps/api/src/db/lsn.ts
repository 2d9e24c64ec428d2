/** A PostgreSQL WAL position (pg_lsn text, "16/B374D848") as a number that compares; undefined for null or junk. */
export function parseLsn(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text);
  if (!m) return undefined;
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** The pg_lsn text of a position (for a statement's parameter and for log lines). */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/**
 * How far behind the primary a replica's data is, in ms: 0 when it has replayed everything the
 * primary had written at the last look; else the time since the primary was first seen past the
 * replica's position (the primary's positions are sampled with their times, `history`, oldest first).
 */
export function lagMs(replayed: bigint, history: readonly { at: number; lsn: bigint }[], now: number): number {
  const latest = history.at(-1);
  if (!latest || replayed >= latest.lsn) return 0;
  const firstPast = history.find((h) => h.lsn > replayed) ?? history[0]!;
  return Math.max(0, now - firstPast.at);
}
