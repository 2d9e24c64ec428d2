import { lastStatePerIncident } from './servicenow-sample';

/**
 * The realistic sample (servicenow-sample.ts) as the Table API answers `GET /api/now/table/incident
 * ?sysparm_display_value=all`: one record per incident (its last update), every field a
 * {display_value, value} pair, references with a link and a sys_id, codes for state, impact, urgency
 * and priority, dates as "yyyy-MM-dd HH:mm:ss" in UTC (value) and in the user's format (display),
 * durations as dates after 1970-01-01, and "" for what is empty. The import benchmark's JSON data
 * (`pnpm bench:import --data table-api`); nothing here is used by an import itself.
 */

const STATE: Record<string, [string, string]> = {
  New: ['1', 'New'],
  Active: ['2', 'In Progress'],
  'Awaiting User Info': ['3', 'On Hold'],
  'Awaiting Vendor': ['3', 'On Hold'],
  'Awaiting Problem': ['3', 'On Hold'],
  'Awaiting Change': ['3', 'On Hold'],
  Resolved: ['6', 'Resolved'],
  Closed: ['7', 'Closed'],
};
const HOLD: Record<string, [string, string]> = {
  'Awaiting User Info': ['1', 'Awaiting Caller'],
  'Awaiting Change': ['5', 'Awaiting Change'],
  'Awaiting Problem': ['3', 'Awaiting Problem'],
  'Awaiting Vendor': ['4', 'Awaiting Vendor'],
};
const REFERENCE_TABLE: Record<string, string> = {
  caller_id: 'sys_user',
  opened_by: 'sys_user',
  assigned_to: 'sys_user',
  resolved_by: 'sys_user',
  assignment_group: 'sys_user_group',
  location: 'cmn_location',
  cmdb_ci: 'cmdb_ci',
  business_service: 'cmdb_ci_service',
  problem_id: 'problem',
  rfc: 'change_request',
  caused_by: 'change_request',
};

type Pair = { display_value: string; value: string; link?: string };

/** A stable fake sys_id (32 hex digits) for a referenced name. */
function sysId(table: string, name: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const ch of `${table}:${name}`) {
    h1 = Math.imul(h1 ^ ch.charCodeAt(0), 16777619);
    h2 = Math.imul(h2 ^ ch.charCodeAt(0), 2246822519);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return hex(h1) + hex(h2) + hex(h1 ^ h2) + hex(Math.imul(h1, 31) + h2);
}

/** "29/2/2016 01:16" (the sample's dates) as the Table API's "2016-02-29 01:16:00". */
function apiDate(dmy: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(dmy);
  if (!m) return '';
  const p = (s: string) => s.padStart(2, '0');
  return `${m[3]}-${p(m[2]!)}-${p(m[1]!)} ${m[4]}:${m[5]}:00`;
}

/** A duration in seconds written as ServiceNow writes durations: a date after the epoch. */
function durationAsDate(seconds: number): string {
  return new Date(Math.max(0, seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export function generateTableApiSample(
  rows: number,
  seed: number,
  instance = 'https://example.service-now.com',
): { json: string; incidents: number; problems: number } {
  const { incidents: last, get } = lastStatePerIncident(rows, seed);
  const ref = (field: string, name: string): Pair => {
    if (!name) return { display_value: '', value: '' };
    const id = sysId(REFERENCE_TABLE[field]!, name);
    return { display_value: name, value: id, link: `${instance}/api/now/table/${REFERENCE_TABLE[field]}/${id}` };
  };
  const plain = (v: string): Pair => ({ display_value: v, value: v });
  const coded = (display: string): Pair => ({ display_value: display, value: display ? display.split(' - ')[0]! : '' });
  const date = (v: string): Pair => ({ display_value: apiDate(v), value: apiDate(v) });
  const problems = new Set<string>();
  const records: Record<string, Pair>[] = [];
  for (const [number, { row, state: stateName }] of last) {
    const [state, stateLabel] = STATE[stateName] ?? ['2', 'In Progress'];
    const hold = HOLD[stateName];
    const opened = apiDate(get(row, 'opened_at'));
    const resolved = apiDate(get(row, 'resolved_at'));
    const openedMs = Date.parse(`${opened.replace(' ', 'T')}Z`);
    const seconds = resolved ? (Date.parse(`${resolved.replace(' ', 'T')}Z`) - openedMs) / 1000 : 0;
    const problem = get(row, 'problem_id');
    if (problem) problems.add(problem);
    const rec: Record<string, Pair> = {
      sys_id: plain(sysId('incident', number)),
      number: plain(number),
      sys_class_name: { display_value: 'Incident', value: 'incident' },
      state: { display_value: stateLabel, value: state },
      incident_state: { display_value: stateLabel, value: state },
      hold_reason: hold ? { display_value: hold[1], value: hold[0] } : { display_value: '', value: '' },
      active: plain(get(row, 'active')),
      short_description: plain(get(row, 'short_description')),
      description: plain(get(row, 'description')),
      impact: coded(get(row, 'impact')),
      urgency: coded(get(row, 'urgency')),
      priority: coded(get(row, 'priority')),
      category: plain(get(row, 'category')),
      subcategory: plain(get(row, 'subcategory')),
      contact_type: plain(get(row, 'contact_type')),
      made_sla: plain(get(row, 'made_sla')),
      knowledge: plain(get(row, 'knowledge')),
      reassignment_count: plain(get(row, 'reassignment_count')),
      reopen_count: plain(get(row, 'reopen_count')),
      sys_mod_count: plain(get(row, 'sys_mod_count')),
      opened_at: date(get(row, 'opened_at')),
      sys_created_on: date(get(row, 'sys_created_at')),
      sys_updated_on: date(get(row, 'sys_updated_at')),
      sys_created_by: plain(get(row, 'sys_created_by')),
      sys_updated_by: plain(get(row, 'sys_updated_by')),
      resolved_at: date(get(row, 'resolved_at')),
      closed_at: date(get(row, 'closed_at')),
      close_code: plain(get(row, 'closed_code')),
      close_notes: plain(get(row, 'close_notes')),
      business_duration: resolved ? plain(durationAsDate(seconds * 0.4)) : plain(''),
      calendar_duration: resolved ? plain(durationAsDate(seconds)) : plain(''),
      sys_tags: plain(''),
    };
    for (const field of Object.keys(REFERENCE_TABLE)) rec[field] = ref(field, get(row, field === 'rfc' ? 'rfc' : field));
    records.push(rec);
  }
  return { json: JSON.stringify({ result: records }), incidents: records.length, problems: problems.size };
}
