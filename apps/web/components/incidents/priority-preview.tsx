// The priority an incident will get, shown while impact and urgency are chosen: the organisation's
// matrix from the API (the same one logIncident applies), so the preview is what will be saved.
import { PriorityBadge } from '@/components/ui';

export function PriorityPreview({
  matrix,
  impact,
  urgency,
}: {
  /** priorityMatrix.rows: [impact - 1][urgency - 1]. */
  matrix: number[][] | null;
  impact: number | null;
  urgency: number | null;
}) {
  const priority = impact && urgency ? (matrix?.[impact - 1]?.[urgency - 1] ?? null) : null;
  return (
    <output className="priority-preview" aria-live="polite" htmlFor="log-impact log-urgency" data-testid="priority-preview">
      <span>Priority:</span>
      {priority ? (
        <>
          <PriorityBadge priority={priority} />
          <span>
            from impact {impact} × urgency {urgency} in your organisation&apos;s priority matrix
          </span>
        </>
      ) : matrix ? (
        <span className="muted">choose impact and urgency to see it</span>
      ) : (
        <span className="muted">the priority matrix could not be loaded; the server derives it from impact × urgency</span>
      )}
    </output>
  );
}
