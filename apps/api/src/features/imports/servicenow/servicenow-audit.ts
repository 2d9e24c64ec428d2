/**
 * The audit history of incidents (sys_audit: one row per changed field per update, with the old
 * and new value and the update's record_checkpoint, i.e. its sys_mod_count) turned into the audit
 * event-log shape the importer already reads: one row per update with the incident's state after
 * it. The rows are rebuilt backwards from the incident as it is now: the row of update c is the
 * current record with every field changed after c put back to its value then.
 *
 * Only the fields the mapping reads as history are followed: state, priority, impact, urgency,
 * assignment group and assignee. sys_audit holds codes and sys_ids: references become names through
 * the display values of the same page, else through `names` (looked up on the instance); a sys_id
 * whose name is not known is left out of the history (that change is not shown) rather than turned
 * into a team or person named by a sys_id.
 */

export interface AuditEntry {
  documentkey: string;
  fieldname: string;
  oldvalue: string;
  newvalue: string;
  user: string;
  sys_created_on: string;
  record_checkpoint: string;
}

export const FOLLOWED_FIELDS = ['state', 'incident_state', 'priority', 'impact', 'urgency', 'assignment_group', 'assigned_to'];
export const REFERENCE_TABLES: Record<string, string> = { assignment_group: 'sys_user_group', assigned_to: 'sys_user' };

/** sys_id -> display name per reference field, from the page's {display_value, value} pairs. */
export function namesFromRecords(raw: readonly Record<string, unknown>[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of raw) {
    for (const field of Object.keys(REFERENCE_TABLES)) {
      const v = r[field] as { display_value?: unknown; value?: unknown } | undefined;
      if (v && typeof v === 'object' && typeof v.value === 'string' && typeof v.display_value === 'string' && v.value && v.display_value)
        names.set(v.value, v.display_value);
    }
  }
  return names;
}

/** The sys_ids of references in the entries that `names` does not know, by table. */
export function unknownReferences(entries: readonly AuditEntry[], names: ReadonlyMap<string, string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of entries) {
    const table = REFERENCE_TABLES[e.fieldname];
    if (!table) continue;
    for (const v of [e.oldvalue, e.newvalue]) {
      if (v && !names.has(v)) {
        if (!out.has(table)) out.set(table, new Set());
        out.get(table)!.add(v);
      }
    }
  }
  return out;
}

/**
 * The rows to import for a page: per incident with history, one row per audited update before the
 * current one, then the current record. `records` are the page's records as read
 * (servicenow/table-api.ts), keyed by their sys_id.
 */
export function historyRows(
  records: readonly Record<string, string>[],
  entries: readonly AuditEntry[],
  names: ReadonlyMap<string, string>,
): { rows: Record<string, string>[]; updates: number; unnamed: number } {
  const byDoc = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    if (!FOLLOWED_FIELDS.includes(e.fieldname)) continue;
    if (!byDoc.has(e.documentkey)) byDoc.set(e.documentkey, []);
    byDoc.get(e.documentkey)!.push(e);
  }
  const rows: Record<string, string>[] = [];
  let updates = 0;
  let unnamed = 0;
  for (const current of records) {
    const audits = byDoc.get(current.sys_id ?? '');
    const mod = Number(current.sys_mod_count);
    if (!audits?.length || !Number.isFinite(mod)) {
      rows.push(current);
      continue;
    }
    const checkpoints = new Map<number, AuditEntry[]>();
    for (const e of audits) {
      const c = Number(e.record_checkpoint);
      if (!Number.isInteger(c) || c < 0) continue;
      if (!checkpoints.has(c)) checkpoints.set(c, []);
      checkpoints.get(c)!.push(e);
    }
    const older: Record<string, string>[] = [];
    let state = { ...current };
    for (const c of [...checkpoints.keys()].sort((a, b) => b - a)) {
      const changes = checkpoints.get(c)!;
      // The state after update c (the current record is the state after the last update).
      if (c < mod) {
        const last = changes.reduce((a, b) => (b.sys_created_on > a.sys_created_on ? b : a));
        older.push({ ...state, sys_mod_count: String(c), sys_updated_on: last.sys_created_on, sys_updated_by: last.user });
      }
      // Back to before update c. incident_state follows state (ServiceNow keeps them in step) when
      // the update's audit has no row of its own for it.
      const before = { ...state };
      const ownIncidentState = changes.some((e) => e.fieldname === 'incident_state');
      for (const e of changes) {
        if (e.fieldname === 'state' && !ownIncidentState && 'incident_state' in before) before.incident_state = e.oldvalue;
        if (REFERENCE_TABLES[e.fieldname]) {
          const name = e.oldvalue === '' ? '' : names.get(e.oldvalue);
          if (name === undefined) {
            unnamed++;
            continue;
          }
          before[e.fieldname] = name;
        } else {
          before[e.fieldname] = e.oldvalue;
        }
      }
      state = before;
    }
    older.reverse();
    updates += older.length;
    rows.push(...older, current);
  }
  return { rows, updates, unnamed };
}
