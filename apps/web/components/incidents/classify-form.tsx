'use client';
// Service, category, impact and urgency; the priority is derived unless overridden with a reason.
import { useState } from 'react';
import {
  CategorySelect,
  Field,
  FieldErrors,
  FormError,
  LevelSelect,
  OptionSelect,
  Saved,
  Submit,
  bool,
  int,
  str,
  type CategoryOption,
  type Option,
} from '@/components/forms';
import { ClassifyIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function ClassifyForm({
  id,
  serviceId,
  categoryId,
  impact,
  urgency,
  priority,
  overridden,
  overrideReason,
  services,
  categories,
}: {
  id: string;
  serviceId?: string | null;
  categoryId?: string | null;
  impact: number;
  urgency: number;
  priority: number;
  overridden: boolean;
  overrideReason?: string | null;
  services: Option[];
  categories: CategoryOption[];
}) {
  const { run, busy, error, errors, done } = useAction(ClassifyIncidentDocument);
  const [override, setOverride] = useState(overridden);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const manual = bool(f, 'override');
        run({
          id,
          input: {
            serviceId: str(f, 'serviceId'),
            categoryId: str(f, 'categoryId'),
            impact: int(f, 'impact'),
            urgency: int(f, 'urgency'),
            ...(manual
              ? { priority: int(f, 'priority'), priorityReason: str(f, 'priorityReason') }
              : overridden
                ? { clearPriorityOverride: true }
                : {}),
          },
        });
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Service">
          <OptionSelect name="serviceId" options={services} defaultValue={serviceId} empty="Not set" />
        </Field>
        <Field label="Category">
          <CategorySelect name="categoryId" categories={categories} defaultValue={categoryId ?? undefined} empty="Not set" />
        </Field>
        <Field label="Impact">
          <LevelSelect name="impact" defaultValue={impact} />
        </Field>
        <Field label="Urgency">
          <LevelSelect name="urgency" defaultValue={urgency} />
        </Field>
        <label className="check wide">
          <input type="checkbox" name="override" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Override the derived
          priority
        </label>
        {override ? (
          <>
            <Field label="Priority">
              <LevelSelect name="priority" priority defaultValue={priority} />
            </Field>
            <Field label="Reason for the override" wide>
              <input
                type="text"
                name="priorityReason"
                required
                defaultValue={overrideReason ?? ''}
                placeholder="Why the matrix is wrong here"
              />
            </Field>
          </>
        ) : null}
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Save classification</Submit>
          <Saved done={done} error={error} />
        </div>
      </FieldErrors>
    </form>
  );
}
