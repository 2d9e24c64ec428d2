'use client';
// Close after the user confirmed (or the window lapsed); asks once more, a closed incident is read-only.
import { useState } from 'react';
import { Field, FormError, str } from '@/components/forms';
import { useUnsavedChanges } from '@/components/use-unsaved-changes';
import { TransitionIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function CloseForm({ id, number }: { id: string; number: string }) {
  const { run, busy, error } = useAction(TransitionIncidentDocument);
  const unsaved = useUnsavedChanges('closing note');
  const [confirming, setConfirming] = useState<null | { userConfirmed: boolean; note?: string }>(null);
  if (confirming) {
    return (
      <div role="alertdialog" aria-labelledby="close-confirm" className="missing">
        <p id="close-confirm">
          <strong>Close {number}?</strong> A closed incident is read-only: only reopening and review links stay possible.
        </p>
        <FormError error={error} />
        <div className="actions">
          <button
            type="button"
            className="btn danger"
            disabled={busy}
            aria-busy={busy}
            autoFocus
            onClick={() => run({ id, input: { to: 'CLOSED', ...confirming } })}
          >
            {busy ? 'Working…' : 'Yes, close it'}
          </button>
          <button type="button" className="btn plain" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      </div>
    );
  }
  return (
    <form
      className="form"
      {...unsaved.formProps}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        // The form gives way to the confirmation, which holds what was typed: nothing unsaved is left on the page.
        unsaved.markSaved();
        setConfirming({ userConfirmed: str(f, 'confirmed') === 'yes', note: str(f, 'note') });
      }}
    >
      <fieldset className="wide">
        <legend>Did the user confirm the resolution?</legend>
        <div className="checks">
          <label>
            <input type="radio" name="confirmed" value="yes" required /> Yes
          </label>
          <label>
            <input type="radio" name="confirmed" value="no" /> No (confirmation window lapsed)
          </label>
        </div>
      </fieldset>
      <Field label="Note" wide>
        <input type="text" name="note" />
      </Field>
      <div className="actions">
        <button type="submit" className="btn primary">
          Close…
        </button>
      </div>
    </form>
  );
}
