// What the dashboard shows until the lazily loaded charts are drawn (and what the server renders):
// shared by the lazy wrapper (dashboard-charts.tsx) and the charts themselves (charts-impl.tsx).
export function ChartsPlaceholder() {
  return (
    <div className="charts-grid" aria-busy="true">
      {[
        'Incident volume',
        'Time to resolve',
        'SLA compliance by priority',
        'SLA compliance over time',
        'Top recurring problems',
        'Cost by service',
        'SLA compliance by service',
        'SLA compliance by team',
        'Time to resolve by service',
        'Time to resolve by team',
        'Backlog by age',
        'Time to acknowledge and to detect, by priority',
        'Knowledge reuse by category',
      ].map((t, i) => (
        <section key={t} className={`panel chart-card chart-loading${i === 0 ? ' wide' : ''}`}>
          <h2>{t}</h2>
          <div className="chart-placeholder">Drawing the chart…</div>
        </section>
      ))}
    </div>
  );
}
