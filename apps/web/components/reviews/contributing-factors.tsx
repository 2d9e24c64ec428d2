'use client';
// Contributing factors, each typed, with evidence picked from the timeline.
import { ConfirmButton } from '@/components/confirm-button';
import { FormError } from '@/components/forms';
import { Disclosure } from '@/components/ui';
import {
  RemoveContributingFactorDocument,
  type ContributingFactorItemFragment,
  type FactorCategoryOptionFragment,
  type ReviewTimelineRowFragment,
} from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import { AddContributingFactorForm } from './add-contributing-factor-form';

export function ContributingFactors({
  reviewId,
  factors,
  categories,
  timeline,
  editable,
}: {
  reviewId: string;
  factors: ContributingFactorItemFragment[];
  categories: FactorCategoryOptionFragment[];
  timeline: ReviewTimelineRowFragment[];
  editable: boolean;
}) {
  const remove = useAction(RemoveContributingFactorDocument);
  const byId = new Map(timeline.map((t) => [t.id, t]));
  return (
    <div>
      {factors.length ? (
        <ul className="card-list">
          {factors.map((f) => (
            <li key={f.id}>
              <span className="badge">{f.category.name}</span> {f.description}
              {f.evidence.length ? (
                <ul className="reasons" aria-label="Evidence">
                  {f.evidence.map((ev) => {
                    const t = byId.get(ev);
                    return <li key={ev}>{t ? `${formatDateTime(t.at)} — ${t.summary}` : ev}</li>;
                  })}
                </ul>
              ) : (
                <div className="muted small">No evidence picked.</div>
              )}
              {editable ? (
                <ConfirmButton
                  label="Remove"
                  accessibleLabel={`Remove factor ${f.description.slice(0, 60)}`}
                  question={`Remove the ${f.category.name} factor “${f.description.slice(0, 60)}” and its evidence?`}
                  busy={remove.busy}
                  onConfirm={() => remove.run({ id: f.id })}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No contributing factors yet.</p>
      )}
      <FormError error={remove.error} />
      {editable ? (
        <Disclosure summary="Add a contributing factor" style={{ marginTop: '0.5rem' }}>
          <AddContributingFactorForm reviewId={reviewId} categories={categories} timeline={timeline} />
        </Disclosure>
      ) : null}
    </div>
  );
}
