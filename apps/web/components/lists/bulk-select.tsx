// A labelled select of a bulk bar; "" is the empty choice (keep as is, or nothing chosen yet).
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
  return (
    <label className="field inline">
      <span className="field-label">{label}</span>
      <select name={name} required={required} defaultValue="">
        <option value="">{empty ?? 'Choose…'}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
