'use client';
// Asks before a suggestion changes the incident: a modal <dialog> that names what will change,
// opens with the focus on Cancel (the safe choice), and closes on Escape. Self-contained so the
// incident page does not depend on the shared confirm button other pages use.
import { useId, useRef, type ReactNode } from 'react';

export function ConfirmApply({
  label,
  ariaLabel,
  title,
  confirmLabel,
  busy,
  onConfirm,
  children,
}: {
  /** The button that opens the dialog. */
  label: string;
  ariaLabel: string;
  /** The dialog's heading, a question. */
  title: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  /** What will change on the incident, and why it was suggested. */
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const heading = useId();
  const body = useId();
  const close = () => {
    dialog.current?.close();
    opener.current?.focus();
  };
  return (
    <>
      <button
        ref={opener}
        type="button"
        className="btn primary small"
        disabled={busy}
        aria-busy={busy}
        aria-label={ariaLabel}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
      >
        {busy ? 'Applying…' : label}
      </button>
      <dialog
        ref={dialog}
        className="confirm-apply"
        aria-labelledby={heading}
        aria-describedby={body}
        // Escape closes the dialog natively; the focus goes back to the button that opened it.
        onClose={() => opener.current?.focus()}
      >
        <h2 id={heading}>{title}</h2>
        <div id={body} className="confirm-apply-body">
          {children}
        </div>
        <div className="actions">
          <button type="button" className="btn" autoFocus onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
