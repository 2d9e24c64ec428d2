import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Column } from '../sql-bulk';
import type { DbState } from './db-state';

/** The rows an import writes: incident and event columns, an incident's row, and numbers. */

// Writing

export const INCIDENT_COLUMNS: Column[] = [
  ['id', 'uuid'],
  ['number', 'integer'],
  ['title', 'text'],
  ['description', 'text'],
  ['service_id', 'uuid'],
  ['category_id', 'uuid'],
  ['impact', 'smallint'],
  ['urgency', 'smallint'],
  ['priority', 'smallint'],
  ['priority_override_reason', 'text'],
  ['status', 'varchar'],
  ['hold_reason', 'varchar'],
  ['source', 'varchar'],
  ['reporter_id', 'uuid'],
  ['assignee_id', 'uuid'],
  ['team_id', 'uuid'],
  ['major', 'boolean'],
  ['external_ref', 'varchar'],
  ['detected_at', 'timestamptz'],
  ['opened_at', 'timestamptz'],
  ['acknowledged_at', 'timestamptz'],
  ['resolved_at', 'timestamptz'],
  ['closed_at', 'timestamptz'],
  ['resolution_kind', 'varchar'],
  ['resolution_code', 'varchar'],
  ['resolution_notes', 'text'],
  ['user_confirmed', 'boolean'],
  ['reopen_count', 'integer'],
  ['reassignment_count', 'integer'],
  ['sla_policy_version_id', 'uuid'],
  ['problem_id', 'uuid'],
  ['event_seq', 'integer'],
  ['updated_at', 'timestamptz'],
  ['version', 'integer'],
  ['recorded_resolution_sla_verdict', 'varchar'],
  ['caused_by_ref', 'varchar'],
  ['change_ref', 'varchar'],
  ['source_attributes', 'jsonb'],
  ['import_hash', 'varchar'],
  ['import_meta', 'jsonb'],
];
/** Updated in place: everything but id, number, source, external reference and version. */
export const UPDATE_COLUMNS = INCIDENT_COLUMNS.filter(([n]) => !['id', 'number', 'source', 'external_ref', 'version'].includes(n));

export const EVENT_COLUMNS: Column[] = [
  ['incident_id', 'uuid'],
  ['seq', 'integer'],
  ['at', 'timestamptz'],
  ['recorded_at', 'timestamptz'],
  ['actor_name', 'varchar'],
  ['kind', 'varchar'],
  ['summary', 'text'],
  ['before', 'jsonb'],
  ['after', 'jsonb'],
  ['data', 'jsonb'],
];

export function incidentRow(
  id: string,
  number: number,
  s: DbState,
  extra: {
    source: string;
    externalRef: string | null;
    eventSeq: number;
    policyVersionId: string | null;
    hash: string;
    meta: Record<string, unknown>;
    now: Date;
  },
) {
  return {
    id,
    number,
    title: s.title,
    description: s.description,
    service_id: s.serviceId,
    category_id: s.categoryId,
    impact: s.impact,
    urgency: s.urgency,
    priority: s.priority,
    priority_override_reason: s.priorityOverrideReason,
    status: s.status,
    hold_reason: s.holdReason,
    source: extra.source,
    reporter_id: s.reporterId,
    assignee_id: s.assigneeId,
    team_id: s.teamId,
    major: s.major,
    external_ref: extra.externalRef,
    detected_at: s.detectedAt,
    opened_at: s.openedAt,
    acknowledged_at: s.acknowledgedAt,
    resolved_at: s.resolvedAt,
    closed_at: s.closedAt,
    resolution_kind: s.resolutionKind,
    resolution_code: s.resolutionCode,
    resolution_notes: s.resolutionNotes,
    user_confirmed: s.userConfirmed,
    reopen_count: s.reopenCount,
    reassignment_count: s.reassignmentCount,
    sla_policy_version_id: extra.policyVersionId,
    problem_id: s.problemId,
    event_seq: extra.eventSeq,
    updated_at: extra.now,
    version: 1,
    recorded_resolution_sla_verdict: s.verdict,
    caused_by_ref: s.causedByRef,
    change_ref: s.changeRef,
    source_attributes: Object.keys(s.attributes).length ? s.attributes : null,
    import_hash: extra.hash,
    import_meta: extra.meta,
  };
}

export async function nextNumbers(em: EntityManager, sequence: string, n: number): Promise<number[]> {
  if (!n) return [];
  const rows = await sql<{ n: string }>(em, `select nextval('${sequence}') as n from generate_series(1, ?)`, [n]);
  return rows.map((r) => Number(r.n)).sort((a, b) => a - b);
}
