'use client';
import { useEffect } from 'react';

/** The visible words of a header cell: without the arrows and the screen-reader-only hints of sort links. */
function headerText(th: HTMLTableCellElement): string {
  const copy = th.cloneNode(true) as HTMLElement;
  for (const el of Array.from(copy.querySelectorAll('.visually-hidden, [aria-hidden="true"]'))) el.remove();
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function labelTables(): void {
  for (const table of Array.from(document.querySelectorAll<HTMLTableElement>('main table.data'))) {
    const head = table.tHead?.rows[0];
    if (!head) continue;
    const names: string[] = [];
    for (const th of Array.from(head.cells)) for (let i = 0; i < th.colSpan; i++) names.push(headerText(th));
    for (const body of Array.from(table.tBodies)) {
      for (const row of Array.from(body.rows)) {
        let column = 0;
        for (const cell of Array.from(row.cells)) {
          const name = names[column] ?? '';
          if (cell.getAttribute('data-label') !== name) cell.setAttribute('data-label', name);
          column += cell.colSpan;
        }
      }
    }
  }
}

/**
 * On a phone the list tables stack into one card per row (globals.css, ux-phones), and a card's
 * cells no longer sit under their column heading: each cell gets its heading as data-label, which
 * the stylesheet shows beside it. Done here once for every table of the app, rows rendered later
 * included, rather than in each table's markup.
 */
export function TableLabels() {
  useEffect(() => {
    let frame = 0;
    labelTables();
    const observer = new MutationObserver(() => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        labelTables();
      });
    });
    const main = document.getElementById('main');
    if (main) observer.observe(main, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, []);
  return null;
}
