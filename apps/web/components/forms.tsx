'use client';
// Shared form parts: error and submit, labelled fields, FormData readers and the option selects.
import { cloneElement, createContext, isValidElement, useContext, useId, type ChangeEvent, type ReactElement, type ReactNode } from 'react';
import type { FieldError } from '@/lib/errors';

export { atList } from '@/lib/field-paths';
import { LEVEL_LABELS, PRIORITY_LABELS } from '@/lib/format';

/** The API's messages of the last failed call, and the fields the form shows them at (filled while it renders). */
const ErrorsContext = createContext<{ errors: FieldError[]; shown: Set<string> } | null>(null);

/** "input.steps[2].title" -> "title": the name of the control that answers for an input path. */
export function fieldKey(path: string): string {
  const parts = path
    .replace(/\[\d+\]/g, '')
    .split('.')
    .filter((p) => p && !/^\d+$/.test(p));
  return parts.at(-1) ?? path;
}

/**
 * Puts each message of a failed call next to the Field it concerns (matched by the control's name
 * or the Field's `field`); FormError inside shows only the messages no Field took.
 */
export function FieldErrors({ errors, children }: { errors: FieldError[]; children: ReactNode }) {
  // A new set each render: the Fields below add their names before FormError (after them) reads it.
  return <ErrorsContext.Provider value={{ errors, shown: new Set() }}>{children}</ErrorsContext.Provider>;
}

export function FormError({ error }: { error: string | null }) {
  const ctx = useContext(ErrorsContext);
  if (ctx && ctx.errors.length) {
    const rest = ctx.errors.filter((e) => !e.field || !ctx.shown.has(fieldKey(e.field)));
    if (!rest.length) return null;
    return (
      <p className="form-error" role="alert">
        {rest.map((e) => e.message).join(' ')}
      </p>
    );
  }
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  );
}

/**
 * Said beside the submit button once a save went through and no error came after it (a status, so
 * screen readers read it out). `done`: useAction's count of successful calls, or a flag.
 */
export function Saved({ done, error, children = 'Saved.' }: { done: number | boolean; error: string | null; children?: ReactNode }) {
  if (!done || error) return null;
  return (
    <span className="form-ok" role="status">
      {children}
    </span>
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
  field,
}: {
  label: string;
  hint?: string;
  children: ReactElement<Record<string, unknown>>;
  wide?: boolean;
  /** The API input field(s) this control answers for, when not its name (e.g. "resolutionKind" for name="kind"). */
  field?: string | string[];
}) {
  const auto = useId();
  const child = isValidElement(children) ? children : null;
  const id = (child?.props.id as string | undefined) ?? auto;
  const hintId = hint ? `${id}-hint` : undefined;
  const keys = [field ?? (child?.props.name as string | undefined)].flat().filter((k): k is string => !!k);
  const { message, errorId, invalid } = useFieldMessage(keys, id);
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${wide ? ' wide' : ''}${invalid ? ' invalid' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {child ? cloneElement(child, { id, 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined }) : children}
      {message}
      {hint ? (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The messages about `field` for a control that cannot sit in a Field (a table cell, a dialog):
 * marked as shown, so FormError leaves them out. Spread `control` on the control and render
 * `message` beside it.
 */
export function useFieldMessage(field: string | string[], idBase?: string) {
  const ctx = useContext(ErrorsContext);
  const auto = useId();
  const keys = [field].flat();
  for (const k of keys) ctx?.shown.add(k);
  const mine = ctx?.errors.filter((e) => e.field && keys.includes(fieldKey(e.field))) ?? [];
  const invalid = mine.length > 0;
  const errorId = invalid ? `${idBase ?? auto}-error` : undefined;
  return {
    invalid,
    errorId,
    control: { 'aria-invalid': invalid || undefined, 'aria-describedby': errorId },
    message: invalid ? (
      <span className="field-error" id={errorId} role="alert">
        {mine.map((e) => e.message).join(' ')}
      </span>
    ) : null,
  };
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
type Passed = { id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean };

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

const LEVELS = [1, 2, 3] as const;
const PRIORITIES = [1, 2, 3, 4, 5] as const;

/**
 * Impact or urgency ("1 — High" to "3 — Low"), or with `priority` a priority ("P1 Critical" to "P5
 * Planning"). `empty` is a first option without a value: "Choose…" where a level must be chosen
 * (with `required`), or what no choice means. Controlled when `onChange` is given.
 */
export function LevelSelect({
  name,
  priority,
  empty,
  defaultValue,
  value,
  onChange,
  required,
  ...rest
}: {
  name: string;
  priority?: boolean;
  empty?: string;
  defaultValue?: number | null;
  value?: number | null;
  onChange?: (level: number | null) => void;
  required?: boolean;
} & Passed) {
  const control = onChange
    ? {
        value: value == null ? '' : String(value),
        onChange: (e: ChangeEvent<HTMLSelectElement>) => onChange(e.currentTarget.value ? Number(e.currentTarget.value) : null),
      }
    : { defaultValue: defaultValue == null ? (empty !== undefined ? '' : '3') : String(defaultValue) };
  return (
    <select name={name} required={required} {...control} {...rest}>
      {empty !== undefined ? <option value="">{empty}</option> : null}
      {(priority ? PRIORITIES : LEVELS).map((n) => (
        <option key={n} value={n}>
          {priority ? `P${n} ${PRIORITY_LABELS[n]}` : `${n} — ${LEVEL_LABELS[n]}`}
        </option>
      ))}
    </select>
  );
}
