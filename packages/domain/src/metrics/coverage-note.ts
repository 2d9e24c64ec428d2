// A partial bucket of a time series said in words, for the charts' notes and every CSV of them:
// "partial: up to 6 Dec 2026, 07:45 (still in progress)" or "partial: 7 Dec 2025, 00:00 to ... only
// (cut by the range)"; '' for a whole bucket.
import { bucketCoverage } from './time-buckets';

const formats = new Map<string, Intl.DateTimeFormat>();
function instant(ms: number, timeZone: string): string {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    formats.set(timeZone, f);
  }
  return f.format(new Date(ms));
}

export function coverageNote(
  bucket: { start: string; end: string },
  range: { from: string; to: string; evaluatedAt: string },
  timeZone: string,
): string {
  const c = bucketCoverage(
    { start: Date.parse(bucket.start), end: Date.parse(bucket.end) },
    Date.parse(range.from),
    Date.parse(range.to),
    Date.parse(range.evaluatedAt),
  );
  if (!c.partial) return '';
  return c.reason === 'in-progress'
    ? `partial: up to ${instant(c.until, timeZone)} (still in progress)`
    : `partial: ${instant(c.from, timeZone)} to ${instant(c.until, timeZone)} only (cut by the range)`;
}
