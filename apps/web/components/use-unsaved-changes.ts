'use client';
// Warns before half-typed text is lost: closing or reloading the tab (beforeunload) and following a
// link inside the app (Next's <Link> included) ask first while any form using this hook is dirty.
import { useCallback, useEffect, useId, useRef, type FormEvent } from 'react';

/** Dirty forms on the page, by hook id, with what each holds ("work note"). */
const dirty = new Map<string, string>();
let installed = false;

export function unsavedMessage(): string {
  const what = [...new Set(dirty.values())];
  return `You have unsaved text (${what.join(', ')}). Leave this page and lose it?`;
}

function onBeforeUnload(e: BeforeUnloadEvent) {
  if (!dirty.size) return;
  e.preventDefault();
  // Older browsers show the dialog only when returnValue is set; the text itself is not shown.
  e.returnValue = '';
}

/**
 * Capture phase on the document: runs before React's own listener on the app root, so cancelling
 * here stops Next's <Link> from navigating as well as the browser's default.
 */
function onClick(e: MouseEvent) {
  if (!dirty.size || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a[href]');
  if (!(a instanceof HTMLAnchorElement) || a.hasAttribute('download') || (a.target && a.target !== '_self')) return;
  const to = new URL(a.href, location.href);
  // Same page (an in-page anchor): nothing is lost.
  if (to.origin === location.origin && to.pathname === location.pathname && to.search === location.search) return;
  if (!window.confirm(unsavedMessage())) {
    e.preventDefault();
    e.stopPropagation();
  }
}

function sync() {
  if (dirty.size && !installed) {
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    installed = true;
  } else if (!dirty.size && installed) {
    window.removeEventListener('beforeunload', onBeforeUnload);
    document.removeEventListener('click', onClick, true);
    installed = false;
  }
}

/** Whether any control differs from what it started with (typing and deleting again is not a change). */
export function formIsDirty(form: HTMLFormElement): boolean {
  for (const el of Array.from(form.elements)) {
    if (el instanceof HTMLTextAreaElement) {
      if (el.value !== el.defaultValue) return true;
    } else if (el instanceof HTMLInputElement) {
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.checked !== el.defaultChecked) return true;
      } else if (el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button' && el.value !== el.defaultValue) return true;
    } else if (el instanceof HTMLSelectElement) {
      if (Array.from(el.options).some((o) => o.selected !== o.defaultSelected)) return true;
    }
  }
  return false;
}

/**
 * Spread `formProps` on a <form>: typing marks it dirty, resetting it (form.reset() after a save)
 * or `markSaved()` marks it clean. `what` names the text in the warning, e.g. "work note".
 */
export function useUnsavedChanges(what: string) {
  const id = useId();
  const form = useRef<HTMLFormElement | null>(null);
  const set = useCallback(
    (isDirty: boolean) => {
      if (isDirty) dirty.set(id, what);
      else dirty.delete(id);
      sync();
    },
    [id, what],
  );
  // Unmounting (the page changed, or the form went away after a save) takes the form off the list.
  useEffect(() => () => set(false), [set]);
  const check = useCallback((e: FormEvent<HTMLFormElement>) => set(formIsDirty(e.currentTarget)), [set]);
  return {
    formProps: {
      ref: form,
      onInput: check,
      onChange: check,
      // reset fires before the controls are back to their defaults: after it, nothing is typed.
      onReset: () => set(false),
    },
    markSaved: () => set(false),
    /** After a failed save the text is still unsaved: check again. */
    recheck: () => {
      if (form.current) set(formIsDirty(form.current));
    },
  };
}
