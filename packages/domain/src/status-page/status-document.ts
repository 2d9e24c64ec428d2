// The shape of GET /status.json: built by the API (features/status-page/status-read.ts) and read by
// the web app's /status page (apps/web/lib/status-api.ts); one definition for both.
import type { PublicImpact, PublicState, ServiceState } from './state';

export interface StatusDay {
  date: string;
  uptime: number;
  downMinutes: number;
  /** The worst impact of a published incident that day (degraded performance shows, but is not downtime). */
  state: ServiceState;
}

export interface StatusService {
  id: string;
  name: string;
  state: ServiceState;
  stateLabel: string;
  uptime: number;
  uptimeText: string;
  days: StatusDay[];
}

export interface StatusIncident {
  id: string;
  title: string;
  state: PublicState;
  stateLabel: string;
  impact: PublicImpact;
  startedAt: string;
  resolvedAt: string | null;
  services: { id: string; name: string }[];
  updates: { state: PublicState; stateLabel: string; body: string; postedAt: string }[];
}

export interface StatusDocument {
  generatedAt: string;
  state: ServiceState;
  stateLabel: string;
  services: StatusService[];
  active: StatusIncident[];
  recent: StatusIncident[];
  subscriptions: boolean;
  definitions: { state: string; uptime: string };
}
