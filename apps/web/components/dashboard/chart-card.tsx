'use client';
// Pieces every dashboard chart shares: the card with its metric definition, data table and
// downloads, drawing when the card nears the screen, and the number formats. Split out so the chart
// files stay small; all of it ships in the lazy charts chunk.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { ResponsiveContainer, type MouseHandlerDataParam } from 'recharts';
import { download, fileName, svgToPng } from '@/lib/chart-export';
import type { ExportContext, MetricNote } from '@/lib/dashboard-data';

export const AXIS = { fontSize: 12, fill: '#444e5c' };
const HEIGHT = 260;
const EMPTY_HEIGHT = 60;
export const NO_DATA = 'no data';

/** A bar chart with one row per name (service, team, problem): room for each row and the axis. */
export function rowsHeight(rows: number, perRow = 44, extra = 50, min = 140): number {
  return Math.max(min, rows * perRow + extra);
}

export function pct(v: number | null | undefined): string {
  return v == null ? NO_DATA : `${(v * 100).toFixed(1)} %`;
}

export function hours(v: number | null | undefined): string {
  if (v == null) return NO_DATA;
  return v < 48 ? `${v.toFixed(1)} h` : `${(v / 24).toFixed(1)} d`;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
/** Cents as an amount of the organisation's currency: "€1,234". */
export function money(cents: number, currency: string): string {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0 });
    moneyFormats.set(currency, f);
  }
  return f.format(cents / 100);
}

/** Shared by every card: the view the exports describe, and whether to draw every chart now (printing). */
export const ChartsContext = createContext<{ context: ExportContext; drawAll: boolean }>({
  context: { query: '', slug: 'dashboard' },
  drawAll: false,
});

/**
 * Cards not yet near the screen, in page order: once the page is idle they are drawn one at a time
 * (an idle callback each), so a reader who scrolls finds them drawn, and nothing competes with the
 * first screen's charts while the page loads.
 */
const waiting: { draw: () => void }[] = [];
let idleStarted = false;
function drawNextWhenIdle(): void {
  if (!waiting.length) return;
  const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 200));
  idle(() => waiting.shift()?.draw(), { timeout: 4000 });
}
function startIdleDrawing(): void {
  if (idleStarted) return;
  idleStarted = true;
  if (document.readyState === 'complete') drawNextWhenIdle();
  else window.addEventListener('load', () => drawNextWhenIdle(), { once: true });
}

/**
 * True once the element nears the screen (or printing, or its turn came while the page was idle):
 * charts further down do not keep the first screen's charts waiting.
 */
function useNear(ref: React.RefObject<HTMLElement | null>, always: boolean): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (near || always || !el) return;
    if (typeof IntersectionObserver === 'undefined') return setNear(true);
    const entry = { draw: () => setNear(true) };
    waiting.push(entry);
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), {
      rootMargin: '150px 0px',
    });
    io.observe(el);
    startIdleDrawing();
    return () => {
      io.disconnect();
      const i = waiting.indexOf(entry);
      if (i >= 0) waiting.splice(i, 1);
    };
  }, [ref, near, always]);
  // Each chart drawn hands the turn to the next waiting one.
  useEffect(() => {
    if (near && idleStarted) drawNextWhenIdle();
  }, [near]);
  return near || always;
}

