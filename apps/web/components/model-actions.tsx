'use client';
import { useGuardedRouter } from '@/components/use-guarded-router';
import {
  CreateIncidentModelDocument,
  ReactivateIncidentModelDocument,
  RetireIncidentModelDocument,
  UpdateIncidentModelDocument,
  type CreateIncidentModelInput,
} from '@/gql/graphql';
import { ConfirmButton } from '@/components/confirm-button';
import { useAction } from '@/lib/use-action';
import {
  CategorySelect,
  Field,
  FieldErrors,
  FormError,
  LevelSelect,
  OptionSelect,
  Saved,
  Submit,
  int,
  str,
  type CategoryOption,
  type Option,
} from './forms';

export interface ModelRecipe {
  name?: string;
  description?: string;
  checklist?: string[];
  matchKeywords?: string[];
  matchServiceId?: string | null;
  matchCategoryId?: string | null;
  defaultImpact?: number | null;
  defaultUrgency?: number | null;
  defaultTeamId?: string | null;
  defaultCategoryId?: string | null;
  slaPolicyId?: string | null;
  reviewTemplate?: string | null;
  workaroundIds?: string[];
}

export interface ModelOptions {
  services: Option[];
  categories: CategoryOption[];
  teams: Option[];
  workarounds: Option[];
  slaPolicies: Option[];
}

function recipeFrom(f: FormData): CreateIncidentModelInput {
  const lines = (v: string | undefined, sep: RegExp) =>
    (v ?? '')
      .split(sep)
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    name: str(f, 'name') ?? '',
    description: (f.get('description') as string | null) ?? undefined,
    checklist: lines(str(f, 'checklist'), /\n/),
    matchKeywords: lines(str(f, 'matchKeywords'), /,/),
    matchServiceId: str(f, 'matchServiceId') ?? null,
    matchCategoryId: str(f, 'matchCategoryId') ?? null,
    defaultImpact: int(f, 'defaultImpact') ?? null,
    defaultUrgency: int(f, 'defaultUrgency') ?? null,
    defaultTeamId: str(f, 'defaultTeamId') ?? null,
    defaultCategoryId: str(f, 'defaultCategoryId') ?? null,
    slaPolicyId: str(f, 'slaPolicyId') ?? null,
    reviewTemplate: str(f, 'reviewTemplate') ?? null,
    workaroundIds: f.getAll('workaroundIds').map(String),
    note: str(f, 'note'),
  };
}

function RecipeFields({ r, o }: { r: ModelRecipe; o: ModelOptions }) {
  return (
    <>
      <Field label="Name" wide>
        <input type="text" name="name" required defaultValue={r.name} />
      </Field>
      <Field label="Description" wide>
        <textarea name="description" rows={2} defaultValue={r.description} />
      </Field>
      <Field label="Match: service">
        <OptionSelect name="matchServiceId" options={o.services} defaultValue={r.matchServiceId} empty="Any" />
      </Field>
      <Field label="Match: category">
        <CategorySelect name="matchCategoryId" categories={o.categories} defaultValue={r.matchCategoryId ?? undefined} empty="Any" />
      </Field>
      <Field label="Match: symptom keywords" wide hint="Comma-separated, looked for in the title and description">
        <input type="text" name="matchKeywords" defaultValue={(r.matchKeywords ?? []).join(', ')} />
      </Field>
      <Field label="Default impact">
        <LevelSelect name="defaultImpact" empty="Keep the incident's" defaultValue={r.defaultImpact} />
      </Field>
      <Field label="Default urgency">
        <LevelSelect name="defaultUrgency" empty="Keep the incident's" defaultValue={r.defaultUrgency} />
      </Field>
      <Field label="Default team">
        <OptionSelect name="defaultTeamId" options={o.teams} defaultValue={r.defaultTeamId} empty="—" />
      </Field>
      <Field label="Default category">
        <CategorySelect name="defaultCategoryId" categories={o.categories} defaultValue={r.defaultCategoryId ?? undefined} empty="—" />
      </Field>
      <Field label="SLA override policy">
        <OptionSelect name="slaPolicyId" options={o.slaPolicies} defaultValue={r.slaPolicyId} empty="No override" />
      </Field>
      <Field label="Linked workarounds" hint="Ctrl/⌘-click to pick several">
        <select name="workaroundIds" multiple defaultValue={r.workaroundIds ?? []} size={5}>
          {o.workarounds.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Checklist" wide hint="One step per line">
        <textarea name="checklist" rows={5} defaultValue={(r.checklist ?? []).join('\n')} />
      </Field>
      <Field label="Review template (Markdown)" wide>
        <textarea name="reviewTemplate" rows={3} defaultValue={r.reviewTemplate ?? ''} />
      </Field>
      <Field label="Why this version" wide>
        <input type="text" name="note" />
      </Field>
    </>
  );
}

export function CreateModelForm({ options }: { options: ModelOptions }) {
  const router = useGuardedRouter();
  const { run, busy, error, errors } = useAction(CreateIncidentModelDocument);
  return (
    <form
      className="form panel"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await run({ input: recipeFrom(new FormData(e.currentTarget)) }, { refresh: false });
        if (r) router.push(`/models/${r.createIncidentModel.id}`);
      }}
    >
      <FieldErrors errors={errors}>
        <RecipeFields r={{}} o={options} />
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Create model</Submit>
      </div>
    </form>
  );
}

export function EditModelForm({ id, recipe, options }: { id: string; recipe: ModelRecipe; options: ModelOptions }) {
  const { run, busy, error, errors, done } = useAction(UpdateIncidentModelDocument);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        run({ id, input: recipeFrom(new FormData(e.currentTarget)) });
      }}
    >
      <FieldErrors errors={errors}>
        <RecipeFields r={recipe} o={options} />
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save (a changed recipe makes a new version)</Submit>
        <Saved done={done} error={error} />
      </div>
    </form>
  );
}

export function ModelStatusButton({ id, status, name }: { id: string; status: string; name: string }) {
  const retire = useAction(RetireIncidentModelDocument);
  const reactivate = useAction(ReactivateIncidentModelDocument);
  const a = status === 'ACTIVE' ? retire : reactivate;
  return (
    <span>
      {status === 'ACTIVE' ? (
        <ConfirmButton
          label="Retire"
          small={false}
          question={`Retire the incident model “${name}”? It is no longer suggested or applied; incidents that used it keep the record.`}
          busy={a.busy}
          onConfirm={() => a.run({ id })}
        />
      ) : (
        <button type="button" className="btn primary" disabled={a.busy} aria-busy={a.busy} onClick={() => a.run({ id })}>
          Reactivate
        </button>
      )}
      <FormError error={a.error} />
    </span>
  );
}
