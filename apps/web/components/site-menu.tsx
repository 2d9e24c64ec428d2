'use client';
import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState, type FocusEvent, type MouseEvent, type ReactNode } from 'react';

/**
 * The header's navigation and user menu. On wide screens they sit in the bar and the button is
 * hidden (globals.css, ux-phones); on narrow ones they fold behind one "Menu" button, a disclosure:
 * aria-expanded says its state, Escape closes it and puts focus back on the button, and it closes
 * when focus or a click goes elsewhere, or a link in it is followed.
 */
export function SiteMenu({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState(pathname);
  const button = useRef<HTMLButtonElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  // A new page closes the menu (set while rendering: React's pattern for state that follows a prop).
  if (pathname !== path) {
    setPath(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    function onKey(e: KeyboardEvent) {
      if (e.key !== 'Escape') return;
      setOpen(false);
      if (wrap.current?.contains(document.activeElement)) button.current?.focus();
    }
    function onPointer(e: PointerEvent) {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    }
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  function onBlur(e: FocusEvent<HTMLDivElement>) {
    // Tabbing past the last item (or anywhere outside) folds the menu away again.
    if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget as Node)) setOpen(false);
  }
  function onClick(e: MouseEvent<HTMLDivElement>) {
    // Following a link to the page already shown changes no pathname: close here too.
    if ((e.target as HTMLElement).closest('a')) setOpen(false);
  }
  return (
    <div className="site-menu-wrap" ref={wrap} onBlur={onBlur}>
      <button
        ref={button}
        type="button"
        className="menu-button btn small on-dark"
        aria-expanded={open}
        aria-controls="site-menu"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true" className="menu-icon" />
        Menu
      </button>
      <div id="site-menu" className="site-menu" data-open={open ? '' : undefined} onClick={onClick}>
        {children}
      </div>
    </div>
  );
}
