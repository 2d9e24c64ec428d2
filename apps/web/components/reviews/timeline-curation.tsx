'use client';
// The review timeline assembled from the incidents' events, curated by hand.
import { useState } from 'react';
import { Disclosure } from '@/components/ui';
import type { ReviewTimelineRowFragment } from '@/gql/graphql';
import { AddTimelineEntryForm } from './add-timeline-entry-form';
import { TimelineRow } from './timeline-row';

export function TimelineCuration({
  reviewId,
  items,
  editable,
}: {
  reviewId: string;
  items: ReviewTimelineRowFragment[];
  editable: boolean;
}) {
  const [showHidden, setShowHidden] = useState(false);
  const visible = showHidden ? items : items.filter((i) => !i.hidden);
  const hiddenCount = items.filter((i) => i.hidden).length;
  return (
    <div>
      <div className="actions" style={{ marginBottom: '0.5rem' }}>
        <label className="check small">
          <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> Show hidden entries (
          {hiddenCount})
        </label>
      </div>
      {visible.length ? (
        <ol className="timeline" aria-label="Review timeline">
          {visible.map((i) => (
            <TimelineRow key={i.id} reviewId={reviewId} item={i} editable={editable} />
          ))}
        </ol>
      ) : (
        <p className="empty">No timeline entries{hiddenCount ? ' shown' : ''}.</p>
      )}
      {editable ? (
        <Disclosure summary="Add an entry" style={{ marginTop: '0.5rem' }}>
          <AddTimelineEntryForm reviewId={reviewId} />
        </Disclosure>
      ) : null}
    </div>
  );
}
