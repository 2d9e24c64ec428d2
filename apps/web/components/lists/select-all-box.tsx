'use client';
// "Select all on this page" for a table whose row checkboxes belong to the form `form`: checked
// when every row is, mixed when some are; toggling it sets every row. Native checkboxes, so Tab and
// Space work as everywhere else.
import { useEffect, useRef, useState } from 'react';

/** The row checkboxes of a bulk form: they sit in the table and name the form (the form's own fields sit inside it). */
export function rowBoxes(form: string): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][form="${form}"]`)];
}

/** The ids of the checked rows. */
export function selectedIds(form: string): string[] {
  return rowBoxes(form)
    .filter((b) => b.checked)
    .map((b) => b.value);
}

/** After a bulk change: nothing selected any more, and every counter says so. */
export function clearSelection(form: string): void {
  for (const b of rowBoxes(form)) b.checked = false;
  document.dispatchEvent(new Event('ikb-selection'));
}

/** How many rows of the form are checked, kept up to date as boxes change. */
export function useSelectedCount(form: string): number {
  const [selected, setSelected] = useState(0);
  useEffect(() => {
    const sync = () => setSelected(selectedIds(form).length);
    sync();
    document.addEventListener('change', sync);
    document.addEventListener('ikb-selection', sync);
    return () => {
      document.removeEventListener('change', sync);
      document.removeEventListener('ikb-selection', sync);
    };
  }, [form]);
  return selected;
}

export function SelectAllBox({ form, label }: { form: string; label: string }) {
  const ref = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'none' | 'some' | 'all'>('none');
  useEffect(() => {
    const sync = () => {
      const boxes = rowBoxes(form);
      const n = boxes.filter((b) => b.checked).length;
      setState(n === 0 ? 'none' : n === boxes.length ? 'all' : 'some');
    };
    sync();
    document.addEventListener('change', sync);
    document.addEventListener('ikb-selection', sync);
    return () => {
      document.removeEventListener('change', sync);
      document.removeEventListener('ikb-selection', sync);
    };
  }, [form]);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === 'some';
  }, [state]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label={label}
      checked={state === 'all'}
      onChange={(e) => {
        for (const b of rowBoxes(form)) b.checked = e.currentTarget.checked;
        document.dispatchEvent(new Event('ikb-selection'));
      }}
    />
  );
}
