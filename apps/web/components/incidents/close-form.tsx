'use client';
// Close after the user confirmed (or the window lapsed); asks once more, a closed incident is read-only.
import { useState } from 'react';
import { Field, FieldErrors, FormError, str, useFieldMessage } from '@/components/forms';
import { useUnsavedChanges } from '@/components/use-unsaved-changes';
import { TransitionIncidentDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

function ConfirmedChoice() {
  const { control, message } = useFieldMessage('userConfirmed');
  return (
    <fieldset className="wide" aria-describedby={control['aria-describedby']}>
      <legend>Did the user confirm the resolution?</legend>
      <div className="checks">
        <label>
          <input type="radio" name="confirmed" value="yes" required aria-invalid={control['aria-invalid']} /> Yes
        </label>
        <label>
          <input type="radio" name="confirmed" value="no" aria-invalid={control['aria-invalid']} /> No (confirmation window lapsed)
        </label>
      </div>
      {message}
    </fieldset>
  );
}

export function CloseForm({ id, number }: { id: string; number: string }) {
  const { run, busy, error, errors } = useAction(TransitionIncidentDocument);
  const unsaved = useUnsavedChanges('closing note');
  const [confirming, setConfirming] = useState<null | { userConfirmed: boolean; note?: string }>(null);
  return (
    <>
      {confirming ? (
        <div role="alertdialog" aria-labelledby="close-confirm" className="missing">
          <p id="close-confirm">
            <strong>Close {number}?</strong> A closed incident is read-only: only reopening and review links stay possible.
          </p>
          <div className="actions">
            <button
              type="button"
              className="btn danger"
              disabled={busy}
              aria-busy={busy}
              autoFocus
              onClick={async () => {
                // Refused: back to the form, which still holds what was typed, with each message at its field.
                if (!(await run({ id, input: { to: 'CLOSED', ...confirming } }))) setConfirming(null);
              }}
            >
              {busy ? 'Working…' : 'Yes, close it'}
            </button>
            <button type="button" className="btn plain" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {/* Hidden, not unmounted, while the question is asked: the typed note stays, and stays guarded. */}
      <form
        className="form"
        hidden={!!confirming}
        {...unsaved.formProps}
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          setConfirming({ userConfirmed: str(f, 'confirmed') === 'yes', note: str(f, 'note') });
        }}
      >
        <FieldErrors errors={errors}>
          <ConfirmedChoice />
          <Field label="Note" wide>
            <input type="text" name="note" />
          </Field>
          <FormError error={error} />
        </FieldErrors>
        <div className="actions">
          <button type="submit" className="btn primary">
            Close…
          </button>
        </div>
      </form>
    </>
  );
}
