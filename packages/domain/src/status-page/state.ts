// What the public status page says about a service (issue 25, docs/notifications.md "Status page").
// Only published incidents count: those with at least one public update. The page never reads the
// incident itself; each public update carries the impact the incident's priority had when it was posted.

export const PUBLIC_STATES = ['INVESTIGATING', 'IDENTIFIED', 'MONITORING', 'RESOLVED'] as const;
export type PublicState = (typeof PUBLIC_STATES)[number];

/** Worst first. */
export const SERVICE_STATES = ['MAJOR_OUTAGE', 'PARTIAL_OUTAGE', 'DEGRADED_PERFORMANCE', 'OPERATIONAL'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export type PublicImpact = 'MAJOR_OUTAGE' | 'PARTIAL_OUTAGE' | 'DEGRADED_PERFORMANCE' | 'NONE';

export const SERVICE_STATE_LABELS: Record<ServiceState, string> = {
  MAJOR_OUTAGE: 'Major outage',
  PARTIAL_OUTAGE: 'Partial outage',
  DEGRADED_PERFORMANCE: 'Degraded performance',
  OPERATIONAL: 'Operational',
};

export const PUBLIC_STATE_LABELS: Record<PublicState, string> = {
  INVESTIGATING: 'Investigating',
  IDENTIFIED: 'Identified',
  MONITORING: 'Monitoring',
  RESOLVED: 'Resolved',
};

/** The title a public update shows when its author gives none: nothing of the internal title. */
export const NEUTRAL_PUBLIC_TITLE = 'Service disruption';

/** P1 = major outage, P2 = partial outage, P3 = degraded performance, P4 and P5: no visible impact. */
export function impactOfPriority(priority: number): PublicImpact {
  if (priority <= 1) return 'MAJOR_OUTAGE';
  if (priority === 2) return 'PARTIAL_OUTAGE';
  if (priority === 3) return 'DEGRADED_PERFORMANCE';
  return 'NONE';
}

/** Impacts that count as downtime in the uptime figures (degraded performance is not down). */
export const isDowntime = (impact: PublicImpact) => impact === 'MAJOR_OUTAGE' || impact === 'PARTIAL_OUTAGE';

/** A service's state: the worst impact among its open published incidents; none: operational. */
export function serviceState(openImpacts: readonly PublicImpact[]): ServiceState {
  let worst: ServiceState = 'OPERATIONAL';
  for (const i of openImpacts) {
    const s: ServiceState = i === 'NONE' ? 'OPERATIONAL' : i;
    if (SERVICE_STATES.indexOf(s) < SERVICE_STATES.indexOf(worst)) worst = s;
  }
  return worst;
}

export interface PublicUpdateRow {
  incidentId: string;
  serviceIds: readonly string[];
  title: string;
  state: PublicState;
  impact: PublicImpact;
  body: string;
  startedAt: number;
  postedAt: number;
}

export interface PublicIncident {
  incidentId: string;
  serviceIds: readonly string[];
  /** The latest update's title, state and impact. */
  title: string;
  state: PublicState;
  impact: PublicImpact;
  startedAt: number;
  /** When the latest update said RESOLVED; null while open. */
  endedAt: number | null;
  /** Newest first. */
  updates: { state: PublicState; body: string; postedAt: number }[];
}

/**
 * Groups public updates by incident. The latest update decides: its state (open unless RESOLVED),
 * its impact and its services. A published incident runs from when the incident began (detected,
 * or logged) to the posting of its RESOLVED update.
 */
export function publicIncidents(rows: readonly PublicUpdateRow[]): PublicIncident[] {
  const by = new Map<string, PublicUpdateRow[]>();
  for (const r of rows) {
    const list = by.get(r.incidentId);
    if (list) list.push(r);
    else by.set(r.incidentId, [r]);
  }
  const out: PublicIncident[] = [];
  for (const [incidentId, list] of by) {
    list.sort((a, b) => a.postedAt - b.postedAt);
    const last = list[list.length - 1]!;
    const startedAt = Math.min(...list.map((r) => Math.min(r.startedAt, r.postedAt)));
    out.push({
      incidentId,
      serviceIds: last.serviceIds,
      title: last.title,
      state: last.state,
      impact: last.impact,
      startedAt,
      endedAt: last.state === 'RESOLVED' ? last.postedAt : null,
      updates: list
        .slice()
        .reverse()
        .map((r) => ({ state: r.state, body: r.body, postedAt: r.postedAt })),
    });
  }
  return out.sort((a, b) => b.startedAt - a.startedAt);
}
