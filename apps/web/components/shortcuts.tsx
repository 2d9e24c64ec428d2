'use client';
import { useEffect } from 'react';
// Evaluated with the app layout, before the app router mounts: its Back/Forward guard must be the
// first popstate listener on window (see use-unsaved-changes.ts).
import './use-unsaved-changes';

/** "/" focuses the page's main filter or search box (an element with data-shortcut="filter"). */
export function Shortcuts() {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key !== '/' || e.metaKey || e.ctrlKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      const box = document.querySelector<HTMLElement>('[data-shortcut="filter"]');
      if (box) {
        e.preventDefault();
        box.focus();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return null;
}
