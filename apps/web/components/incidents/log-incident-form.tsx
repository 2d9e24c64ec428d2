'use client';
// Logging an incident: impact and urgency are chosen, never defaulted, with the priority they give
// shown as they change; while the title is typed, look-alikes already open or known are listed.
import { useGuardedRouter } from '@/components/use-guarded-router';
import { useState } from 'react';
import { LogIncidentDocument, type IncidentSource } from '@/gql/graphql';
import { INCIDENT_SOURCES, humanize, localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import {
  CategorySelect,
  Field,
  FieldErrors,
  FormError,
  LevelSelect,
  OptionSelect,
  Submit,
  bool,
  str,
  type CategoryOption,
  type Option,
} from '@/components/forms';
import { PossibleDuplicates } from './possible-duplicates';
import { PriorityPreview } from './priority-preview';

export function LogIncidentForm({
  services,
  categories,
  teams,
  users,
  matrix,
}: {
  services: Option[];
  categories: CategoryOption[];
  teams: Option[];
  users: Option[];
  /** The organisation's priority matrix (priorityMatrix.rows), null when it could not be loaded. */
  matrix: number[][] | null;
}) {
  const router = useGuardedRouter();
  const { run, busy, error, errors } = useAction(LogIncidentDocument);
  const [title, setTitle] = useState('');
  const [impact, setImpact] = useState<number | null>(null);
  const [urgency, setUrgency] = useState<number | null>(null);
  return (
    <form
      className="form panel"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const data = await run(
          {
            input: {
              title: str(f, 'title') ?? '',
              description: str(f, 'description'),
              source: (str(f, 'source') ?? 'USER_REPORT') as IncidentSource,
              serviceId: str(f, 'serviceId'),
              categoryId: str(f, 'categoryId'),
              impact: impact ?? undefined,
              urgency: urgency ?? undefined,
              teamId: str(f, 'teamId'),
              assigneeId: str(f, 'assigneeId'),
              reporterId: str(f, 'reporterId'),
              major: bool(f, 'major'),
              externalRef: str(f, 'externalRef'),
              detectedAt: localInputToIso(f.get('detectedAt')),
            },
          },
          { refresh: false },
        );
        if (data) router.push(`/incidents/${encodeURIComponent(data.logIncident.number)}`);
      }}
    >
      <FieldErrors errors={errors}>
        <Field label="Title" wide>
          <input
            type="text"
            name="title"
            required
            maxLength={200}
            autoFocus
            placeholder="What is wrong, in one line"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
        </Field>
        <div className="field wide">
          <PossibleDuplicates title={title} />
        </div>
        <Field label="Description" wide>
          <textarea name="description" rows={4} placeholder="Symptoms, error messages, who is affected" />
        </Field>
        <Field label="Source">
          <select name="source" defaultValue="USER_REPORT">
            {INCIDENT_SOURCES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Service">
          <OptionSelect name="serviceId" options={services} empty="Not known yet" />
        </Field>
        <Field label="Category">
          <CategorySelect name="categoryId" categories={categories} empty="Not classified yet" />
        </Field>
        <Field label="Impact" hint="How much of the service or how many users are hurt">
          <LevelSelect id="log-impact" name="impact" required empty="Choose…" value={impact} onChange={setImpact} />
        </Field>
        <Field label="Urgency" hint="How soon it must be fixed">
          <LevelSelect id="log-urgency" name="urgency" required empty="Choose…" value={urgency} onChange={setUrgency} />
        </Field>
        <div className="field wide">
          <PriorityPreview matrix={matrix} impact={impact} urgency={urgency} />
        </div>
        <Field label="Team">
          <OptionSelect name="teamId" options={teams} empty="Unassigned" />
        </Field>
        <Field label="Assignee">
          <OptionSelect name="assigneeId" options={users} empty="Unassigned" />
        </Field>
        <Field label="Reporter">
          <OptionSelect name="reporterId" options={users} empty="Me" />
        </Field>
        <Field label="Detected at (UTC)" hint="When impact began, if earlier">
          <input type="datetime-local" name="detectedAt" />
        </Field>
        <Field label="External reference" hint="e.g. a ServiceNow number">
          <input type="text" name="externalRef" />
        </Field>
        <label className="check">
          <input type="checkbox" name="major" /> Major incident
        </label>
        <FormError error={error} />
        <div className="actions">
          <Submit busy={busy}>Log incident</Submit>
        </div>
      </FieldErrors>
    </form>
  );
}
