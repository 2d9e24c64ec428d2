'use client';
// A labelled select of a bulk bar; "" is the empty choice (keep as is, or nothing chosen yet). The
// label points at the select (not around it), so its accessible name is the label alone, not the
// label followed by every option.
import { useId } from 'react';

export type Option = { id: string; name: string };

export function BulkSelect({
  name,
  label,
  options,
  empty,
  required,
}: {
  name: string;
  label: string;
  options: Option[];
  empty?: string;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div className="field inline">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} name={name} required={required} defaultValue="">
        <option value="">{empty ?? 'Choose…'}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}
