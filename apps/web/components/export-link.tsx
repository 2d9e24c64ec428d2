import type { SearchParams } from '@/lib/params';

// Paging parameters are left out: the export holds every matching row, not one page.
const PAGING = new Set(['after', 'offset', 'size']);

/** "Export CSV" for a list page: the same filters and order, as a file (app/export/[list]/route.ts). */
export function ExportLink({
  list,
  searchParams = {},
  label = 'Export CSV',
}: {
  list: string;
  searchParams?: SearchParams;
  label?: string;
}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams)) {
    if (PAGING.has(k) || v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) if (one) p.append(k, one);
  }
  const qs = p.toString();
  return (
    <a
      className="btn plain small export-link"
      href={`/export/${list}${qs ? `?${qs}` : ''}`}
      download
      title="A CSV file of every row that matches, UTF-8, for Excel and other tools"
    >
      {label}
    </a>
  );
}
