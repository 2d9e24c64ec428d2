'use client';
// Retiring an SLA policy asks first, in a modal <dialog>: what retiring does, who still uses the
// policy, and the API's refusal if something does. Escape and Cancel close it; focus starts on
// Cancel so that Enter pressed twice never retires by accident, and returns to the opener.
import { useId, useRef } from 'react';
import { FormError } from '@/components/forms';
import { RetireSlaPolicyDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';

export function RetirePolicyDialog({ id, name, services }: { id: string; name: string; services: string[] }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const { run, busy, error, setError } = useAction(RetireSlaPolicyDocument);
  const titleId = useId();
  const close = () => {
    dialog.current?.close();
  };
  return (
    <>
      <button
        ref={opener}
        type="button"
        className="btn plain small"
        aria-haspopup="dialog"
        aria-label={`Retire ${name}`}
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
      >
        Retire
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={titleId} onClose={() => opener.current?.focus()}>
        <h2 id={titleId}>Retire “{name}”?</h2>
        <p>
          A retired policy is no longer offered: it cannot be given to services or incident models, or made the default. Incidents already
          running under it keep their clocks. You can restore it later.
        </p>
        {services.length ? (
          <p className="field-warning">
            Still used by {services.join(', ')}: give {services.length === 1 ? 'that service' : 'those services'} another policy first.
          </p>
        ) : null}
        <FormError error={error} />
        <div className="actions">
          <button
            type="button"
            className="btn danger"
            disabled={busy}
            aria-busy={busy}
            onClick={async () => {
              if (await run({ id })) close();
            }}
          >
            {busy ? 'Working…' : 'Retire policy'}
          </button>
          <button type="button" className="btn plain" autoFocus onClick={close}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}
