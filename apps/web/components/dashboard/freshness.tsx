import { formatDateTime } from '@/lib/format';

/** The API counts queued changes up to this many (analytics.query.ts, QUEUE_PEEK). */
const COUNTED = 10_000;

/**
 * Said near the figures while the analytics still have changes to fold in (pendingChanges > 0:
 * an import or a burst of writes that the background refresh has not caught up with yet), with the
 * instant up to which every change is in, when the API knows it.
 */
export function CatchingUpNotice({ pendingChanges, asOf }: { pendingChanges: number; asOf: string }) {
  if (!(pendingChanges > 0)) return null;
  const upTo = Date.parse(asOf);
  const count = pendingChanges >= COUNTED ? `${COUNTED.toLocaleString('en-GB')} or more` : pendingChanges.toLocaleString('en-GB');
  return (
    <p className="notice small" role="status" data-testid="analytics-catching-up">
      <strong>These figures are catching up.</strong> {count} recent {pendingChanges === 1 ? 'change is' : 'changes are'} still being folded
      in
      {upTo > 0 ? <>; every change made before {formatDateTime(asOf)} is counted</> : null}. Reload in a moment for the exact figures.
    </p>
  );
}
