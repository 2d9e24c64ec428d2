import { createWriteStream, type WriteStream } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { formatIncidentNumber } from '../incidents/incident.entity';
import { csvLine } from './file/csv';
import { EXPORT_COLUMNS } from './file/mapping';

/**
 * `pnpm cli export csv|json`: every incident with its links, in the columns the importer reads
 * without a mapping file, so an export imports back unchanged (matched by external reference, or
 * by id for incidents logged here). Read a page of 2,000 at a time, written as it goes.
 */
export type ExportFormat = 'csv' | 'json';

const PAGE = 2000;

const SELECT = `
  select i.id, i.number, i.external_ref, i.title, i.description, i.status, i.hold_reason, i.source, i.impact, i.urgency, i.priority,
    s.name as service,
    case when c.parent_id is null then c.name else pc.name end as category,
    case when c.parent_id is null then null else c.name end as subcategory,
    t.name as team, a.name as assignee, r.name as reporter, i.major, i.detected_at, i.opened_at, i.acknowledged_at, i.resolved_at,
    i.closed_at, i.resolution_kind, i.resolution_code, i.resolution_notes, i.user_confirmed, i.reopen_count, i.reassignment_count,
    coalesce(p.external_ref, 'PRB-' || lpad(p.number::text, 5, '0')) as problem, p.id as problem_id, p.title as problem_title,
    i.caused_by_ref, i.change_ref, i.recorded_resolution_sla_verdict, i.source_attributes,
    w.title as workaround,
    (select m.name || ' v' || v.version from incident_model_versions v join incident_models m on m.id = v.model_id
      where v.id = i.model_version_id) as incident_model,
    (select string_agg('PIR-' || lpad(rv.number::text, 4, '0'), ', ' order by rv.number) from review_incidents ri join reviews rv
      on rv.id = ri.review_id where ri.incident_id = i.id) as reviews,
    (select sc.verdict from sla_clocks sc where sc.incident_id = i.id and sc.target = 'RESOLUTION') as resolution_sla_clock,
    i.updated_at
  from incidents i
  left join services s on s.id = i.service_id
  left join categories c on c.id = i.category_id
  left join categories pc on pc.id = c.parent_id
  left join teams t on t.id = i.team_id
  left join users a on a.id = i.assignee_id
  left join users r on r.id = i.reporter_id
  left join problems p on p.id = i.problem_id
  left join workarounds w on w.id = i.resolution_workaround_id
  where i.number > ?
  order by i.number
  limit ${PAGE}`;

type Row = Record<string, any>;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const json = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? JSON.parse(v) : v);

/** One incident as an export record, keys in EXPORT_COLUMNS order. */
function record(r: Row): Record<(typeof EXPORT_COLUMNS)[number], unknown> {
  return {
    id: r.id,
    number: formatIncidentNumber(r.number),
    externalRef: r.external_ref,
    title: r.title,
    description: r.description,
    status: r.status,
    holdReason: r.hold_reason,
    source: r.source,
    impact: r.impact,
    urgency: r.urgency,
    priority: r.priority,
    service: r.service,
    category: r.category,
    subcategory: r.subcategory,
    team: r.team,
    assignee: r.assignee,
    reporter: r.reporter,
    major: r.major,
    detectedAt: iso(r.detected_at),
    openedAt: iso(r.opened_at),
    acknowledgedAt: iso(r.acknowledged_at),
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    resolutionKind: r.resolution_kind,
    resolutionCode: r.resolution_code,
    resolutionNotes: r.resolution_notes,
    userConfirmed: r.user_confirmed,
    reopenCount: r.reopen_count,
    reassignmentCount: r.reassignment_count,
    problem: r.problem,
    problemId: r.problem_id,
    problemTitle: r.problem_title,
    causedBy: r.caused_by_ref,
    changeRef: r.change_ref,
    resolutionSlaVerdict: r.recorded_resolution_sla_verdict,
    attributes: json(r.source_attributes) ?? {},
    workaround: r.workaround,
    incidentModel: r.incident_model,
    reviews: r.reviews,
    resolutionSlaClock: r.resolution_sla_clock,
    updatedAt: iso(r.updated_at),
  };
}

export interface ExportResult {
  incidents: number;
}

/** Writes the export to a stream (a file, or stdout). */
export async function exportIncidents(em: EntityManager, format: ExportFormat, out: NodeJS.WritableStream): Promise<ExportResult> {
  const write = (s: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(s)) resolve();
      else {
        out.once('drain', resolve);
        out.once('error', reject);
      }
    });
  let after = 0;
  let count = 0;
  if (format === 'csv') await write(`${csvLine(EXPORT_COLUMNS)}\r\n`);
  else
    await write(
      `{"format":"incident-knowledge-base/incidents","version":1,"exportedAt":${JSON.stringify(new Date().toISOString())},"incidents":[\n`,
    );
  for (;;) {
    const rows = await em.execute<Row[]>(SELECT, [after]);
    if (!rows.length) break;
    let chunk = '';
    for (const r of rows) {
      const rec = record(r);
      if (format === 'csv') {
        chunk += `${csvLine(
          EXPORT_COLUMNS.map((c) =>
            c === 'attributes'
              ? Object.keys(rec.attributes as object).length
                ? JSON.stringify(rec.attributes)
                : ''
              : (rec[c] as string | number | boolean | null),
          ),
        )}\r\n`;
      } else {
        chunk += `${count ? ',\n' : ''}${JSON.stringify(rec)}`;
      }
      count++;
    }
    await write(chunk);
    after = rows[rows.length - 1].number;
    if (rows.length < PAGE) break;
  }
  if (format === 'json') await write('\n]}\n');
  return { incidents: count };
}

export async function exportToFile(em: EntityManager, format: ExportFormat, path: string): Promise<ExportResult> {
  const stream: WriteStream = createWriteStream(path);
  const result = await exportIncidents(em, format, stream);
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return result;
}

/** The whole export as a string (tests, small databases). */
export async function exportToString(em: EntityManager, format: ExportFormat): Promise<string> {
  let text = '';
  const sink = { write: (s: string) => ((text += s), true), once: () => sink } as unknown as NodeJS.WritableStream;
  await exportIncidents(em, format, sink);
  return text;
}
