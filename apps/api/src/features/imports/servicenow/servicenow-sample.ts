import { csvLine, parseCsv } from '../file/csv';

/**
 * A realistic ServiceNow audit event log, generated (seeded, deterministic): the import benchmark's
 * data (`pnpm bench:import`) and the tests' "real export" (tests/import-rollups.test.ts). Nothing
 * here is used by an import itself.
 */

/** The columns of the public "incident management process enriched event log". */
export const EVENT_LOG_COLUMNS = (
  'number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,opened_at,' +
  'sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,subcategory,u_symptom,' +
  'cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,' +
  'vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at'
).split(',');

/** mulberry32: small, fast, seeded. */
export class Prng {
  constructor(private s: number) {}
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export const LEVEL = ['1 - High', '2 - Medium', '3 - Low'];
export const PRIORITY = ['1 - Critical', '2 - High', '3 - Moderate', '4 - Low', '5 - Planning'];
export const MATRIX = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
];

/** d/m/yyyy HH:mm, as the public event log writes dates. */
export function dmy(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** The event log's columns plus what a fuller export carries: titles, long descriptions, services, close notes. */
export const SAMPLE_COLUMNS = [...EVENT_LOG_COLUMNS, 'short_description', 'description', 'business_service', 'close_notes'];

const WORDS = (
  'the a to of and in on for with after before when users user cannot can not unable error errors fails failed failing timeout slow ' +
  'login password reset account locked email mailbox outlook vpn network wifi printer laptop desktop monitor screen keyboard ' +
  'application server database disk memory cpu latency report invoice payment order checkout portal website page browser ' +
  'certificate expired renewal backup restore share drive folder permission access denied request approval workflow sync ' +
  'mobile phone app update install upgrade patch version release deploy rollback ticket customer branch office site floor ' +
  'since this morning yesterday intermittently repeatedly again still since the last change affecting several colleagues'
).split(' ');
const ACCENTED = ['Müller', 'Łódź', 'São Paulo', 'Zürich', 'Ærø', 'naïve', 'café', 'Ørsted', '東京', 'Škoda'];

/** Sentences with commas, quotes and a few non-ASCII words, made once per generator. */
function sentencePool(rnd: Prng, size: number): string[] {
  return Array.from({ length: size }, () => {
    const n = rnd.int(6, 18);
    const w: string[] = [];
    for (let k = 0; k < n; k++) w.push(rnd.chance(0.02) ? rnd.pick(ACCENTED) : rnd.pick(WORDS));
    let s = w.join(' ');
    s = s[0].toUpperCase() + s.slice(1);
    if (rnd.chance(0.15)) s += `, error "${rnd.pick(['0x80070005', 'ECONNRESET', 'HTTP 502', 'ORA-12541', 'code 7'])}"`;
    return `${s}${rnd.chance(0.1) ? ';' : '.'}`;
  });
}

/** Text of about `chars` characters: sentences from the pool, a line break every few. */
function prose(rnd: Prng, pool: readonly string[], chars: number): string {
  let out = '';
  for (let k = 1; out.length < chars; k++) out += `${rnd.pick(pool)}${k % 4 === 0 ? '\n' : ' '}`;
  return out.trim();
}

/** Log-normal length: median `median`, spread sigma, clipped to [lo, hi]. */
function lengthOf(rnd: Prng, median: number, sigma: number, lo: number, hi: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rnd.next())) * Math.cos(2 * Math.PI * rnd.next());
  return Math.max(lo, Math.min(hi, Math.round(median * Math.exp(sigma * z))));
}

/** Zipf-like pick: low indexes much more often (a few busy groups, many quiet ones). */
function skewed<T>(rnd: Prng, xs: readonly T[], power = 2): T {
  return xs[Math.min(xs.length - 1, Math.floor(xs.length * rnd.next() ** power))];
}

/**
 * A ServiceNow audit event log as a busy service desk exports it: one row per update, 5 to 30
 * updates per incident (most 6-12), ~10,000 incidents in 120,000 rows over two years (by default); thousands of
 * callers and assignees, 300 assignment groups with their own members, 150 categories with
 * 3,000 subcategories, 120 business services; reassignments, priority changes, holds awaiting the
 * user, a vendor, a problem or a change, resolutions with close notes, reopen cycles (up to three),
 * problems linked mid-way, descriptions of 60 to 4,000 characters (median 250) (quotes, commas, line breaks,
 * non-ASCII) that are sometimes edited, and 15 % of incidents still open at the end.
 */
