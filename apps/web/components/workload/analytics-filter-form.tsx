// The range and filter form of the workload and follow-through pages: the dashboard's own query
// parameters (range, from, to, tz, service, team, priority), so a link carries over between them.
import { RANGES, TIME_ZONES, type DashboardState } from '@/lib/dashboard';

export interface FilterOptions {
  services: { id: string; name: string }[];
  teams: { id: string; name: string }[];
}

export function AnalyticsFilterForm({ action, state, options }: { action: string; state: DashboardState; options: FilterOptions }) {
  const zones = TIME_ZONES.includes(state.timeZone) ? TIME_ZONES : [state.timeZone, ...TIME_ZONES];
  return (
    <form className="filters dashboard-controls" method="get" action={action} aria-label="Range and filters">
      <div className="form">
        <label className="field">
          <span className="field-label">Range</span>
          <select name="range" defaultValue={state.range}>
            {Object.entries(RANGES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">From (custom)</span>
          <input type="date" name="from" defaultValue={state.from} />
        </label>
        <label className="field">
          <span className="field-label">To (custom, included)</span>
          <input type="date" name="to" defaultValue={state.to} />
        </label>
        <label className="field">
          <span className="field-label">Time zone</span>
          <select name="tz" defaultValue={state.timeZone}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Service</span>
          <select name="service" defaultValue={state.serviceIds[0] ?? ''}>
            <option value="">All services</option>
            {options.services.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Team</span>
          <select name="team" defaultValue={state.teamIds[0] ?? ''}>
            <option value="">All teams</option>
            {options.teams.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Priority</span>
          <select name="priority" defaultValue={state.priorities.join(',')}>
            <option value="">All priorities</option>
            {[1, 2, 3, 4, 5].map((p) => (
              <option key={p} value={String(p)}>
                P{p}
              </option>
            ))}
          </select>
        </label>
        <div className="actions">
          <button className="btn" type="submit">
            Apply
          </button>
        </div>
      </div>
    </form>
  );
}

/** A metric's definition beside its figure, with how it is computed one click away. */
export function Definition({ def }: { def: { name: string; definition: string; details: string } | undefined }) {
  if (!def) return null;
  return (
    <div className="metric-definition small muted" data-testid="metric-definition">
      <p>{def.definition}</p>
      <details>
        <summary>How it is computed</summary>
        <p>{def.details}</p>
      </details>
    </div>
  );
}

export const fmtHours = (v: number) => `${v.toFixed(1)} h`;
export const fmtShare = (v: number | null | undefined) => (v == null ? '–' : `${(v * 100).toFixed(1)} %`);
