'use client';
import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';

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
export function Field({ label, hint, children, wide }: { label: string; hint?: string; children: ReactElement<Record<string, unknown>>; wide?: boolean }) {
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