/** The metric's definition beside the chart; how exactly it is computed one click away. */
function Definition({ metrics }: { metrics: (MetricNote | null)[] }) {
  const list = metrics.filter((m): m is MetricNote => m != null);
  if (!list.length) return null;
  return (
    <div className="metric-note">
      {list.map((m) => {
        const prefix = `${m.name.toLowerCase()}:`;
        const text = m.definition.toLowerCase().startsWith(prefix) ? m.definition.slice(prefix.length).trim() : m.definition;
        return (
          <div key={m.id}>
            <p>
              <strong>{m.name}:</strong> {text}
            </p>
            {m.details ? (
              <details>
                <summary>How it is computed</summary>
                <p className="muted">{m.details}</p>
              </details>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

export function ChartCard({
  id,
  title,
  metrics,
  summary,
  children,
  table,
  exportAs,
  legend = [],
  note,
  height: chartHeight = HEIGHT,
  empty,
  wide,
}: {
  id: string;
  title: string;
  metrics: (MetricNote | null)[];
  summary?: ReactNode;
  /** The recharts chart, drawn (at `height`, the card's width) once the card nears the screen. */
  children: ReactNode;
  /** Said instead of the chart when there is nothing to draw; the card then keeps a short box. */
  empty?: string | null;
  table: ReactNode;
  /** The API's table of exactly the rows the chart draws (GET /export/<exportAs>.csv), for "Download CSV". */
  exportAs: string;
  /** Series names, written above the chart in the PNG (the legend itself is HTML). */
  legend?: string[];
  /** Said under the chart, e.g. which bucket is partial. */
  note?: ReactNode;
  height?: number;
  wide?: boolean;
}) {
  const { context, drawAll } = useContext(ChartsContext);
  const height = empty ? EMPTY_HEIGHT : chartHeight;
  const box = useRef<HTMLDivElement>(null);
  const near = useNear(box, drawAll);
  const [error, setError] = useState<string | null>(null);
  // The file comes from the API with the page's view, the metric's definition and the filter in words.
  const csvHref = `/export/${exportAs}?${context.query ? `${context.query}&` : ''}about=1`;
  const pngDownload = async () => {
    setError(null);
    // The chart's own surface: the largest one (the legend's icons are small SVG surfaces too).
    const svg = [...(box.current?.querySelectorAll<SVGSVGElement>('svg.recharts-surface') ?? [])]
      .map((el) => ({ el, area: el.getBoundingClientRect().width * el.getBoundingClientRect().height }))
      .sort((a, b) => b.area - a.area)[0]?.el;
    if (!svg) return setError('The chart is not drawn yet.');
    try {
      download(await svgToPng(svg, title, legend), fileName(title, context.slug, 'png'));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className={`panel chart-card${wide ? ' wide' : ''}`} aria-labelledby={`${id}-h`} data-chart={id}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>{title}</h2>
        {summary ? <span className="small">{summary}</span> : null}
      </div>
      <Definition metrics={metrics} />
      <div className="chart-box" ref={box} style={{ minHeight: height }} data-drawn={near ? 'true' : 'false'}>
        {!near ? (
          <div className="chart-placeholder" style={{ height }} aria-hidden="true" />
        ) : empty ? (
          <p className="empty">{empty}</p>
        ) : (
          <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
            {children}
          </ResponsiveContainer>
        )}
      </div>
      {note ? <div className="chart-note small">{note}</div> : null}
      <div className="chart-actions">
        <details className="chart-data">
          <summary>Data table (each row opens its incidents)</summary>
          <div className="table-wrap">{table}</div>
        </details>
        <span className="chart-downloads">
          <a className="btn plain small" href={csvHref} download aria-label={`Download CSV: ${title}`}>
            Download CSV
          </a>
          <button type="button" className="btn plain small" onClick={pngDownload} aria-label={`Download PNG: ${title}`} disabled={!near}>
            PNG
          </button>
        </span>
        {error ? (
          <span className="form-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
    </section>
  );
}

/** Said under a time series whose first or last bucket is partial: the hatched / dashed mark and up to when. */
export function PartialNote({ rows }: { rows: { label: string; partial: boolean; partialNote: string }[] }) {
  const partial = rows.filter((r) => r.partial);
  if (!partial.length) return null;
  return (
    <p data-partial="true">
      <svg width="14" height="10" aria-hidden="true" className="partial-swatch">
        <rect x="0.75" y="0.75" width="12.5" height="8.5" fill="#7d8a99" fillOpacity={0.35} stroke="#7d8a99" strokeDasharray="4 2" />
      </svg>{' '}
      {partial.map((r) => `${r.label}: ${r.partialNote}`).join('; ')}
    </p>
  );
}

export function indexOf(state: MouseHandlerDataParam): number | null {
  const i = state?.activeTooltipIndex ?? state?.activeIndex;
  const n = typeof i === 'number' ? i : i != null ? Number(i) : NaN;
  return Number.isInteger(n) ? n : null;
}
