// The analytics tables' CSV files come from the API (GET /export/<table>.csv, one implementation
// for scripts and for the web app): this forwards the browser's session and the page's view, and
// passes the API's stream through as it arrives. The page's own parameters are read leniently, as
// the page reads them (an old link still downloads), and sent in their canonical form.
import { dashboardQuery, parseDashboardView } from '@ikb/domain';
import { apiUrl } from '../api-url';
import { many, one, type SearchParams } from '../params';
import { forwardedHeaders } from '../server';
import { knowledgeHealthFilter } from '../knowledge-health';
import { parseSearchAnalyticsState } from '../search-analytics';

/** The web's older list names for API tables. */
const ALIASES: Record<string, string> = { workload: 'workload-people', 'follow-through': 'follow-through-owners' };
const PASSED = ['content-type', 'content-disposition', 'x-export-rows', 'x-figures-as-of'];

function query(table: string, sp: SearchParams): string {
  const p = new URLSearchParams();
  if (table.startsWith('search-')) {
    const s = parseSearchAnalyticsState(sp);
    p.set('days', String(s.days));
    p.set('bucket', s.bucket);
  } else if (table === 'knowledge-health') {
    const f = knowledgeHealthFilter(sp);
    if (f.kind) p.set('kind', f.kind);
    if (f.ownerId) p.set('owner', String(f.ownerId));
    if (f.teamId) p.set('team', String(f.teamId));
    if (f.serviceId) p.set('service', String(f.serviceId));
  } else {
    for (const [k, v] of new URLSearchParams(dashboardQuery(parseDashboardView({ all: (k) => many(sp, k) }).view))) p.set(k, v);
  }
  if (one(sp, 'about') === '1') p.set('about', '1');
  p.set('bom', '1');
  return p.toString();
}

function plain(status: number, text: string, retryAfter?: string | null): Response {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (retryAfter) headers['retry-after'] = retryAfter;
  return new Response(`${text}\n`, { status, headers });
}

export async function apiExport(list: string, sp: SearchParams): Promise<Response> {
  const table = Object.hasOwn(ALIASES, list) ? ALIASES[list]! : list;
  const url = `${apiUrl().replace(/\/graphql\/?$/, '')}/export/${encodeURIComponent(table)}.csv?${query(table, sp)}`;
  let res: globalThis.Response;
  try {
    res = await fetch(url, { headers: await forwardedHeaders(), cache: 'no-store', redirect: 'manual' });
  } catch (err) {
    return plain(
      502,
      `The ${list} table could not be exported: cannot reach the API (${err instanceof Error ? err.message : String(err)}).`,
    );
  }
  if (res.status !== 200 || !res.body) {
    let message = `the API answered ${res.status}`;
    try {
      const body = (await res.json()) as { errors?: { message?: string }[] };
      message = body.errors?.[0]?.message ?? message;
    } catch {}
    return plain(res.status >= 400 && res.status < 600 ? res.status : 502, message, res.headers.get('retry-after'));
  }
  const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  for (const h of PASSED) {
    const v = res.headers.get(h);
    if (v) headers[h] = v;
  }
  return new Response(res.body, { status: 200, headers });
}
