/**
 * The postmortem archive's CSV export: what `pnpm cli import csv <file> --mapping
 * apps/api/bench/postmortems/postmortems.mapping.json` reads (write-export.ts writes it to a file).
 */
import { writeFileSync } from 'node:fs';
import { POSTMORTEMS, type Postmortem } from './index';

const COLUMNS = [
  'id',
  'title',
  'severity',
  'status',
  'service',
  'category',
  'team',
  'started_at',
  'resolved_at',
  'closed_at',
  'postmortem',
  'resolution',
  'resolution_code',
] as const;

/** Closed a week after resolution, as the archive does once the postmortem is reviewed. */
const closedAt = (p: Postmortem) => new Date(Date.parse(p.resolvedAt) + 7 * 86_400_000).toISOString();

function row(p: Postmortem): string[] {
  const open = p.status === 'Monitoring';
  return [
    p.ref,
    p.title,
    p.severity,
    p.status,
    p.service,
    p.category,
    p.team,
    p.startedAt,
    open ? '' : p.resolvedAt,
    p.status === 'Closed' ? closedAt(p) : '',
    p.postmortem,
    // Still open when exported: the resolution is written when it is resolved here (load.ts).
    open ? '' : p.resolution,
    open ? '' : p.resolutionCode,
  ];
}

const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** RFC 4180, every field quoted, CRLF between records (paragraphs keep their LF inside quotes). */
export function postmortemCsv(postmortems: Postmortem[] = POSTMORTEMS): string {
  return [COLUMNS as readonly string[], ...postmortems.map(row)].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

export function writePostmortemExport(path: string, postmortems: Postmortem[] = POSTMORTEMS): void {
  writeFileSync(path, postmortemCsv(postmortems), 'utf8');
}
