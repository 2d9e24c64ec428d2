'use client';
import { useRouter } from 'next/navigation';
import { LogIncidentDocument, type IncidentSource } from '@/gql/graphql';
import { INCIDENT_SOURCES, humanize, localInputToIso } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import {
  CategorySelect,
  Field,
  FormError,
  LevelSelect,
  OptionSelect,
  Submit,
  bool,
  int,
  str,
  type CategoryOption,
  type Option,
} from '@/components/forms';

export function LogIncidentForm({
  services,
  categories,
  teams,
  users,
}: {
  services: Option[];
  categories: CategoryOption[];
  teams: Option[];
  users: Option[];
}) {
  const router = useRouter();
  const { run, busy, error } = useAction(LogIncidentDocument);
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
              impact: int(f, 'impact'),
              urgency: int(f, 'urgency'),
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
      <Field label="Title" wide>
        <input type="text" name="title" required maxLength={200} autoFocus placeholder="What is wrong, in one line" />
      </Field>
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
      <Field label="Impact" hint="1 high .. 3 low">
        <LevelSelect name="impact" />
      </Field>
      <Field label="Urgency" hint="1 high .. 3 low">
        <LevelSelect name="urgency" />
      </Field>
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
        <span className="muted small">Priority is derived from impact × urgency by the priority matrix.</span>
      </div>
    </form>
  );
}
