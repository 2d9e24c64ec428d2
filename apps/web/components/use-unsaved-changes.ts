'use client';
// Warns before half-typed text is lost while any form using this hook is dirty, on every way out:
// closing or reloading the tab (beforeunload), following a link inside the app (Next's <Link>
// included), the browser's Back and Forward buttons (popstate), and programmatic navigation through
// useGuardedRouter / confirmLeave. Cancelling keeps the page, its text and its URL as they were.
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

/** Asks before leaving for `href` (any navigation when omitted); true when nothing is at risk or the user agreed. */
export function confirmLeave(href?: string): boolean {
  if (!dirty.size) return true;
  if (href !== undefined) {
    const to = new URL(href, location.href);
    if (to.origin === location.origin && to.pathname === location.pathname && to.search === location.search) return true;
  }
  return window.confirm(unsavedMessage());
}

/**
 * Back and Forward. A popstate cannot be cancelled: the URL has already changed when it fires. So the
 * listener keeps the app router from seeing it, asks, and then either hands the event to the router or
 * traverses back to where the page was (the Navigation API says how far the traversal went; without
 * it, one step: the Back button). Listeners on window run in the order they were added, capture or
 * not, so ours is added when this module is first evaluated (the app layout's Shortcuts imports it),
 * before the app router mounts and adds its own; it does nothing while no form is dirty.
 */
type Entry = { index: number; url: string | null };
type Nav = {
  currentEntry: Entry | null;
  addEventListener: (type: string, f: (e: Event) => void) => void;
};
type EntryChange = Event & { navigationType?: string; from?: Entry };
const nav = () => (window as unknown as { navigation?: Nav }).navigation;
const pathOf = (url: string) => {
  const u = new URL(url, location.href);
  return u.pathname + u.search;
};
/** Where the page was when the form became dirty (without the Navigation API, all we know). */
let page = '';
/** The entry the last traversal left (the Navigation API reports it before the popstate). */
let left: Entry | null = null;
/** Set while we traverse back after a cancelled Back/Forward: that popstate is ours, not the user's. */
let restoring = false;
/** Set while we hand an agreed traversal on to the router. */
let passing = false;

function onEntryChange(e: Event) {
  const change = e as EntryChange;
  if (change.navigationType === 'traverse' && change.from) left = { index: change.from.index, url: change.from.url };
}

function onPopState(e: PopStateEvent) {
  if (passing || (!dirty.size && !restoring)) {
    left = null;
    return;
  }
  const from = left;
  left = null;
  // An in-page anchor, or back to one: the page stays, nothing is lost.
  if (!restoring && pathOf(from?.url ?? page) === pathOf(location.href)) return;
  e.stopImmediatePropagation();
  if (restoring) {
    restoring = false;
    return;
  }
  if (!dirty.size || window.confirm(unsavedMessage())) {
    passing = true;
    try {
      window.dispatchEvent(new PopStateEvent('popstate', { state: e.state }));
    } finally {
      passing = false;
    }
    return;
  }
  const now = nav()?.currentEntry?.index;
  const delta = from && now !== undefined ? from.index - now : 1;
  if (delta === 0) return;
  restoring = true;
  history.go(delta);
}

function sync() {
  if (dirty.size && !installed) {
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    page = location.href;
    installed = true;
  } else if (!dirty.size && installed) {
    window.removeEventListener('beforeunload', onBeforeUnload);
    document.removeEventListener('click', onClick, true);
    installed = false;
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', onPopState, true);
  nav()?.addEventListener('currententrychange', onEntryChange);
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
