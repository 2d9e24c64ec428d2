'use client';
import { useState, type ReactNode } from 'react';
import { str } from '@/components/forms';

/**
 * Inline edit forms of the admin tables. Each sits in a <details> disclosure, so it is keyboard
 * operable without script and closed until wanted; on success the page refreshes from the API and
 * the disclosure closes, on failure the API's message stays beside the form.
 */
export function EditDisclosure({ label, children }: { label: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="edit-row" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="btn plain small" aria-label={label}>
        Edit
      </summary>
      {open ? children(() => setOpen(false)) : null}
    </details>
  );
}

/** Empty text clears an optional field (null), as opposed to leaving it out (unchanged). */
export const orNull = (f: FormData, name: string) => str(f, name) ?? null;
