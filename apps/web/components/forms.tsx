'use client';
// Shared form parts: error and submit, labelled fields, FormData readers and the option selects.
import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';
import { LEVEL_LABELS } from '@/lib/format';

export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  );
}

export function Submit({ busy, children, variant }: { busy: boolean; children: ReactNode; variant?: 'primary' | 'danger' | 'plain' }) {
  return (
    <button type="submit" className={`btn ${variant ?? 'primary'}`} disabled={busy} aria-busy={busy}>
      {busy ? 'Working…' : children}
    </button>
  );
}

/**
 * A labelled field; the control is the only child. The label points at the control (htmlFor) and
 * the hint is its description, so the accessible name is just the label text.
 */
export function Field({
  label,
  hint,
  children,
  wide,
}: {
  label: string;
  hint?: string;
  children: ReactElement<Record<string, unknown>>;
  wide?: boolean;
}) {
  const auto = useId();
  const child = isValidElement(children) ? children : null;
  const id = (child?.props.id as string | undefined) ?? auto;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={`field${wide ? ' wide' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {child ? cloneElement(child, { id, 'aria-describedby': hintId }) : children}
      {hint ? (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function str(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function int(form: FormData, name: string): number | undefined {
  const v = str(form, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

export function bool(form: FormData, name: string): boolean {
  return form.get(name) === 'on' || form.get(name) === 'true';
}

/** Option lists passed down from server components. */
export interface Option {
  id: string;
  name: string;
}

export interface CategoryOption extends Option {
  retired?: boolean;
  children: (Option & { retired?: boolean })[];
}

/** What Field passes on to its control. */
type Passed = { id?: string; 'aria-describedby'?: string };

export function CategorySelect({
  categories,
  name,
  defaultValue,
  empty,
  ...rest
}: { categories: CategoryOption[]; name: string; defaultValue?: string; empty: string } & Passed) {
  return (
    <select name={name} defaultValue={defaultValue ?? ''} {...rest}>
      <option value="">{empty}</option>
      {/* Retired categories are not offered, except the one already chosen (kept on the record). */}
      {categories
        .filter((c) => !c.retired || c.id === defaultValue || c.children.some((ch) => ch.id === defaultValue))
        .map((c) => (
          <optgroup key={c.id} label={c.name}>
            {!c.retired || c.id === defaultValue ? <option value={c.id}>{c.name} (any)</option> : null}
            {c.children
              .filter((ch) => !ch.retired || ch.id === defaultValue)
              .map((ch) => (
                <option key={ch.id} value={ch.id}>
                  {ch.name}
                </option>
              ))}
          </optgroup>
        ))}
    </select>
  );
}

export function OptionSelect({
  options,
  name,
  defaultValue,
  empty,
  required,
  ...rest
}: { options: Option[]; name: string; defaultValue?: string | null; empty?: string; required?: boolean } & Passed) {
  return (
    <select name={name} defaultValue={defaultValue ?? ''} required={required} {...rest}>
      {empty !== undefined ? <option value="">{empty}</option> : null}
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </select>
  );
}

export function LevelSelect({ name, defaultValue, ...rest }: { name: string; defaultValue?: number } & Passed) {
  return (
    <select name={name} defaultValue={String(defaultValue ?? 3)} {...rest}>
      {[1, 2, 3].map((n) => (
        <option key={n} value={n}>
          {n} — {LEVEL_LABELS[n]}
        </option>
      ))}
    </select>
  );
}
