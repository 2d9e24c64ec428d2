'use client';
// recharts lives in its own chunk, loaded through next/dynamic by the dashboard only (no other page
// downloads it). The chunk is imported during server rendering too, so the page's HTML names it and
// the browser fetches it in parallel with the page's other scripts instead of after hydration; the
// charts themselves are drawn in the browser only (the server sends the placeholders).
import dynamic from 'next/dynamic';
import type { ChartsData } from '@/lib/dashboard-data';

export function ChartsPlaceholder() {
  return (
    <div className="charts-grid" aria-busy="true">
      {['Incident volume', 'Time to resolve', 'SLA compliance by priority', 'SLA compliance over time', 'Top recurring problems', 'Cost by service', 'Backlog by age', 'Time to acknowledge and to detect, by priority', 'Knowledge reuse by category'].map((t, i) => (
        <section key={t} className={`panel chart-card chart-loading${i === 0 ? ' wide' : ''}`}>
          <h2>{t}</h2>
          <div className="chart-placeholder">Drawing the chart…</div>
        </section>
      ))}
    </div>
  );
}

const Impl = dynamic(() => import('./dashboard-charts-impl'), { loading: ChartsPlaceholder });

export function DashboardCharts({ data }: { data: ChartsData }) {
  return <Impl data={data} />;
}
