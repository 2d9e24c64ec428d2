// The public status page's calls to the API's HTTP routes (GET /status.json, /status/subscribe ...),
// made by the web server: no session, no GraphQL. Types mirror apps/api/src/features/status-page/status-read.ts.
import { headers } from 'next/headers';
import { apiUrl } from './api-url';
import { clientAddressHeaders } from './upstream';

export type ServiceState = 'MAJOR_OUTAGE' | 'PARTIAL_OUTAGE' | 'DEGRADED_PERFORMANCE' | 'OPERATIONAL';

export interface StatusDay {
  date: string;
  uptime: number;
  downMinutes: number;
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
  state: string;
  stateLabel: string;
  impact: string;
  startedAt: string;
  resolvedAt: string | null;
  services: { id: string; name: string }[];
  updates: { state: string; stateLabel: string; body: string; postedAt: string }[];
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

/** The API's address without /graphql: where its other routes are. */
export const apiBase = () => apiUrl().replace(/\/graphql\/?$/, '');

export interface StatusAnswer {
  status: number;
  ok: boolean;
  message: string;
  field?: string;
}

async function forward(): Promise<Record<string, string>> {
  return clientAddressHeaders(await headers());
}

export async function fetchStatus(): Promise<{ doc?: StatusDocument; error?: string }> {
  try {
    const res = await fetch(`${apiBase()}/status.json`, { cache: 'no-store' });
    if (!res.ok) return { error: `The status service answered ${res.status}` };
    return { doc: (await res.json()) as StatusDocument };
  } catch {
    return { error: 'The status service cannot be reached right now' };
  }
}

/** Calls one of the subscription routes; the API's message (and the field it names) come back. */
export async function statusCall(path: string, init: { method: 'GET' | 'POST'; json?: unknown }): Promise<StatusAnswer> {
  try {
    const res = await fetch(`${apiBase()}${path}`, {
      method: init.method,
      cache: 'no-store',
      headers: { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(await forward()) },
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
    const body = (await res.json().catch(() => ({}))) as { message?: string; error?: string; field?: string };
    const message = (res.ok ? body.message : body.error) ?? `The status service answered ${res.status}`;
    // The API words refusals as "field: what is wrong"; beside the field the prefix is not needed.
    return {
      status: res.status,
      ok: res.ok,
      message: body.field ? message.replace(new RegExp(`^${body.field}: `), '') : message,
      field: body.field,
    };
  } catch {
    return { status: 503, ok: false, message: 'The status service cannot be reached right now; try again' };
  }
}
