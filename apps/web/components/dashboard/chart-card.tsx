'use client';
// Pieces every dashboard chart shares: the card with its metric definition and data table, and the
// number formats. Split out so the chart files stay small; all of it ships in the lazy charts chunk.
import type { ReactNode } from 'react';
import type { MouseHandlerDataParam } from 'recharts';
import type { MetricNote } from '@/lib/dashboard-data';

export const AXIS = { fontSize: 12, fill: '#444e5c' };
export const HEIGHT = 260;

export function pct(v: number | null | undefined): string {
  return v == null ? '—' : `${(v * 100).toFixed(1)} %`;
}

export function hours(v: number | null | undefined): string {
  if (v == null) return '—';
  return v < 48 ? `${v.toFixed(1)} h` : `${(v / 24).toFixed(1)} d`;
}

export function money(cents: number): string {
  return (cents / 100).toLocaleString('en-GB', { maximumFractionDigits: 0 });
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
  wide,
}: {
  id: string;
  title: string;
  metrics: (MetricNote | null)[];
  summary?: ReactNode;
  children: ReactNode;
  table: ReactNode;
  wide?: boolean;
}) {
  return (
    <section className={`panel chart-card${wide ? ' wide' : ''}`} aria-labelledby={`${id}-h`} data-chart={id}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>{title}</h2>
        {summary ? <span className="small">{summary}</span> : null}
      </div>
      <Definition metrics={metrics} />
      <div className="chart-box">{children}</div>
      <details className="chart-data">
        <summary>Data table (each row opens its incidents)</summary>
        <div className="table-wrap">{table}</div>
      </details>
    </section>
  );
}

export function indexOf(state: MouseHandlerDataParam): number | null {
  const i = state?.activeTooltipIndex ?? state?.activeIndex;
  const n = typeof i === 'number' ? i : i != null ? Number(i) : NaN;
  return Number.isInteger(n) ? n : null;
}
