/// <reference lib="dom" />
// Does a page fit its viewport sideways? Used by the phone-width browser tests: the document must
// not scroll sideways, and no element may stick out of the viewport unless an ancestor clips it
// (a table that scrolls inside its own box is fine; that box is checked itself).
import type { Page } from 'playwright-core';

export interface Offender {
  /** A short CSS path to the element, e.g. `main > div.panel > table.data` (outermost offenders only). */
  selector: string;
  left: number;
  right: number;
  width: number;
  text: string;
}

export interface FitReport {
  viewport: number;
  scrollWidth: number;
  offenders: Offender[];
}

/** Measures the page as it is now; `openDetails` opens every closed <details> first (and closes them after). */
export async function measureFit(page: Page, opts: { openDetails?: boolean } = {}): Promise<FitReport> {
  return page.evaluate(
    ({ openDetails }) => {
      const opened: HTMLDetailsElement[] = [];
      if (openDetails) {
        for (const d of Array.from(document.querySelectorAll('details'))) {
          if (!d.open) {
            d.open = true;
            opened.push(d);
          }
        }
      }
      const vw = document.documentElement.clientWidth;
      const describe = (el: Element): string => {
        const parts: string[] = [];
        for (let e: Element | null = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
          const id = e.id ? `#${e.id}` : '';
          const cls =
            typeof e.className === 'string' && e.className.trim() ? `.${e.className.trim().split(/\s+/).slice(0, 2).join('.')}` : '';
          parts.unshift(`${e.tagName.toLowerCase()}${id}${cls}`);
        }
        return parts.join(' > ');
      };
      // An element inside a box that clips or scrolls sideways cannot widen the page: that box is
      // measured instead. Only boxes on its containing-block chain clip it: an absolutely positioned
      // element escapes every box up to its nearest positioned ancestor, a fixed one all of them.
      const clipped = (el: Element): boolean => {
        let position = getComputedStyle(el).position;
        for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
          if (position === 'fixed') return false;
          const s = getComputedStyle(e);
          if (position === 'absolute' && s.position === 'static') continue;
          if (s.overflowX !== 'visible') return true;
          position = s.position;
        }
        return false;
      };
      const sticking = new Set<Element>();
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        // The skip link waits off screen to the left (no sideways scroll) until it is focused.
        if (el.matches('.skip-link:not(:focus)')) continue;
        const s = getComputedStyle(el);
        if (s.visibility === 'hidden') continue;
        if (r.right <= vw + 0.5 && r.left >= -0.5) continue;
        if (clipped(el)) continue;
        sticking.add(el);
      }
      // The outermost offenders name the cause; their descendants stick out because they do.
      const offenders = Array.from(sticking)
        .filter((el) => {
          for (let e = el.parentElement; e; e = e.parentElement) if (sticking.has(e)) return false;
          return true;
        })
        .map((el) => {
          const r = el.getBoundingClientRect();
          return {
            selector: describe(el),
            left: Math.round(r.left),
            right: Math.round(r.right),
            width: Math.round(r.width),
            text: (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60),
          };
        });
      const scrollWidth = document.documentElement.scrollWidth;
      for (const d of opened) d.open = false;
      return { viewport: vw, scrollWidth, offenders };
    },
    { openDetails: opts.openDetails ?? false },
  );
}

export function describeFit(name: string, report: FitReport): string {
  const lines = report.offenders.slice(0, 6).map((o) => `  ${o.selector} (${o.left}..${o.right}, ${o.width} px wide) "${o.text}"`);
  return `${name}: page ${report.scrollWidth} px wide in a ${report.viewport} px viewport\n${lines.join('\n')}`;
}

export const fits = (r: FitReport): boolean => r.scrollWidth <= r.viewport && r.offenders.length === 0;
