'use client';
// The parts every bulk bar shares. What a bulk bar says after it acted: a live region that is always in the page (so screen readers
// announce "3 problems assigned to Team Payments" when it fills), and, when the API refused some rows,
// the refusal with each row's reason; nothing was changed then (all or nothing).
import { useState } from 'react';
import { ConfirmButton } from '@/components/confirm-button';
import { Submit } from '@/components/forms';
import { clearSelection, selectedIds } from './select-all-box';

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function BulkOutcome({
  done,
  refusals,
  asked,
  noun,
}: {
  done: string | null;
  refusals: { id: string; message: string }[];
  /** How many rows the refused change was asked for. */
  asked: number;
  noun: string;
}) {
  return (
    <>
      <p className={done ? 'notice small' : 'visually-hidden'} role="status">
        {done ?? ''}
      </p>
      {refusals.length ? (
        <div className="form-error bulk-refusals" role="alert">
          <p>
            Nothing was changed: {refusals.length} of {plural(asked, `selected ${noun}`)} {refusals.length === 1 ? 'was' : 'were'} refused.
          </p>
          <ul>
            {refusals.map((r) => (
              <li key={r.id}>{r.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

/**
 * The bar's apply button. A status move asks first (there is no undo): the question names what will
 * happen to how many rows, and confirming submits the bar's form, so its required fields are checked
 * as for a plain submit. Other changes (owner, team, review) apply at once.
 */
export function BulkApply({ form, selected, busy, ask }: { form: string; selected: number; busy: boolean; ask: string | null }) {
  const label = selected ? `Apply to ${selected}` : 'Apply';
  if (!ask || !selected) return <Submit busy={busy}>{label}</Submit>;
  return (
    <ConfirmButton
      label={label}
      question={ask}
      confirmLabel={`Yes, apply to ${selected}`}
      variant="primary"
      small={false}
      busy={busy}
      onConfirm={() => (document.getElementById(form) as HTMLFormElement | null)?.requestSubmit()}
    />
  );
}

export type Refusal = { id: string; message: string };

/**
 * The state every bulk bar keeps about its last run: `begin` takes the selection (and forgets the
 * last outcome), `refused` lists the API's refusals (nothing changed), `succeeded` says what changed
 * and clears the selection.
 */
export function useBulkOutcome<Done = string>(form: string) {
  const [refusals, setRefusals] = useState<Refusal[]>([]);
  const [asked, setAsked] = useState(0);
  const [done, setDone] = useState<Done | null>(null);
  return {
    refusals,
    asked,
    done,
    begin(): string[] {
      const ids = selectedIds(form);
      setRefusals([]);
      setDone(null);
      setAsked(ids.length);
      return ids;
    },
    refused: setRefusals,
    succeeded(what: Done) {
      setDone(what);
      clearSelection(form);
    },
  };
}

/** The live count of selected rows, or what to do when none is. */
export function BulkCount({ selected, none }: { selected: number; none: string }) {
  return (
    <p className="bulk-count" aria-live="polite">
      {selected ? `${selected} selected` : none}
    </p>
  );
}

/** The bar's "Action" select; entries given as null are not offered (e.g. no review to add to). */
export function BulkActionSelect<A extends string>({
  value,
  onChange,
  options,
}: {
  value: A;
  onChange: (a: A) => void;
  options: ([A, string] | null)[];
}) {
  return (
    <label className="field inline">
      <span className="field-label">Action</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value as A)}>
        {options
          .filter((o): o is [A, string] => o !== null)
          .map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
      </select>
    </label>
  );
}