export function generateServiceNowSample(
  rows: number,
  seed: number,
  /** texts: false leaves out the columns the public event log does not have (titles, descriptions, services, close notes). */
  opts: { start?: number; days?: number; texts?: boolean } = {},
): { csv: string; incidents: number; problems: number } {
  const texts = opts.texts ?? true;
  const rnd = new Prng(seed);
  const pad = (n: number, w = 7) => String(n).padStart(w, '0');
  const callers = Array.from({ length: 20_000 }, (_, i) => `Caller ${i + 1}`);
  const resolvers = Array.from({ length: 3_000 }, (_, i) => `Resolver ${i + 1}`);
  const groups = Array.from({ length: 300 }, (_, i) => ({
    name: `Group ${i + 1}`,
    members: Array.from({ length: rnd.int(5, 30) }, () => rnd.pick(resolvers)),
  }));
  const categories = Array.from({ length: 150 }, (_, i) => ({ name: `Category ${i + 1}`, subs: [] as string[] }));
  for (let s = 1; s <= 3_000; s++) skewed(rnd, categories, 1.3).subs.push(`Subcategory ${s}`);
  for (const c of categories) if (!c.subs.length) c.subs.push(`Subcategory ${c.name.slice(9)}00`);
  const services = Array.from({ length: 120 }, (_, i) => `Business service ${i + 1}`);
  const symptoms = Array.from({ length: 1_000 }, (_, i) => `Symptom ${i + 1}`);
  const cis = Array.from({ length: 3_000 }, (_, i) => `CI ${pad(i + 1, 5)}`);
  const vendors = Array.from({ length: 20 }, (_, i) => `Vendor ${i + 1}`);
  const updaters = Array.from({ length: 1_000 }, (_, i) => `Service desk ${i + 1}`);
  const problems = Array.from({ length: 3_000 }, (_, i) => `PRB${pad(i + 1)}`);
  const pool = sentencePool(rnd, 4_000);
  const used = new Set<string>();
  const start = opts.start ?? Date.UTC(2024, 0, 1);
  const days = opts.days ?? 730;
  const lines: string[] = [csvLine(texts ? SAMPLE_COLUMNS : EVENT_LOG_COLUMNS)];
  const budget = [240, 480, 1440, 4320, 10080];
  let written = 0;
  let n = 0;
  while (written < rows) {
    n++;
    const number = `INC${pad(n)}`;
    const count = Math.min(rows - written, 5 + Math.floor(25 * rnd.next() ** 2.2));
    const opened = start + Math.floor(rnd.next() * days * 1440) * 60_000;
    const cat = skewed(rnd, categories, 1.5);
    const sub = rnd.chance(0.9) ? rnd.pick(cat.subs) : '?';
    const service = rnd.chance(0.85) ? skewed(rnd, services, 1.6) : '?';
    const symptom = rnd.chance(0.9) ? skewed(rnd, symptoms) : '?';
    const ci = rnd.chance(0.7) ? rnd.pick(cis) : '?';
    const caller = rnd.pick(callers);
    const openedBy = rnd.pick(updaters);
    const contact = rnd.pick(['Phone', 'Email', 'Self service', 'Walk-in', 'Chat']);
    const location = `Location ${rnd.int(1, 500)}`;
    const title = `${symptom === '?' ? 'Issue' : symptom}: ${prose(rnd, pool, rnd.int(25, 90)).split('\n')[0].slice(0, 90)}`;
    let description = prose(rnd, pool, lengthOf(rnd, 250, 1, 60, 4000));
    const editAt = rnd.chance(0.1) ? rnd.int(1, count - 1) : -1;
    let impact = rnd.int(1, 3);
    let urgency = rnd.int(1, 3);
    let group = skewed(rnd, groups, 1.7);
    let assignee = '?';
    const problem = rnd.chance(0.2) ? skewed(rnd, problems, 1.5) : '?';
    const linkAt = problem === '?' ? 99 : rnd.chance(0.5) ? 0 : rnd.int(1, count - 1);
    const rfc = rnd.chance(0.05) ? `CHG${pad(rnd.int(1, 99_999))}` : '?';
    const causedBy = rnd.chance(0.02) ? `CHG${pad(rnd.int(1, 99_999))}` : '?';
    const vendor = rnd.chance(0.05) ? rnd.pick(vendors) : '?';
    const knowledgeFrom = rnd.chance(0.2) ? rnd.int(1, count) : 99;
    const staysOpen = rnd.chance(0.15);
    // The path: New, then work (assign, reassign, reprioritise, hold, resume), resolve, maybe reopen, close.
    const states: string[] = ['New'];
    let reopensLeft = rnd.chance(0.12) ? rnd.int(1, 3) : 0;
    for (let k = 1; k < count; k++) {
      const left = count - k;
      const prev = states[k - 1];
      let s: string;
      if (!staysOpen && left === 1) s = prev === 'Resolved' || prev === 'Closed' ? 'Closed' : 'Resolved';
      else if (!staysOpen && left === 2 && prev !== 'Resolved') s = 'Resolved';
      else if (prev === 'Resolved') s = reopensLeft > 0 && left > 3 ? (reopensLeft--, 'Active') : left <= 2 ? 'Closed' : 'Resolved';
      else if (prev.startsWith('Awaiting')) s = rnd.chance(0.7) ? 'Active' : prev;
      else if (prev === 'Closed') s = 'Closed';
      else {
        const r = rnd.next();
        s =
          r < 0.55
            ? 'Active'
            : r < 0.65
              ? 'Awaiting User Info'
              : r < 0.7
                ? 'Awaiting Vendor'
                : r < 0.74
                  ? 'Awaiting Problem'
                  : r < 0.77
                    ? 'Awaiting Change'
                    : r < 0.8
                      ? '-100'
                      : left > 3 && reopensLeft > 0
                        ? 'Resolved'
                        : 'Active';
      }
      states.push(s);
    }
    let t = opened;
    let madeSla = true;
    let reassignments = 0;
    let reopens = 0;
    let resolvedAt: number | null = null;
    let closedAt: number | null = null;
    let resolver = '?';
    let closeCode = '?';
    let closeNotes = '?';
    let effective = 'New';
    for (let k = 0; k < count; k++) {
      const state = states[k];
      if (k > 0)
        t += (rnd.chance(0.3) ? rnd.int(1, 30) : rnd.int(20, state === 'Active' && effective.startsWith('Awaiting') ? 4000 : 900)) * 60_000;
      if (k === 1) assignee = rnd.pick(group.members);
      else if (k > 1 && state === 'Active' && rnd.chance(0.2)) {
        if (rnd.chance(0.6)) group = skewed(rnd, groups, 1.7);
        assignee = rnd.pick(group.members);
        reassignments++;
      }
      if (k > 1 && rnd.chance(0.08)) {
        impact = rnd.int(1, 3);
        urgency = rnd.int(1, 3);
      }
      if (k === editAt) description = `${description}\n\nUpdate: ${prose(rnd, pool, rnd.int(80, 400))}`;
      if (state !== '-100') {
        if (state === 'Active' && (effective === 'Resolved' || effective === 'Closed')) {
          reopens++;
          resolvedAt = null;
          closedAt = null;
          closeCode = '?';
          closeNotes = '?';
        }
        if (state === 'Resolved' && effective !== 'Resolved') {
          resolvedAt = t;
          resolver = assignee === '?' ? rnd.pick(resolvers) : assignee;
          closeCode = rnd.pick([
            'Solved (Permanently)',
            'Solved (Work Around)',
            'Not Solved (Not Reproducible)',
            'Closed/Resolved by Caller',
            `code ${rnd.int(1, 17)}`,
          ]);
          closeNotes = prose(rnd, pool, lengthOf(rnd, 150, 0.8, 30, 2000));
        }
        if (state === 'Closed' && closedAt === null) closedAt = t;
        effective = state;
      }
      const priority = MATRIX[impact - 1][urgency - 1];
      if ((t - opened) / 60_000 > budget[priority - 1] && effective !== 'Closed' && effective !== 'Resolved') madeSla = false;
      const linked = k >= linkAt ? problem : '?';
      if (linked !== '?') used.add(linked);
      const updater = k === 0 ? openedBy : rnd.chance(0.7) && assignee !== '?' ? assignee : rnd.pick(updaters);
      const fields: (string | number | boolean)[] = [
        number,
        state,
        effective === 'Closed' ? 'false' : 'true',
        reassignments,
        reopens,
        k,
        madeSla,
        caller,
        openedBy,
        dmy(opened),
        openedBy,
        dmy(opened),
        updater,
        dmy(t),
        contact,
        location,
        cat.name,
        sub,
        symptom,
        ci,
        LEVEL[impact - 1],
        LEVEL[urgency - 1],
        PRIORITY[priority - 1],
        group.name,
        k === 0 ? '?' : assignee,
        k >= knowledgeFrom,
        k > 2,
        'Do Not Notify',
        linked,
        rfc,
        vendor,
        causedBy,
        resolvedAt ? closeCode : '?',
        resolvedAt ? resolver : '?',
        resolvedAt ? dmy(resolvedAt) : '?',
        closedAt ? dmy(closedAt) : '?',
      ];
      if (texts) fields.push(title, description, service, resolvedAt ? closeNotes : '?');
      lines.push(csvLine(fields));
      written++;
    }
  }
  return { csv: `${lines.join('\r\n')}\r\n`, incidents: n, problems: used.size };
}

/**
 * The realistic sample's incidents each as its last update, for the one-record-per-incident shapes
 * (Table API JSON, Jira CSV) built from the same history: the row, its last known state (the event
 * log's "-100" skipped) and a reader of its columns ("" for the log's "?").
 */
export function lastStatePerIncident(rows: number, seed: number) {
  const table = parseCsv(generateServiceNowSample(rows, seed, { texts: true }).csv);
  const col = new Map(table.header.map((h, i) => [h, i]));
  const incidents = new Map<string, { row: string[]; state: string }>();
  for (const row of table.rows) {
    const number = row[col.get('number')!]!;
    const s = row[col.get('incident_state')!]!;
    incidents.set(number, { row, state: s !== '-100' ? s : (incidents.get(number)?.state ?? 'New') });
  }
  const get = (row: string[], name: string) => {
    const v = row[col.get(name)!] ?? '';
    return v === '?' ? '' : v;
  };
  return { incidents, get };
}
