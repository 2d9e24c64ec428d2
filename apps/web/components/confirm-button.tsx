'use client';
// Destructive actions ask before they act: the first click only asks ("Revoke this token?") and
// offers the action again beside Cancel; the second click runs it. The question takes the place of
// the first button, so a double click lands on the text, not on the confirmation. Escape cancels,
// and focus goes to Cancel, then back to the first button: a keyboard user pressing Enter twice
// never acts by accident.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  busy = false,
  variant = 'danger',
  small = true,
  accessibleLabel,
  children,
  confirmDisabled = false,
}: {
  /** The first button's text, e.g. "Revoke". */
  label: ReactNode;
  /** What is asked, e.g. "Revoke this token? It stops working at once." */
  question: ReactNode;
  /** The confirming button's text (default: the label). */
  confirmLabel?: ReactNode;
  onConfirm: () => unknown;
  busy?: boolean;
  variant?: 'danger' | 'primary' | 'plain';
  small?: boolean;
  /** A fuller name for the first button when the label alone is ambiguous in a table ("Revoke token laptop"). */
  accessibleLabel?: string;
  /** More to settle before confirming, shown after the question (e.g. a reason field). */
  children?: ReactNode;
  /** Keeps the confirming button disabled (e.g. until the reason is given). */
  confirmDisabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const questionId = useId();
  const size = small ? ' small' : '';

  useEffect(() => {
    if (asking) cancelRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      openerRef.current?.focus();
    }
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={openerRef}
        type="button"
        className={`btn ${variant === 'danger' ? 'plain' : variant}${size}`}
        disabled={busy}
        aria-busy={busy}
        aria-label={accessibleLabel}
        onClick={() => setAsking(true)}
      >
        {busy ? 'Working…' : label}
      </button>
    );
  }
  const cancel = () => {
    returnFocus.current = true;
    setAsking(false);
  };
  return (
    <span
      className="confirm"
      role="group"
      aria-labelledby={questionId}
      style={{ display: 'inline-flex', flexWrap: 'wrap', gap: '0.4rem', alignItems: 'center' }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') cancel();
      }}
    >
      <span id={questionId} className="small">
        {question}
      </span>
      {children}
      <button
        type="button"
        className={`btn ${variant}${size}`}
        disabled={busy || confirmDisabled}
        aria-busy={busy}
        onClick={async () => {
          // onConfirm may answer false (refused: the error shows beside it) to keep the question open.
          if ((await onConfirm()) !== false) setAsking(false);
        }}
      >
        {busy ? 'Working…' : (confirmLabel ?? label)}
      </button>
      <button ref={cancelRef} type="button" className={`btn plain${size}`} onClick={cancel} disabled={busy}>
        Cancel
      </button>
    </span>
  );
}
