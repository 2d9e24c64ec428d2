'use client';
// A secret the API shows once (an API token, an alert source's token, a generated password): in a
// read-only field with a Copy button, the warning that it will not be shown again, ready-to-paste
// snippets below it, and a button to put it away. The secret lives only in the browser's memory
// of this page: leaving or reloading the page loses it, as the warning says.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

async function copyText(text: string, fallback: HTMLInputElement | HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {}
  // No clipboard API (a plain-http address): select the text so Ctrl+C / Cmd+C copies it.
  if (fallback) {
    fallback.focus();
    fallback.select();
    try {
      return document.execCommand('copy');
    } catch {}
  }
  return false;
}

/** A Copy button for a value, saying in a live region whether it worked. */
export function CopyButton({
  text,
  label = 'Copy',
  target,
}: {
  text: string;
  label?: string;
  target?: () => HTMLInputElement | HTMLTextAreaElement | null;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  return (
    <>
      <button
        type="button"
        className="btn plain small"
        onClick={async () => setState((await copyText(text, target?.() ?? null)) ? 'copied' : 'select')}
      >
        {label}
      </button>
      <span role="status" className="small muted">
        {state === 'copied' ? 'Copied.' : state === 'select' ? 'Selected: press Ctrl+C (Cmd+C) to copy.' : ''}
      </span>
    </>
  );
}

/** A labelled block of text to paste elsewhere (a curl command, a YAML block), with its own Copy button. */
export function CopyBlock({ label, text, hint }: { label: string; text: string; hint?: ReactNode }) {
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const rows = Math.min(16, text.split('\n').length + 1);
  return (
    <div className="field" style={{ marginTop: '0.6rem' }}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint ? <span className="field-hint">{hint}</span> : null}
      <textarea
        id={id}
        ref={ref}
        className="mono small"
        readOnly
        value={text}
        rows={rows}
        spellCheck={false}
        wrap="off"
        style={{ minHeight: 0 }}
      />
      <div className="actions">
        <CopyButton text={text} label={`Copy ${label.toLowerCase()}`} target={() => ref.current} />
      </div>
    </div>
  );
}

/**
 * The box a freshly made secret is shown in. `label` names it ("API token"), `children` add
 * snippets that use it; `onDone` removes the box.
 */
export function SecretOnce({
  title,
  label,
  secret,
  onDone,
  children,
}: {
  title: string;
  label: string;
  secret: string;
  onDone: () => void;
  children?: ReactNode;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Announce and reveal the box: focus moves to its heading when it appears.
  useEffect(() => {
    heading.current?.focus();
  }, [secret]);
  return (
    <section className="ok-box secret-once" aria-labelledby={`${id}-h`} data-testid="secret-once">
      <h3 id={`${id}-h`} ref={heading} tabIndex={-1} style={{ marginTop: 0 }}>
        {title}
      </h3>
      <p style={{ margin: '0 0 0.5rem' }}>
        <strong>Store it now: it will not be shown again.</strong> Only a hash of it is kept; if it is lost, make a new one.
      </p>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-secret`}>
          {label}
        </label>
        <div className="actions" style={{ flexWrap: 'nowrap' }}>
          <input
            id={`${id}-secret`}
            ref={input}
            type="text"
            className="mono"
            readOnly
            value={secret}
            spellCheck={false}
            autoComplete="off"
            data-secret
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton text={secret} target={() => input.current} />
        </div>
      </div>
      {children}
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <button type="button" className="btn primary small" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}
