import type { EntityManager } from '@mikro-orm/postgresql';
import { formatProblemNumber } from '../../problems/problem.entity';
import type { AssembledIncident } from '../file/assemble';
import { IN_UUID, IN_TEXT, jsonList, sql } from '../sql-bulk';
import type { DbState } from './db-state';
import type { Directory } from './directory';

/** Reading what is there: the incidents an import matches, and names its summaries need. */

/** A stored incident an imported one matched (by external reference, or by id with matchById). */
export interface Existing {
  id: string;
  number: number;
  externalRef: string | null;
  importHash: string | null;
  importMeta: { seq?: number | null } | null;
  eventSeq: number;
  slaPolicyVersionId: string | null;
  state: DbState;
}

// Reading what is there

export async function loadExisting(em: EntityManager, incidents: AssembledIncident[], matchById: boolean): Promise<Map<string, Existing>> {
  const refs = incidents.flatMap((i) => (i.externalRef ? [i.externalRef] : []));
  const ids = matchById ? incidents.flatMap((i) => (i.id ? [i.id] : [])) : [];
  const select = `select id, number, external_ref, title, description, status, hold_reason, impact, urgency, priority,
      priority_override_reason, service_id, category_id, team_id, assignee_id, reporter_id, major, detected_at, opened_at,
      acknowledged_at, resolved_at, closed_at, resolution_kind, resolution_code, resolution_notes, user_confirmed, reopen_count,
      reassignment_count, problem_id, caused_by_ref, change_ref, recorded_resolution_sla_verdict, source_attributes, import_hash,
      import_meta, event_seq, sla_policy_version_id
    from incidents`;
  const rows: Record<string, any>[] = [];
  if (refs.length) rows.push(...(await sql<Record<string, any>>(em, `${select} where external_ref in ${IN_TEXT}`, [jsonList(refs)])));
  if (ids.length) rows.push(...(await sql<Record<string, any>>(em, `${select} where id in ${IN_UUID}`, [jsonList(ids)])));
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : typeof v === 'string' ? JSON.parse(v) : (v as T));
  const byKey = new Map<string, Existing>();
  for (const r of rows) {
    const e: Existing = {
      id: r.id,
      number: r.number,
      externalRef: r.external_ref,
      importHash: r.import_hash,
      importMeta: json(r.import_meta),
      eventSeq: r.event_seq,
      slaPolicyVersionId: r.sla_policy_version_id,
      state: {
        title: r.title,
        description: r.description,
        status: r.status,
        holdReason: r.hold_reason,
        impact: r.impact,
        urgency: r.urgency,
        priority: r.priority,
        priorityOverrideReason: r.priority_override_reason,
        serviceId: r.service_id,
        categoryId: r.category_id,
        teamId: r.team_id,
        assigneeId: r.assignee_id,
        reporterId: r.reporter_id,
        major: r.major,
        detectedAt: date(r.detected_at),
        openedAt: date(r.opened_at)!,
        acknowledgedAt: date(r.acknowledged_at),
        resolvedAt: date(r.resolved_at),
        closedAt: date(r.closed_at),
        resolutionKind: r.resolution_kind,
        resolutionCode: r.resolution_code,
        resolutionNotes: r.resolution_notes,
        userConfirmed: r.user_confirmed,
        reopenCount: r.reopen_count,
        reassignmentCount: r.reassignment_count,
        problemId: r.problem_id,
        causedByRef: r.caused_by_ref,
        changeRef: r.change_ref,
        verdict: r.recorded_resolution_sla_verdict,
        attributes: json<Record<string, string>>(r.source_attributes) ?? {},
      },
    };
    if (e.externalRef) byKey.set(`ref:${e.externalRef}`, e);
    byKey.set(`id:${e.id}`, e);
  }
  return byKey;
}

/** Names of ids the current states point at and the import did not look up, for event summaries. */
export async function loadNames(em: EntityManager, dir: Directory, states: DbState[]) {
  const want = {
    teams: new Set<string>(),
    users: new Set<string>(),
    services: new Set<string>(),
    categories: new Set<string>(),
    problems: new Set<string>(),
  };
  for (const s of states) {
    const add = (set: Set<string>, id: string | null) => id && !dir.names.has(id) && set.add(id);
    add(want.teams, s.teamId);
    add(want.users, s.assigneeId);
    add(want.users, s.reporterId);
    add(want.services, s.serviceId);
    add(want.categories, s.categoryId);
    add(want.problems, s.problemId);
  }
  for (const table of ['teams', 'users', 'services', 'categories'] as const) {
    if (!want[table].size) continue;
    const rows = await sql<{ id: string; name: string }>(em, `select id, name from ${table} where id in ${IN_UUID}`, [
      jsonList([...want[table]]),
    ]);
    for (const r of rows) dir.names.set(r.id, r.name);
  }
  if (want.problems.size) {
    const rows = await sql<{ id: string; number: number; title: string }>(
      em,
      `select id, number, title from problems where id in ${IN_UUID}`,
      [jsonList([...want.problems])],
    );
    for (const r of rows) dir.names.set(r.id, `${formatProblemNumber(r.number)}: ${r.title}`);
  }
}
