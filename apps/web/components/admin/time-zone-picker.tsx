'use client';
// A time zone from the list the browser knows (Intl.supportedValuesOf, which the API checks
// against too, under current IANA names: Kyiv, not ICU's Kiev), grouped by region, each with its
// offset now, and a filter beside it: no free text, so no typo can be saved. A native <select>,
// so keyboard and screen readers work as everywhere.
import { pickableTimeZones } from '@ikb/domain';
import { useEffect, useMemo, useState } from 'react';

type Zone = { id: string; region: string; place: string; offset: string };

function offsetNow(zone: string, now: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(now)
      .find((p) => p.type === 'timeZoneName')?.value;
    // "GMT+05:30", or "GMT" at zero.
    const m = /^GMT([+-]\d{2}:\d{2})?$/.exec(part ?? '');
    if (!m) return '';
    return m[1] ? `UTC${m[1].replace('-', '−')}` : 'UTC±00:00';
  } catch {
    return '';
  }
}

function describe(id: string, now: Date): Zone {
  const slash = id.indexOf('/');
  const region = slash > 0 ? id.slice(0, slash) : 'UTC and others';
  const place = (slash > 0 ? id.slice(slash + 1) : id).replaceAll('_', ' ');
  return { id, region, place, offset: offsetNow(id, now) };
}

/** The browser's zones (after mount: the server's Intl list differs, and the markup must match). */
function useZones(current: string): Zone[] | null {
  const [known, setKnown] = useState<{ ids: string[]; now: Date } | null>(null);
  useEffect(() => {
    const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    setKnown({ ids: pickableTimeZones(list), now: new Date() });
  }, []);
  return useMemo(() => {
    if (!known) return null;
    // A zone saved before the picker (or named differently by this browser) stays choosable.
    const all = current && !known.ids.includes(current) ? [current, ...known.ids] : known.ids;
    return all.map((id) => describe(id, known.now));
  }, [known, current]);
}

export function TimeZonePicker({
  name,
  defaultValue,
  id,
  required,
  'aria-describedby': describedBy,
}: {
  name: string;
  defaultValue?: string | null;
  /** Set by Field: the label points at the select. */
  id?: string;
  required?: boolean;
  'aria-describedby'?: string;
}) {
  const [value, setValue] = useState(defaultValue ?? '');
  const [filter, setFilter] = useState('');
  const zones = useZones(value);
  const selectId = id ?? `tz-${name}`;
  const filterId = `${selectId}-filter`;

  useEffect(() => {
    // A new calendar starts in the admin's own zone.
    if (defaultValue === undefined) setValue(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  }, [defaultValue]);

  const shown = useMemo(() => {
    if (!zones) return null;
    const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const match = (z: Zone) => {
      const text = `${z.id} ${z.place} ${z.offset} ${z.offset.replace('−', '-')}`.toLowerCase();
      return words.every((w) => text.includes(w));
    };
    const groups = new Map<string, Zone[]>();
    for (const z of zones) if (z.id === value || match(z)) groups.set(z.region, [...(groups.get(z.region) ?? []), z]);
    return groups;
  }, [zones, filter, value]);
  const count = shown ? [...shown.values()].reduce((n, l) => n + l.length, 0) : 0;

  return (
    <span className="tz-picker">
      <input
        id={filterId}
        type="search"
        className="tz-filter"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        placeholder="Filter: city, region or +05:30"
        aria-label="Filter time zones"
        aria-controls={selectId}
        autoComplete="off"
      />
      <select
        id={selectId}
        name={name}
        value={value}
        required={required}
        onChange={(e) => setValue(e.target.value)}
        aria-describedby={[describedBy, `${selectId}-count`].filter(Boolean).join(' ')}
      >
        {value === '' ? <option value="">Choose a time zone</option> : null}
        {shown
          ? [...shown.entries()].map(([region, list]) => (
              <optgroup key={region} label={region}>
                {list.map((z) => (
                  <option key={z.id} value={z.id}>
                    {z.place}
                    {z.offset ? ` (${z.offset})` : ''}
                  </option>
                ))}
              </optgroup>
            ))
          : value && <option value={value}>{value}</option>}
      </select>
      <span id={`${selectId}-count`} className="visually-hidden" aria-live="polite">
        {shown ? `${count} time zone${count === 1 ? '' : 's'} listed` : ''}
      </span>
    </span>
  );
}
