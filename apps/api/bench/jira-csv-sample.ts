import { csvLine } from '../src/features/imports/file/csv';
import { lastStatePerIncident, Prng } from '../src/features/imports/servicenow/servicenow-sample';

/**
 * The realistic sample's incidents (servicenow-sample.ts, one record per incident: its last state)
 * as a Jira Cloud "Export CSV (all fields)" writes them: one row per issue; Jira's repeated columns
 * (Labels x3, Component/s x2, Comment x3, Watchers x2), most of them empty; dates as "18/Jul/26 9:10
 * AM"; default-workflow statuses (To Do, In Progress, Done) beside the service-management ones;
 * comments as "date;account id;text". The import benchmark's Jira data (`pnpm bench:import --data
 * jira`, imported with apps/api/import-mappings/jira-service-management.json); not used by an import.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "29/2/2016 01:16" (the sample's dates) as Jira's "29/Feb/16 1:16 AM"; "" for none. */
function jiraDate(dmy: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/\d{2}(\d{2}) (\d{2}):(\d{2})$/.exec(dmy);
  if (!m) return '';
  const h = Number(m[4]);
  return `${m[1]!.padStart(2, '0')}/${MONTHS[Number(m[2]) - 1]}/${m[3]} ${h % 12 || 12}:${m[5]} ${h < 12 ? 'AM' : 'PM'}`;
}

const STATUS: Record<string, string[]> = {
  New: ['To Do', 'Open', 'Waiting for support'],
  Active: ['In Progress', 'Work in progress', 'In Review'],
  'Awaiting User Info': ['Waiting for customer', 'Pending'],
  'Awaiting Vendor': ['Waiting for vendor'],
  'Awaiting Problem': ['Pending'],
  'Awaiting Change': ['Awaiting change'],
  Resolved: ['Resolved', 'Done'],
  Closed: ['Closed', 'Done'],
};
const PRIORITY = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const IMPACT = ['Extensive / Widespread', 'Significant / Large', 'Moderate / Limited'];
const URGENCY = ['Critical', 'Medium', 'Low'];

export const JIRA_SAMPLE_COLUMNS = [
  'Summary',
  'Issue key',
  'Issue id',
  'Issue Type',
  'Status',
  'Status Category',
  'Project key',
  'Priority',
  'Resolution',
  'Assignee',
  'Reporter',
  'Created',
  'Updated',
  'Resolved',
  'Description',
  'Labels',
  'Labels',
  'Labels',
  'Component/s',
  'Component/s',
  'Watchers',
  'Watchers',
  'Custom field (Impact)',
  'Custom field (Urgency)',
  'Custom field (Request Type)',
  'Custom field (Affected services)',
  'Custom field (Team)',
  'Inward issue link (Problem/Incident)',
  'Comment',
  'Comment',
  'Comment',
];

export function generateJiraCsvSample(rows: number, seed: number): { csv: string; incidents: number; problems: number } {
  const { incidents: last, get } = lastStatePerIncident(rows, seed);
  const rnd = new Prng(seed);
  const problems = new Set<string>();
  const lines = [csvLine(JIRA_SAMPLE_COLUMNS)];
  let n = 0;
  for (const { row, state } of last.values()) {
    n++;
    const status = rnd.pick(STATUS[state] ?? ['In Progress']);
    const category = status === 'Done' || state === 'Resolved' || state === 'Closed' ? 'Done' : state === 'New' ? 'To Do' : 'In Progress';
    const done = category === 'Done';
    const level = (name: string) => Number(get(row, name).slice(0, 1)) || 3;
    const problem = get(row, 'problem_id');
    const problemKey = problem ? `PRB-${Number(problem.slice(3))}` : '';
    if (problemKey) problems.add(problemKey);
    const updated = jiraDate(get(row, 'sys_updated_at'));
    const comment = (k: number) =>
      rnd.chance(0.6 / (k + 1))
        ? `${updated};557058:${(n * 7 + k).toString(16).padStart(8, '0')};${get(row, 'description').slice(0, 300)}`
        : '';
    const labels = [get(row, 'category').replace(/ /g, '-').toLowerCase(), rnd.chance(0.3) ? 'customer-facing' : '', ''];
    lines.push(
      csvLine([
        get(row, 'short_description'),
        `ITSM-${n}`,
        String(10_000 + n),
        'Incident',
        status,
        category,
        'ITSM',
        PRIORITY[Number(get(row, 'priority').slice(0, 1)) - 1] ?? 'Medium',
        done ? rnd.pick(['Done', 'Done', 'Done', "Won't Do", 'Duplicate', 'Cannot Reproduce']) : '',
        get(row, 'assigned_to'),
        get(row, 'caller_id'),
        jiraDate(get(row, 'opened_at')),
        updated,
        done ? jiraDate(get(row, 'resolved_at') || get(row, 'sys_updated_at')) : '',
        get(row, 'description'),
        ...labels,
        get(row, 'business_service'),
        rnd.chance(0.2) ? get(row, 'subcategory') : '',
        get(row, 'caller_id'),
        rnd.chance(0.5) ? get(row, 'assigned_to') : '',
        IMPACT[level('impact') - 1],
        URGENCY[level('urgency') - 1],
        'Report a system problem',
        get(row, 'business_service'),
        get(row, 'assignment_group'),
        problemKey,
        comment(0),
        comment(1),
        comment(2),
      ]),
    );
  }
  return { csv: `${lines.join('\r\n')}\r\n`, incidents: n, problems: problems.size };
}
