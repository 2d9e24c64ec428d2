// GET /export/<list>?<the list's own query string>: the list as a CSV file (lib/csv-export.ts), or
// an analytics table as the API's GET /export/<table>.csv writes it (lib/exports/api-export.ts).
// Each list page links here with its current filters, so the file holds what the page shows, in
// its order, every row of it (streamed page by page).
import { csvExport } from '@/lib/csv-export';
import { categoryExport, serviceExport, teamExport, userExport } from '@/lib/exports/admin-exports';
import { awaitingExport, incidentExport, queueExport } from '@/lib/exports/incident-exports';
import { knownErrorExport, modelExport, problemExport, reviewExport, workaroundExport } from '@/lib/exports/knowledge-exports';
import { apiExport } from '@/lib/exports/api-export';
import type { SearchParams } from '@/lib/params';
import { boundGql, type Gql } from '@/lib/server';

export const dynamic = 'force-dynamic';

const LISTS: Record<string, (sp: SearchParams, gql: Gql) => Promise<Response>> = {
  incidents: (sp, q) => csvExport(incidentExport(sp, q)),
  queue: (sp, q) => csvExport(queueExport(sp, q)),
  'awaiting-review': (_sp, q) => csvExport(awaitingExport(q)),
  problems: (sp, q) => csvExport(problemExport(sp, q)),
  'known-errors': (_sp, q) => csvExport(knownErrorExport(q)),
  workarounds: (sp, q) => csvExport(workaroundExport(sp, q)),
  models: (sp, q) => csvExport(modelExport(sp, q)),
  reviews: (sp, q) => csvExport(reviewExport(sp, q)),
  users: (_sp, q) => csvExport(userExport(q)),
  teams: (_sp, q) => csvExport(teamExport(q)),
  services: (_sp, q) => csvExport(serviceExport(q)),
  categories: (_sp, q) => csvExport(categoryExport(q)),
};

function searchParams(url: URL): SearchParams {
  const sp: SearchParams = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    sp[key] = all.length > 1 ? all : all[0];
  }
  return sp;
}

export async function GET(request: Request, { params }: { params: Promise<{ list: string }> }): Promise<Response> {
  const { list } = await params;
  const make = Object.hasOwn(LISTS, list) ? LISTS[list] : undefined;
  // The analytics tables (dashboard, workload, follow-through, knowledge health, search analytics)
  // are the API's: it answers 404 with its list for a name neither knows.
  if (!make) return apiExport(list, searchParams(new URL(request.url)));
  // Bound once here: later pages are fetched after this handler has returned (the stream).
  return make(searchParams(new URL(request.url)), await boundGql());
}
