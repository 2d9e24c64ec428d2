// 90 bars, one per UTC day: the day's worst published impact as colour, its uptime in the tooltip.
import type { StatusService } from '@/lib/status-api';

const FILL: Record<string, string> = {
  OPERATIONAL: '#2f8a4e',
  DEGRADED_PERFORMANCE: '#c99a06',
  PARTIAL_OUTAGE: '#d9731a',
  MAJOR_OUTAGE: '#b42318',
};

const pct = (u: number) => `${(Math.floor(u * 10_000 + 1e-9) / 100).toFixed(2)} %`;

export function UptimeBars({ service }: { service: StatusService }) {
  const n = service.days.length;
  const first = service.days[0]?.date ?? '';
  const last = service.days[n - 1]?.date ?? '';
  return (
    <svg
      className="status-bars"
      viewBox={`0 0 ${n * 4} 24`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`${service.name}: ${service.uptimeText} uptime over ${n} days, ${first} to ${last}`}
    >
      {service.days.map((d, i) => (
        <rect key={d.date} x={i * 4} y={0} width={3} height={24} rx={0.5} fill={FILL[d.state] ?? FILL.OPERATIONAL} data-state={d.state}>
          <title>{`${d.date}: ${pct(d.uptime)} up${d.downMinutes ? `, ${d.downMinutes} min down` : ''}`}</title>
        </rect>
      ))}
    </svg>
  );
}
