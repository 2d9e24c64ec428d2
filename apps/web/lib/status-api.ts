// The public status page's calls to the API's HTTP routes (GET /status.json, /status/subscribe ...),
// made by the web server: no session, no GraphQL. The document's shape is @ikb/domain's StatusDocument.
import { headers } from 'next/headers';
import { apiUrl } from './api-url';
import { clientAddressHeaders } from './upstream';

export type { ServiceState, StatusDay, StatusDocument, StatusIncident, StatusService } from '@ikb/domain';
import type { StatusDocument } from '@ikb/domain';

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
