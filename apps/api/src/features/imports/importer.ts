import { randomUUID } from 'node:crypto';
import { derivePriority, type HoldReason, type IncidentStatus, type Level, type PriorityMatrix, type ResolutionKind } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { foldNow, queueTriggers } from '../analytics/analytics.fold-now';
import { formatIncidentNumber } from '../incidents/incident.entity';
import type { IncidentEventKind, IncidentSource } from '../incidents/incident.enums';
import { formatProblemNumber } from '../problems/problem.entity';
import { getPriorityMatrix } from '../settings/settings.service';
import { type AssembledIncident, type Assembly, type OptionalField, type Snap } from './assemble';
import { SearchWords } from './search-words';
import { SEARCH_INSERT_WITH_PRE, SearchSide, type SideDoc, type SidePart } from './search-side';
import { CLOCK_COLUMNS_LIST, clockRows, PolicyBook, type SlaEventLike } from './import-sla';
import type { ImportMapping } from './mapping';
import {
  bulkInsert,
  canCopy,
  copyJson,
  copyRows,
  copyText,
  CopyWriter,
  insertRows,
  IN_TEXT,
  IN_UUID,
  jsonList,
  orderedUuids,
  recordset,
  sql,
  withRawClient,
  type Column,
} from './sql-bulk';

/**
 * The database half of an import: match incidents by external reference, find or create teams,
 * people, services, categories and problems by name or reference, work out what changed, and
 * write incidents, timeline events, problem links and SLA clocks set-wise in the caller's
 * transaction. Search documents are rebuilt once at the end instead of by the row triggers.
 */

/** The incident columns an import compares and writes. */
export interface DbState {
  title: string;
  description: string;
  status: IncidentStatus;
  holdReason: HoldReason | null;
  impact: number;
  urgency: number;
  priority: number;
  priorityOverrideReason: string | null;
  serviceId: string | null;
  categoryId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  reporterId: string | null;
  major: boolean;
  detectedAt: Date | null;
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  resolutionKind: ResolutionKind | null;
  resolutionCode: string | null;
  resolutionNotes: string | null;
  userConfirmed: boolean | null;
  reopenCount: number;
  reassignmentCount: number;
  problemId: string | null;
  causedByRef: string | null;
  changeRef: string | null;
  verdict: 'MET' | 'BREACHED' | null;
  attributes: Record<string, string>;
}

interface Existing {
  id: string;
  number: number;
  externalRef: string | null;
  importHash: string | null;
  importMeta: { seq?: number | null } | null;
  eventSeq: number;
  slaPolicyVersionId: string | null;
  state: DbState;
}

export interface IncidentChange {
  ref: string;
  number: string | null;
  action: 'create' | 'update';
  fields: string[];
}

export interface WriteOptions {
  mapping: ImportMapping;
  actorName: string;
  now: Date;
  dryRun: boolean;
  runId: string;
  onProgress?: (fraction: number, label: string) => void;
}

export interface WriteResult {
  created: number;
  updated: number;
  unchanged: number;
  problemsCreated: number;
  teamsCreated: number;
  usersCreated: number;
  servicesCreated: number;
  categoriesCreated: number;
  events: number;
  changes: IncidentChange[];
  incidentIds: string[];
  /** What folding the written incidents into the analytics took (none in a dry run or when nothing changed). */
  analytics?: { incidents: number; cells: number; ms: number };
}

const OPEN = new Set<IncidentStatus>(['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD']);
/** Statuses with a search document (the view search_source_incidents). */
const SEARCHABLE = new Set<IncidentStatus>(['RESOLVED', 'CLOSED', 'REVIEWED']);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const lower = (s: string) => s.trim().toLowerCase();
const sameTime = (a: Date | null, b: Date | null) => a === b || (a !== null && b !== null && a.getTime() === b.getTime());

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** Fields of `next` that differ from `prev` (an empty text and no text are the same). Written out: this runs for every row. */
export function changedFields(a: DbState, b: DbState): (keyof DbState)[] {
  const out: (keyof DbState)[] = [];
  const text = (x: string | null, y: string | null) => x !== y && (x || null) !== (y || null);
  if (text(a.title, b.title)) out.push('title');
  if (text(a.description, b.description)) out.push('description');
  if (a.status !== b.status) out.push('status');
  if (a.holdReason !== b.holdReason) out.push('holdReason');
  if (a.impact !== b.impact) out.push('impact');
  if (a.urgency !== b.urgency) out.push('urgency');
  if (a.priority !== b.priority) out.push('priority');
  if (text(a.priorityOverrideReason, b.priorityOverrideReason)) out.push('priorityOverrideReason');
  if (a.serviceId !== b.serviceId) out.push('serviceId');
  if (a.categoryId !== b.categoryId) out.push('categoryId');
  if (a.teamId !== b.teamId) out.push('teamId');
  if (a.assigneeId !== b.assigneeId) out.push('assigneeId');
  if (a.reporterId !== b.reporterId) out.push('reporterId');
  if (a.major !== b.major) out.push('major');
  if (!sameTime(a.detectedAt, b.detectedAt)) out.push('detectedAt');
  if (!sameTime(a.openedAt, b.openedAt)) out.push('openedAt');
  if (!sameTime(a.acknowledgedAt, b.acknowledgedAt)) out.push('acknowledgedAt');
  if (!sameTime(a.resolvedAt, b.resolvedAt)) out.push('resolvedAt');
  if (!sameTime(a.closedAt, b.closedAt)) out.push('closedAt');
  if (a.resolutionKind !== b.resolutionKind) out.push('resolutionKind');
  if (text(a.resolutionCode, b.resolutionCode)) out.push('resolutionCode');
  if (text(a.resolutionNotes, b.resolutionNotes)) out.push('resolutionNotes');
  if (a.userConfirmed !== b.userConfirmed) out.push('userConfirmed');
  if (a.reopenCount !== b.reopenCount) out.push('reopenCount');
  if (a.reassignmentCount !== b.reassignmentCount) out.push('reassignmentCount');
  if (a.problemId !== b.problemId) out.push('problemId');
  if (text(a.causedByRef, b.causedByRef)) out.push('causedByRef');
  if (text(a.changeRef, b.changeRef)) out.push('changeRef');
  if (a.verdict !== b.verdict) out.push('verdict');
  if (!sameAttributes(a.attributes, b.attributes)) out.push('attributes');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Names -> ids

class Directory {
  /** lower(name) -> id, per kind. */
  readonly teams = new Map<string, string>();
  readonly users = new Map<string, string>();
  readonly services = new Map<string, string>();
  /** "parent-lower" / "parent-lower\u0000child-lower" -> id. */
  readonly categories = new Map<string, string>();
  /** Problem key (id or reference) -> id. */
  readonly problems = new Map<string, string>();
  /** id -> display name, for timeline summaries. */
  readonly names = new Map<string, string>();
  readonly newTeams: Record<string, unknown>[] = [];
  readonly newUsers: Record<string, unknown>[] = [];
  readonly newServices: Record<string, unknown>[] = [];
  readonly newCategories: Record<string, unknown>[] = [];
  readonly newProblems: {
    id: string;
    ref: string | null;
    title: string;
    firstSnap: Snap;
    serviceId: string | null;
    categoryId: string | null;
  }[] = [];

  /** Lookups by the name as written (no lower-casing per row: names repeat on every row). */
  private readonly memoTeams = new Map<string, string | null>();
  private readonly memoUsers = new Map<string, string | null>();
  private readonly memoServices = new Map<string, string | null>();
  private readonly memoCategories = new Map<string, string | null>();
  private find(name: string, memo: Map<string, string | null>, map: Map<string, string>): string | null {
    let id = memo.get(name);
    if (id === undefined) {
      id = map.get(lower(name)) ?? null;
      memo.set(name, id);
    }
    return id;
  }
  team(name: string | null) {
    return name ? this.find(name, this.memoTeams, this.teams) : null;
  }
  user(name: string | null) {
    return name ? this.find(name, this.memoUsers, this.users) : null;
  }
  service(name: string | null) {
    return name ? this.find(name, this.memoServices, this.services) : null;
  }
  category(category: string | null, subcategory: string | null) {
    if (category && subcategory) {
      // Parent and child by name; the key of a pair is "parent\0child" in lower case.
      let byChild = this.pairs.get(category);
      if (!byChild) this.pairs.set(category, (byChild = new Map()));
      let id = byChild.get(subcategory);
      if (id === undefined) {
        id = this.categories.get(`${lower(category)}\u0000${lower(subcategory)}`) ?? null;
        byChild.set(subcategory, id);
      }
      return id;
    }
    const top = category ?? subcategory;
    return top ? this.find(top, this.memoCategories, this.categories) : null;
  }
  private readonly pairs = new Map<string, Map<string, string | null>>();
  problem(s: Snap) {
    const key = s.problemId ?? s.problem;
    return key ? (this.problems.get(key) ?? null) : null;
  }
}

const slug = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .toLowerCase()
    .slice(0, 60) || 'person';

async function resolveDirectory(
  em: EntityManager,
  incidents: AssembledIncident[],
  provided: Set<OptionalField>,
  now: Date,
): Promise<Directory> {
  const dir = new Directory();
  const teams = new Map<string, string>();
  const people = new Map<string, string>();
  const services = new Map<string, string>();
  const cats = new Map<string, { parent: string; child: string | null }>();
  const problems = new Map<string, { id: string | null; ref: string | null; title: string | null; snap: Snap }>();
  // Names as written first (they repeat on every row), lower-cased once each afterwards.
  const rawTeams = new Set<string>();
  const rawPeople = new Set<string>();
  const rawServices = new Set<string>();
  const rawCats = new Map<string, Set<string>>();
  const wantTeam = provided.has('team');
  const wantAssignee = provided.has('assignee');
  const wantReporter = provided.has('reporter');
  const wantService = provided.has('service');
  const wantCategory = provided.has('category');
  for (const inc of incidents) {
    for (const s of inc.snaps) {
      if (wantTeam && s.team) rawTeams.add(s.team);
      if (wantAssignee && s.assignee) rawPeople.add(s.assignee);
      if (wantReporter && s.reporter) rawPeople.add(s.reporter);
      if (wantService && s.service) rawServices.add(s.service);
      if (wantCategory && (s.category || s.subcategory)) {
        const top = (s.category ?? s.subcategory)!;
        let children = rawCats.get(top);
        if (!children) rawCats.set(top, (children = new Set()));
        if (s.category && s.subcategory) children.add(s.subcategory);
      }
      if (provided.has('problem') && (s.problem || s.problemId)) {
        const key = (s.problemId ?? s.problem)!;
        const p = problems.get(key);
        if (!p) problems.set(key, { id: s.problemId, ref: s.problem, title: s.problemTitle, snap: s });
        else if (!p.title && s.problemTitle) p.title = s.problemTitle;
      }
    }
  }
  for (const t of rawTeams) teams.set(lower(t), t);
  for (const p of rawPeople) people.set(lower(p), p);
  for (const v of rawServices) services.set(lower(v), v);
  for (const [top, children] of rawCats) {
    cats.set(lower(top), { parent: top, child: null });
    for (const child of children) cats.set(`${lower(top)}\u0000${lower(child)}`, { parent: top, child });
  }

  const named = async (table: string, wanted: Map<string, string>, into: Map<string, string>) => {
    if (!wanted.size) return;
    const rows = await sql<{ id: string; name: string }>(em, `select id, name from ${table} where lower(name) in ${IN_TEXT}`, [
      jsonList([...wanted.keys()]),
    ]);
    for (const r of rows) {
      into.set(lower(r.name), r.id);
      dir.names.set(r.id, r.name);
    }
  };
  await named('teams', teams, dir.teams);
  await named('services', services, dir.services);
  for (const [key, name] of teams) {
    if (dir.teams.has(key)) continue;
    const id = randomUUID();
    dir.teams.set(key, id);
    dir.names.set(id, name);
    dir.newTeams.push({ id, name: name.slice(0, 120), description: 'Created by import', created_at: now });
  }
  for (const [key, name] of services) {
    if (dir.services.has(key)) continue;
    const id = randomUUID();
    dir.services.set(key, id);
    dir.names.set(id, name);
    dir.newServices.push({ id, name: name.slice(0, 120), description: 'Created by import', created_at: now });
  }

  // People: by name, or by e-mail when the export gives addresses.
  if (people.size) {
    const rows = await sql<{ id: string; name: string; email: string }>(
      em,
      `select id, name, email from users where lower(name) in ${IN_TEXT} or lower(email) in ${IN_TEXT}`,
      [jsonList([...people.keys()]), jsonList([...people.keys()])],
    );
    for (const r of rows) {
      if (!dir.users.has(lower(r.email))) dir.users.set(lower(r.email), r.id);
      if (!dir.users.has(lower(r.name))) dir.users.set(lower(r.name), r.id);
      dir.names.set(r.id, r.name);
    }
    const missing = [...people].filter(([key]) => !dir.users.has(key));
    if (missing.length) {
      const taken = new Set(
        (await sql<{ e: string }>(em, `select lower(email) as e from users where lower(email) like '%@imported.invalid'`)).map((r) => r.e),
      );
      for (const [key, name] of missing) {
        const id = randomUUID();
        const isEmail = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(name);
        let email = isEmail ? name.toLowerCase() : `${slug(name)}@imported.invalid`;
        for (let n = 2; taken.has(email); n++) email = `${slug(name)}.${n}@imported.invalid`;
        taken.add(email);
        dir.users.set(key, id);
        dir.names.set(id, name);
        dir.newUsers.push({ id, email, name: (isEmail ? name.split('@')[0] : name).slice(0, 120), created_at: now });
      }
    }
  }

  if (cats.size) {
    const rows = await sql<{ id: string; name: string; parent_id: string | null; parent_name: string | null }>(
      em,
      `select c.id, c.name, c.parent_id, p.name as parent_name from categories c left join categories p on p.id = c.parent_id
        where lower(c.name) in ${IN_TEXT}`,
      [jsonList([...new Set([...cats.values()].map((c) => lower(c.child ?? c.parent)))])],
    );
    for (const r of rows) {
      const key = r.parent_id ? `${lower(r.parent_name!)}\u0000${lower(r.name)}` : lower(r.name);
      dir.categories.set(key, r.id);
      dir.names.set(r.id, r.parent_name ? `${r.parent_name} / ${r.name}` : r.name);
    }
    // Parents first, so children can point at them.
    for (const [key, c] of [...cats].sort((a, b) => Number(a[1].child !== null) - Number(b[1].child !== null))) {
      if (dir.categories.has(key)) continue;
      const id = randomUUID();
      const parentId = c.child ? dir.categories.get(lower(c.parent))! : null;
      dir.categories.set(key, id);
      dir.names.set(id, c.child ? `${c.parent} / ${c.child}` : c.parent);
      dir.newCategories.push({ id, name: (c.child ?? c.parent).slice(0, 120), parent_id: parentId, created_at: now });
    }
  }

  if (problems.size) {
    const ids = [...problems.values()].flatMap((p) => (p.id ? [p.id] : []));
    const refs = [...problems.values()].flatMap((p) => (p.ref ? [p.ref] : []));
    const rows = await sql<{ id: string; number: number; title: string; external_ref: string | null }>(
      em,
      `select id, number, title, external_ref from problems where id in ${IN_UUID} or external_ref in ${IN_TEXT}`,
      [jsonList(ids), jsonList(refs)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const byRef = new Map(rows.filter((r) => r.external_ref).map((r) => [r.external_ref!, r]));
    for (const [key, p] of problems) {
      const hit = (p.id ? byId.get(p.id) : undefined) ?? (p.ref ? byRef.get(p.ref) : undefined);
      if (hit) {
        dir.problems.set(key, hit.id);
        dir.names.set(hit.id, `${formatProblemNumber(hit.number)}: ${hit.title}`);
        continue;
      }
      const id = p.id ?? randomUUID();
      dir.problems.set(key, id);
      const title = (p.title ?? `Problem ${p.ref ?? id} (imported)`).slice(0, 200);
      dir.names.set(id, title);
      dir.newProblems.push({ id, ref: p.ref, title, firstSnap: p.snap, serviceId: null, categoryId: null });
    }
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Source states -> incident columns

/** Every field counts as given when there is nothing to keep. */
const ALL = { has: (_: OptionalField) => true } as Set<OptionalField>;

function toDbState(
  s: Snap,
  base: DbState | null,
  provided: Set<OptionalField>,
  dir: Directory,
  matrix: PriorityMatrix,
  source: string,
): DbState {
  const creating = !base;
  const has = creating ? ALL : provided;
  const statusFromFile = provided.has('status') || !base;
  const impact = has.has('impact') ? s.impact : base!.impact;
  const urgency = has.has('urgency') ? s.urgency : base!.urgency;
  const derived = derivePriority(impact as Level, urgency as Level, matrix);
  let priority: number;
  let reason: string | null;
  if (has.has('priority')) {
    priority = s.priority ?? derived;
    reason = priority !== derived ? `Priority as recorded in ${source}` : null;
    // A priority the import leaves as it was keeps the reason it was set with.
    if (base && base.priority === priority) reason = base.priorityOverrideReason;
  } else {
    priority = base!.priority;
    reason = base!.priorityOverrideReason;
  }
  const st = statusFromFile ? s : null;
  const closed = st ? st.status === 'CLOSED' || st.status === 'REVIEWED' : false;
  return {
    title: s.title,
    description: has.has('description') ? s.description : base!.description,
    status: st ? st.status : base!.status,
    holdReason: st ? st.holdReason : base!.holdReason,
    impact,
    urgency,
    priority,
    priorityOverrideReason: reason,
    serviceId: has.has('service') ? dir.service(s.service) : base!.serviceId,
    categoryId: has.has('category') ? dir.category(s.category, s.subcategory) : base!.categoryId,
    teamId: has.has('team') ? dir.team(s.team) : base!.teamId,
    assigneeId: has.has('assignee') ? dir.user(s.assignee) : base!.assigneeId,
    reporterId: has.has('reporter') ? dir.user(s.reporter) : base!.reporterId,
    major: has.has('major') ? s.major : base!.major,
    detectedAt: has.has('detectedAt') ? s.detectedAt : base!.detectedAt,
    openedAt: s.openedAt,
    acknowledgedAt: has.has('acknowledgedAt') ? s.acknowledgedAt : base!.acknowledgedAt,
    resolvedAt: st ? st.resolvedAt : base!.resolvedAt,
    closedAt: st ? st.closedAt : base!.closedAt,
    resolutionKind: st ? st.resolutionKind : base!.resolutionKind,
    resolutionCode: st ? st.resolutionCode : base!.resolutionCode,
    resolutionNotes: st ? st.resolutionNotes : base!.resolutionNotes,
    userConfirmed: provided.has('userConfirmed') || !base ? s.userConfirmed : closed ? base.userConfirmed : st ? null : base.userConfirmed,
    reopenCount: has.has('reopenCount') ? s.reopenCount : base!.reopenCount,
    reassignmentCount: has.has('reassignmentCount') ? s.reassignmentCount : base!.reassignmentCount,
    problemId: has.has('problem') ? dir.problem(s) : base!.problemId,
    causedByRef: has.has('causedBy') ? s.causedBy : base!.causedByRef,
    changeRef: has.has('changeRef') ? s.changeRef : base!.changeRef,
    verdict: has.has('verdict') ? s.verdict : base!.verdict,
    attributes: has.has('attributes') ? s.attributes : base!.attributes,
  };
}

// ---------------------------------------------------------------------------------------------
// Timeline events

export interface DraftEvent {
  kind: IncidentEventKind;
  at: Date;
  actor: string;
  summary: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Where it came from: set on the LOGGED event (source, reference, run, row) and on events an update adds. */
  data: Record<string, unknown> | null;
}

const statusMovedVerdict = (changed: Set<keyof DbState>) => changed.has('status') && changed.has('verdict');

const FIELD_LABELS: Partial<Record<keyof DbState, string>> = {
  detectedAt: 'detected at',
  openedAt: 'opened at',
  reporterId: 'reporter',
  causedByRef: 'caused by',
  changeRef: 'change',
  resolutionKind: 'resolution kind',
  resolutionCode: 'resolution code',
  resolutionNotes: 'resolution notes',
  userConfirmed: 'user confirmation',
  resolvedAt: 'resolved at',
  closedAt: 'closed at',
};
const UPDATED_KEYS: (keyof DbState)[] = [
  'title',
  'description',
  'major',
  'detectedAt',
  'openedAt',
  'reporterId',
  'causedByRef',
  'changeRef',
  'verdict',
];
const CLASSIFY_KEYS: (keyof DbState)[] = ['impact', 'urgency', 'priority', 'serviceId', 'categoryId'];
const norm = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);
const pick = (s: DbState, keys: (keyof DbState)[]) => Object.fromEntries(keys.map((k) => [k, norm(s[k])]));
const words = (s: string) => s.toLowerCase().replace(/_/g, ' ');

class EventWriter {
  constructor(
    private readonly dir: Directory,
    private readonly source: string,
  ) {}

  private name(id: string | null): string | null {
    return id ? (this.dir.names.get(id) ?? id) : null;
  }

  logged(number: string, ref: string, s: DbState, snap: Snap, ext: string | null, incidentSource: IncidentSource): DraftEvent {
    return {
      kind: 'LOGGED',
      at: s.openedAt,
      actor: snap.openedBy ?? snap.actor ?? this.source,
      summary: `Logged ${number} from import (${this.source} ${ref}): ${s.title}`,
      before: null,
      after: {
        number,
        title: s.title,
        status: 'NEW',
        source: incidentSource,
        impact: s.impact,
        urgency: s.urgency,
        priority: s.priority,
        serviceId: s.serviceId,
        categoryId: s.categoryId,
        teamId: s.teamId,
        assigneeId: s.assigneeId,
        reporterId: s.reporterId,
        major: s.major,
        externalRef: ext,
        detectedAt: iso(s.detectedAt),
        openedAt: iso(s.openedAt),
      },
      data: {},
    };
  }

  /** What happened between two states, as the events a person would have recorded. */
  step(prev: DbState, next: DbState, at: Date, snap: Snap): DraftEvent[] {
    const actor = snap.actor ?? this.source;
    const out: DraftEvent[] = [];
    const changed = new Set(changedFields(prev, next));
    if (!changed.size) return out;
    const ev = new Emit(out, actor);

    if (changed.has('acknowledgedAt') && !prev.acknowledgedAt && next.acknowledgedAt) {
      ev.push(
        'ACKNOWLEDGED',
        next.acknowledgedAt,
        `Acknowledged by ${actor}`,
        { acknowledgedAt: null },
        { acknowledgedAt: iso(next.acknowledgedAt) },
      );
    }
    const classify = CLASSIFY_KEYS.filter((k) => changed.has(k));
    if (classify.length) {
      const extra = [
        changed.has('serviceId') ? `service ${this.name(next.serviceId) ?? 'none'}` : null,
        changed.has('categoryId') ? `category ${this.name(next.categoryId) ?? 'none'}` : null,
      ].filter(Boolean);
      ev.push(
        'CLASSIFIED',
        at,
        `Classified: impact ${next.impact}, urgency ${next.urgency}, priority P${next.priority}${extra.length ? `; ${extra.join('; ')}` : ''}`,
        pick(prev, classify),
        pick(next, classify),
      );
    }
    if (changed.has('teamId') || changed.has('assigneeId')) {
      const keys = (['assigneeId', 'teamId'] as const).filter((k) => changed.has(k));
      const reassigned = (changed.has('assigneeId') && prev.assigneeId !== null) || (changed.has('teamId') && prev.teamId !== null);
      const to = [this.name(next.assigneeId), this.name(next.teamId)].filter(Boolean).join(' / ') || 'nobody';
      ev.push('ASSIGNED', at, `${reassigned ? 'Reassigned' : 'Assigned'} to ${to}`, pick(prev, keys), pick(next, keys));
    }
    if (changed.has('status') || changed.has('holdReason')) {
      const first = out.length;
      this.statusEvents(prev, next, at, snap, ev);
      if (statusMovedVerdict(changed)) {
        // The source's verdict as of this move goes with its last status event.
        const last = out[out.length - 1];
        if (out.length > first && last.after) {
          last.before = { ...last.before, recordedSlaVerdict: prev.verdict };
          last.after = { ...last.after, recordedSlaVerdict: next.verdict };
        }
      }
    }
    if (changed.has('problemId')) {
      if (prev.problemId)
        ev.push(
          'PROBLEM_UNLINKED',
          at,
          `Unlinked from problem ${this.name(prev.problemId)}`,
          { problemId: prev.problemId },
          { problemId: null },
        );
      if (next.problemId)
        ev.push('PROBLEM_LINKED', at, `Linked to problem ${this.name(next.problemId)}`, { problemId: null }, { problemId: next.problemId });
    }
    // A verdict that comes with a resolution or a reopen is part of that status event, not an update of its own.
    const statusMoved = changed.has('status');
    const updated = UPDATED_KEYS.filter((k) => changed.has(k) && !(k === 'verdict' && statusMoved));
    // Resolution details edited without a status change (e.g. a corrected close code).
    if (!changed.has('status'))
      for (const k of ['resolutionKind', 'resolutionCode', 'resolutionNotes', 'userConfirmed', 'resolvedAt', 'closedAt'] as const)
        if (changed.has(k)) updated.push(k);
    const attrs = changed.has('attributes')
      ? Object.keys({ ...prev.attributes, ...next.attributes })
          .filter((k) => prev.attributes[k] !== next.attributes[k])
          .sort()
      : [];
    if (updated.length || attrs.length) {
      const before = {
        ...pick(prev, updated),
        ...(attrs.length ? { attributes: Object.fromEntries(attrs.map((k) => [k, prev.attributes[k] ?? null])) } : {}),
      };
      const after = {
        ...pick(next, updated),
        ...(attrs.length ? { attributes: Object.fromEntries(attrs.map((k) => [k, next.attributes[k] ?? null])) } : {}),
      };
      const verdict = next.verdict === 'MET' ? 'met' : next.verdict === 'BREACHED' ? 'breached' : 'not decided';
      const summary =
        updated.length === 1 && updated[0] === 'verdict' && !attrs.length
          ? `Resolution SLA ${verdict}, as recorded in ${this.source}`
          : `Updated ${[...updated.map((k) => (k === 'verdict' ? `recorded resolution SLA (${verdict})` : (FIELD_LABELS[k] ?? k))), ...attrs].join(', ')}`;
      ev.push('UPDATED', at, summary, before, after);
    }
    return out;
  }

  private statusEvents(prev: DbState, next: DbState, at: Date, snap: Snap, ev: Emit) {
    const wasOpen = OPEN.has(prev.status);
    const isOpen = OPEN.has(next.status);
    if (wasOpen && isOpen) {
      ev.push(
        'STATUS_CHANGED',
        at,
        `${prev.status} -> ${next.status}${hold(next)}`,
        { status: prev.status, holdReason: prev.holdReason },
        { status: next.status, holdReason: next.holdReason },
      );
      return;
    }
    if (!wasOpen && isOpen) {
      ev.push(
        'REOPENED',
        at,
        `Reopened (reopen #${next.reopenCount})`,
        {
          status: prev.status,
          reopenCount: prev.reopenCount,
          resolvedAt: iso(prev.resolvedAt),
          closedAt: iso(prev.closedAt),
          resolutionKind: prev.resolutionKind,
        },
        {
          status: next.status,
          holdReason: next.holdReason,
          reopenCount: next.reopenCount,
          resolvedAt: null,
          closedAt: null,
          resolutionKind: null,
        },
        snap.actor ?? this.source,
      );
      return;
    }
    // Towards resolved, closed, reviewed: each step that was passed, at its own time.
    let from = prev;
    const resolver = snap.resolvedBy ?? snap.actor ?? this.source;
    if (wasOpen) {
      ev.push(
        'STATUS_CHANGED',
        next.resolvedAt ?? at,
        `${prev.status} -> RESOLVED${next.resolutionCode ? ` (${next.resolutionCode})` : ''}`,
        { status: prev.status, holdReason: prev.holdReason },
        {
          status: 'RESOLVED',
          holdReason: null,
          resolvedAt: iso(next.resolvedAt),
          resolutionKind: next.resolutionKind,
          resolutionCode: next.resolutionCode,
          resolutionNotes: next.resolutionNotes,
        },
        resolver,
      );
      from = { ...prev, status: 'RESOLVED' };
    }
    if ((next.status === 'CLOSED' || next.status === 'REVIEWED') && from.status === 'RESOLVED') {
      ev.push(
        'STATUS_CHANGED',
        next.closedAt ?? at,
        'RESOLVED -> CLOSED',
        { status: 'RESOLVED' },
        { status: 'CLOSED', closedAt: iso(next.closedAt), userConfirmed: next.userConfirmed },
      );
      from = { ...from, status: 'CLOSED' };
    }
    if (next.status === 'REVIEWED' && from.status === 'CLOSED') {
      ev.push('STATUS_CHANGED', at, 'CLOSED -> REVIEWED', { status: 'CLOSED' }, { status: 'REVIEWED' });
      return;
    }
    if (from.status !== next.status) {
      // Backwards without a reopen (e.g. CLOSED -> RESOLVED in the source): recorded as it came.
      ev.push(
        'STATUS_CHANGED',
        at,
        `${from.status} -> ${next.status}`,
        { status: from.status },
        { status: next.status, resolvedAt: iso(next.resolvedAt), closedAt: iso(next.closedAt) },
      );
    }
  }
}

/** Collects one step's events (a class, not a closure: this runs for every row). */
class Emit {
  constructor(
    private readonly out: DraftEvent[],
    private readonly actor: string,
  ) {}
  push(
    kind: IncidentEventKind,
    at: Date,
    summary: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
    who = this.actor,
  ) {
    this.out.push({ kind, at, actor: who, summary, before, after, data: null });
  }
}

const hold = (s: DbState) => (s.holdReason ? ` (${words(s.holdReason)})` : '');

/** Orders one step's events by time and keeps the timeline from running backwards. */
function place(events: DraftEvent[], floor: { t: number }, data: Record<string, unknown> | null): DraftEvent[] {
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const e of events) {
    if (e.at.getTime() < floor.t) e.at = new Date(floor.t);
    floor.t = e.at.getTime();
    e.data = data;
  }
  return events;
}

// ---------------------------------------------------------------------------------------------
// Reading what is there

async function loadExisting(em: EntityManager, incidents: AssembledIncident[], matchById: boolean): Promise<Map<string, Existing>> {
  const refs = incidents.flatMap((i) => (i.externalRef ? [i.externalRef] : []));
  const ids = matchById ? incidents.flatMap((i) => (i.id ? [i.id] : [])) : [];
  const select = `select id, number, external_ref, title, description, status, hold_reason, impact, urgency, priority, priority_override_reason,
      service_id, category_id, team_id, assignee_id, reporter_id, major, detected_at, opened_at, acknowledged_at, resolved_at, closed_at,
      resolution_kind, resolution_code, resolution_notes, user_confirmed, reopen_count, reassignment_count, problem_id, caused_by_ref,
      change_ref, recorded_resolution_sla_verdict, source_attributes, import_hash, import_meta, event_seq, sla_policy_version_id
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
async function loadNames(em: EntityManager, dir: Directory, states: DbState[]) {
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

// ---------------------------------------------------------------------------------------------
// Writing

const INCIDENT_COLUMNS: Column[] = [
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
const UPDATE_COLUMNS = INCIDENT_COLUMNS.filter(([n]) => !['id', 'number', 'source', 'external_ref', 'version'].includes(n));

const EVENT_COLUMNS: Column[] = [
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

function incidentRow(
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

async function triggerExists(em: EntityManager, table: string, name: string): Promise<boolean> {
  const rows = await sql<{ n: number }>(em, `select count(*)::int as n from pg_trigger where tgrelid = ?::regclass and tgname = ?`, [
    table,
    name,
  ]);
  return rows[0].n > 0;
}

async function nextNumbers(em: EntityManager, sequence: string, n: number): Promise<number[]> {
  if (!n) return [];
  const rows = await sql<{ n: string }>(em, `select nextval('${sequence}') as n from generate_series(1, ?)`, [n]);
  return rows.map((r) => Number(r.n)).sort((a, b) => a - b);
}

/**
 * Plans and (unless a dry run) writes an import. Must run inside the caller's transaction when
 * writing: the search triggers are switched off for it and rebuilt before it ends.
 */
export async function writeImport(em: EntityManager, assembly: Assembly, opts: WriteOptions): Promise<WriteResult> {
  const { mapping, now, dryRun } = opts;
  const progress = opts.onProgress ?? (() => {});
  const source = mapping.source;
  const provided = assembly.provided;
  const result: WriteResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    problemsCreated: 0,
    teamsCreated: 0,
    usersCreated: 0,
    servicesCreated: 0,
    categoriesCreated: 0,
    events: 0,
    changes: [],
    incidentIds: [],
  };
  if (!dryRun) await sql(em, `select pg_advisory_xact_lock(hashtext('ikb:import'))`);
  progress(0.02, 'matching existing incidents');
  const existing = await loadExisting(em, assembly.incidents, !!mapping.matchById);
  const matchOf = (inc: AssembledIncident) =>
    (inc.externalRef ? existing.get(`ref:${inc.externalRef}`) : undefined) ??
    (mapping.matchById && inc.id ? existing.get(`id:${inc.id}`) : undefined);

  // An identical re-import is settled by the hash, before any other work.
  const work: { inc: AssembledIncident; ex: Existing | undefined }[] = [];
  for (const inc of assembly.incidents) {
    const ex = matchOf(inc);
    if (ex && ex.importHash === inc.hash) result.unchanged++;
    else work.push({ inc, ex });
  }
  if (!work.length) {
    progress(1, 'nothing to change');
    return result;
  }

  progress(0.08, 'finding teams, people, services, categories and problems');
  const dir = await resolveDirectory(
    em,
    work.map((w) => w.inc),
    provided,
    now,
  );
  const matrix = await getPriorityMatrix(em);
  await loadNames(
    em,
    dir,
    work.flatMap((w) => (w.ex ? [w.ex.state] : [])),
  );
  const events = new EventWriter(dir, source);

  // Decide: create, update or unchanged (same values, e.g. this tool's own export read back).
  progress(0.15, 'comparing');
  type Planned = { inc: AssembledIncident; ex: Existing | undefined; states: DbState[]; target: DbState; fields: string[] };
  const creates: Planned[] = [];
  const updates: Planned[] = [];
  for (const { inc, ex } of work) {
    // Every state of the incident in our terms; the last one is what the incident becomes.
    const states = inc.snaps.map((s) => toDbState(s, ex?.state ?? null, provided, dir, matrix, source));
    const target = states[states.length - 1];
    if (!ex) creates.push({ inc, ex, states, target, fields: [] });
    else {
      const fields = changedFields(ex.state, target);
      if (fields.length) updates.push({ inc, ex, states, target, fields });
      else result.unchanged++;
    }
  }
  // New problems take service and category from their first incident.
  for (const p of dir.newProblems) {
    p.serviceId = provided.has('service') ? dir.service(p.firstSnap.service) : null;
    p.categoryId = provided.has('category') ? dir.category(p.firstSnap.category, p.firstSnap.subcategory) : null;
  }
  // Only what the planned incidents use is created (an unchanged incident's team already exists).
  const used = new Set<string>();
  for (const p of [...creates, ...updates]) {
    for (const st of p.states) {
      for (const id of [st.teamId, st.assigneeId, st.reporterId, st.serviceId, st.categoryId, st.problemId]) if (id) used.add(id);
    }
  }
  const newCategories = dir.newCategories.filter(
    (c) => used.has(c.id as string) || dir.newCategories.some((x) => x.parent_id === c.id && used.has(x.id as string)),
  );
  const newTeams = dir.newTeams.filter((t) => used.has(t.id as string));
  const newUsers = dir.newUsers.filter((u) => used.has(u.id as string));
  const newServices = dir.newServices.filter((s) => used.has(s.id as string));
  const newProblems = dir.newProblems.filter((p) => used.has(p.id));
  Object.assign(result, {
    created: creates.length,
    updated: updates.length,
    problemsCreated: newProblems.length,
    teamsCreated: newTeams.length,
    usersCreated: newUsers.length,
    servicesCreated: newServices.length,
    categoriesCreated: newCategories.length,
  });

  // Numbers in opening order, problems first so link summaries can name them.
  creates.sort((a, b) => a.target.openedAt.getTime() - b.target.openedAt.getTime() || (a.inc.key < b.inc.key ? -1 : 1));
  const numbers = dryRun ? creates.map(() => 0) : await nextNumbers(em, 'incident_number_seq', creates.length);
  const problemNumbers = dryRun ? newProblems.map(() => 0) : await nextNumbers(em, 'problem_number_seq', newProblems.length);
  newProblems.sort((a, b) => a.firstSnap.openedAt.getTime() - b.firstSnap.openedAt.getTime());
  newProblems.forEach((p, i) => dir.names.set(p.id, `${formatProblemNumber(problemNumbers[i])}: ${p.title}`));

  // What SLA clocks need besides the new events: policies, and the stored events of updated incidents.
  const updatedIds = updates.map((u) => u.ex!.id);
  const stored = new Map<string, SlaEventLike[]>();
  let book: PolicyBook | null = null;
  if (!dryRun) {
    if (updatedIds.length) {
      const rows = await sql<{ incident_id: string; kind: IncidentEventKind; at: string | Date; seq: number; after: unknown }>(
        em,
        `select incident_id, kind, at, seq, after from incident_events
          where incident_id in ${IN_UUID} and kind in ('LOGGED','CLASSIFIED','PRIORITY_OVERRIDDEN','ACKNOWLEDGED','STATUS_CHANGED','REOPENED')`,
        [jsonList(updatedIds)],
      );
      for (const r of rows) {
        let list = stored.get(r.incident_id);
        if (!list) stored.set(r.incident_id, (list = []));
        list.push({
          kind: r.kind,
          at: new Date(r.at),
          seq: r.seq,
          after: typeof r.after === 'string' ? JSON.parse(r.after) : (r.after as Record<string, unknown> | null),
        });
      }
    }
    book = await PolicyBook.load(
      em,
      updates.flatMap((u) => (u.ex!.slaPolicyVersionId ? [u.ex!.slaPolicyVersionId] : [])),
    );
  }

  let words: SearchWords | null = null;
  // Search documents are rebuilt set-wise at the end; the row triggers would redo them per row. The
  // analytics queue triggers are off too: the import folds its own incidents in before it commits.
  const active: string[][] = [];
  if (!dryRun) {
    progress(0.22, 'writing teams, people, services, categories and problems');
    for (const [table, name] of [
      ['incidents', 'search_on_incidents'],
      ['problems', 'search_on_problems'],
    ])
      if (await triggerExists(em, table, name)) active.push([table, name]);
    for (const q of await withRawClient(em, (c) => queueTriggers(c, ['incidents', 'sla_clocks']))) active.push([q.table, q.name]);
    // Locks (ALTER TABLE takes SHARE ROW EXCLUSIVE) in the order the API's writers take them: incidents first.
    const order = ['incidents', 'problems', 'sla_clocks'];
    active.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    for (const [table, name] of active) await sql(em, `alter table ${table} disable trigger ${name}`);
    // The search lexicon of the incidents' documents is collected here (see search-words.ts).
    words = await SearchWords.prepare(em);
    await words?.disableTrigger(em);
    await insertRows(
      em,
      'teams',
      [
        ['id', 'uuid'],
        ['name', 'varchar'],
        ['description', 'text'],
        ['created_at', 'timestamptz'],
      ],
      newTeams,
    );
    await insertRows(
      em,
      'users',
      [
        ['id', 'uuid'],
        ['email', 'varchar'],
        ['name', 'varchar'],
        ['created_at', 'timestamptz'],
      ],
      newUsers,
    );
    await insertRows(
      em,
      'services',
      [
        ['id', 'uuid'],
        ['name', 'varchar'],
        ['description', 'text'],
        ['created_at', 'timestamptz'],
      ],
      newServices,
    );
    await insertRows(
      em,
      'categories',
      [
        ['id', 'uuid'],
        ['name', 'varchar'],
        ['parent_id', 'uuid'],
        ['created_at', 'timestamptz'],
      ],
      newCategories,
    );
    if (newProblems.length) {
      const rows = newProblems.map((p, i) => ({
        id: p.id,
        number: problemNumbers[i],
        title: p.title,
        description: `Created by import from ${source}${p.ref ? ` (${p.ref})` : ''}.`,
        status: 'OPEN',
        service_id: p.serviceId,
        category_id: p.categoryId,
        created_at: p.firstSnap.openedAt,
        updated_at: now,
        external_ref: p.ref,
      }));
      await insertRows(
        em,
        'problems',
        [
          ['id', 'uuid'],
          ['number', 'integer'],
          ['title', 'text'],
          ['description', 'text'],
          ['status', 'varchar'],
          ['service_id', 'uuid'],
          ['category_id', 'uuid'],
          ['created_at', 'timestamptz'],
          ['updated_at', 'timestamptz'],
          ['external_ref', 'varchar'],
        ],
        rows,
      );
    }
  }
  const problemEventRows: Record<string, unknown>[] = newProblems.map((p, i) => ({
    id: randomUUID(),
    problem_id: p.id,
    at: p.firstSnap.openedAt,
    actor_name: opts.actorName.slice(0, 200),
    kind: 'CREATED',
    summary: `Opened ${formatProblemNumber(problemNumbers[i])}: ${p.title} (imported from ${source}${p.ref ? ` ${p.ref}` : ''})`,
    data: { import: { source, ref: p.ref } },
  }));

  // Timelines, incidents and clocks, a batch at a time: while the database writes one batch
  // (COPY, queued on the transaction's connection), the next one is built here. Rows only point at
  // rows written before them, so foreign keys are checked as they go in (immediate): that work is
  // spread over the batches instead of piling up at commit.
  if (!dryRun) await sql(em, `set constraints all immediate`);
  const writer = dryRun ? null : await BatchWriter.open(em);
  const copying = writer?.copy ?? false;
  // The search vectors of the batch's documents, computed on a second connection meanwhile (search-side.ts).
  const side = copying ? SearchSide.open(em) : null;
  if (writer) writer.side = side;
  const eventId = orderedUuids();
  const nowIso = now.toISOString();
  // Events of one row share their time: each instant is written out once.
  const isoCache = new Map<number, string>();
  const meta = (inc: AssembledIncident) => ({ source, runId: opts.runId, seq: inc.lastSeq, importedAt: nowIso, row: inc.final.row });
  const total = creates.length + updates.length;
  let done = 0;
  const BATCH = 2000;
  // The database is fed from this thread (the next COPY starts, a full socket drains, only when
  // the event loop runs): building a whole batch without yielding left it waiting for us, about a
  // third of its time. A few milliseconds of building at a time keeps it busy.
  const YIELD_EVERY = 50;
  const yieldToIo = () => new Promise<void>((r) => setImmediate(r));
  let batch = new Batch();
  const flush = async (last = false) => {
    if (side && batch.sideDocs.length) batch.searchPre = side.compute(batch.sideDocs);
    if (writer) await writer.write(batch);
    batch = new Batch();
    isoCache.clear();
    progress(0.25 + 0.5 * (done / Math.max(1, total)), last ? 'finishing writes' : 'rebuilding timelines and writing');
    // Let the connection send what is queued while the next batch is built.
    await new Promise((r) => setImmediate(r));
  };
  const eventsOf = (incidentId: string, number: string, title: string, list: DraftEvent[], firstSeq: number, sla: SlaEventLike[]) => {
    let seq = firstSeq;
    for (const e of list) {
      seq++;
      const t = e.at.getTime();
      let atIso = isoCache.get(t);
      if (atIso === undefined) isoCache.set(t, (atIso = e.at.toISOString()));
      const actor = e.actor.length > 200 ? e.actor.slice(0, 200) : e.actor;
      if (copying) {
        // Written straight in COPY's text format: this is the biggest table of an import.
        batch.eventCopy.line(
          `${eventId()}\t${incidentId}\t${seq}\t${atIso}\t${nowIso}\t${copyText(actor)}\t${e.kind}\t${copyText(e.summary)}\t${copyJson(e.before)}\t${copyJson(e.after)}\t${copyJson(e.data)}\n`,
        );
      } else {
        batch.events.push([incidentId, seq, atIso, nowIso, actor, e.kind, e.summary, e.before, e.after, e.data]);
      }
      result.events++;
      if (
        e.kind === 'LOGGED' ||
        e.kind === 'CLASSIFIED' ||
        e.kind === 'PRIORITY_OVERRIDDEN' ||
        e.kind === 'ACKNOWLEDGED' ||
        e.kind === 'STATUS_CHANGED' ||
        e.kind === 'REOPENED'
      ) {
        sla.push({ kind: e.kind, at: e.at, seq, after: e.after });
      }
      if (e.kind === 'PROBLEM_LINKED' || e.kind === 'PROBLEM_UNLINKED') {
        const linked = e.kind === 'PROBLEM_LINKED';
        problemEventRows.push({
          id: randomUUID(),
          problem_id: linked ? e.after!.problemId : e.before!.problemId,
          at: e.at,
          actor_name: e.actor.slice(0, 200),
          kind: linked ? 'INCIDENT_LINKED' : 'INCIDENT_UNLINKED',
          summary: `${linked ? 'Linked' : 'Unlinked'} ${number}${linked ? `: ${title}` : ''}`,
          data: { incidentId, ...(e.data ? { import: e.data.import } : {}) },
        });
      }
    }
    return seq;
  };
  const clocksOf = (id: string, sla: SlaEventLike[], versionId: string | null, serviceId: string | null): string | null => {
    if (!book) return null;
    const version = (versionId && book.byId(versionId)) || book.currentFor(serviceId);
    const rows = clockRows(id, [...(stored.get(id) ?? []), ...sla], version, now);
    if (copying) for (const r of rows) batch.clockCopy.values(CLOCK_COLUMNS_LIST.map(([n]) => r[n]));
    else batch.clocks.push(...rows);
    return version.version.id;
  };

  progress(0.25, 'rebuilding timelines and writing');
  const newId = orderedUuids();
  for (let i = 0; i < creates.length; i++) {
    const p = creates[i];
    const { inc, target } = p;
    const id = inc.id && mapping.matchById ? inc.id : newId();
    const number = formatIncidentNumber(numbers[i]);
    const floor = { t: target.openedAt.getTime() };
    const list: DraftEvent[] = [];
    const incidentSource = (provided.has('source') && inc.final.source) || 'IMPORT';
    // Logged as it first was, then every later state; dates of the first state count from opening.
    const first = p.states[0];
    const fresh: DbState = {
      ...first,
      status: 'NEW',
      holdReason: null,
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
      resolutionKind: null,
      resolutionCode: null,
      resolutionNotes: null,
      userConfirmed: null,
      problemId: null,
      reopenCount: 0,
      reassignmentCount: first.reassignmentCount,
      verdict: first.verdict,
    };
    const firstData = { import: { source, ref: inc.key, row: inc.snaps[0].row, runId: opts.runId } };
    list.push(...place([events.logged(number, inc.key, fresh, inc.snaps[0], inc.externalRef, incidentSource)], floor, firstData));
    let prev = fresh;
    for (let k = 0; k < inc.snaps.length; k++) {
      const s = inc.snaps[k];
      const st = p.states[k];
      list.push(...place(events.step(prev, st, s.at, s), floor, null));
      prev = st;
    }
    const sla: SlaEventLike[] = [];
    const lastSeq = eventsOf(id, number, target.title, list, 0, sla);
    const policyVersionId = clocksOf(id, sla, null, target.serviceId);
    batch.searchIds.push(id);
    if (SEARCHABLE.has(target.status)) {
      words?.add(target.title, target.description, target.resolutionNotes);
      if (side)
        batch.sideDocs.push([
          id,
          numbers[i],
          target.title,
          target.description,
          target.resolutionNotes,
          inc.externalRef,
          target.resolutionCode,
        ]);
    }
    const row = incidentRow(id, numbers[i], target, {
      source: incidentSource,
      externalRef: inc.externalRef,
      eventSeq: lastSeq,
      policyVersionId,
      hash: inc.hash,
      meta: meta(inc),
      now,
    });
    if (copying) batch.incidentCopy.values(INCIDENT_COLUMNS.map(([n]) => row[n as keyof typeof row]));
    else batch.incidents.push(row);
    batch.created++;
    result.changes.push({ ref: inc.key, number: dryRun ? null : number, action: 'create', fields: [] });
    result.incidentIds.push(id);
    done++;
    if (batch.created >= BATCH) await flush();
    else if (done % YIELD_EVERY === 0) await yieldToIo();
  }

  for (const p of updates) {
    const { inc, ex, target } = p;
    const cur = ex!;
    const number = formatIncidentNumber(cur.number);
    const floor = { t: target.openedAt.getTime() };
    const list: DraftEvent[] = [];
    const data = (s: Snap) => ({ import: { source, ref: inc.key, row: s.row, runId: opts.runId } });
    // An event log continues from the last row imported; anything else is one step to the new state.
    const watermark = cur.importMeta?.seq ?? null;
    const fresh =
      assembly.eventLog && watermark !== null ? inc.snaps.flatMap((s, k) => (s.seq !== null && s.seq > watermark ? [k] : [])) : [];
    let prev = cur.state;
    for (const k of fresh) {
      const s = inc.snaps[k];
      list.push(...place(events.step(prev, p.states[k], s.at, s), floor, data(s)));
      prev = p.states[k];
    }
    if (changedFields(prev, target).length)
      list.push(...place(events.step(prev, target, inc.final.at > now ? now : inc.final.at, inc.final), floor, data(inc.final)));
    const sla: SlaEventLike[] = [];
    const lastSeq = eventsOf(cur.id, number, target.title, list, cur.eventSeq, sla);
    const serviceChanged = target.serviceId !== cur.state.serviceId;
    const policyVersionId = clocksOf(cur.id, sla, serviceChanged ? null : cur.slaPolicyVersionId, target.serviceId);
    batch.updates.push(
      incidentRow(cur.id, cur.number, target, {
        source: '',
        externalRef: cur.externalRef,
        eventSeq: lastSeq,
        policyVersionId,
        hash: inc.hash,
        meta: meta(inc),
        now,
      }),
    );
    batch.replacedClocks.push(cur.id);
    batch.searchIds.push(cur.id);
    if (SEARCHABLE.has(target.status)) {
      words?.add(target.title, target.description, target.resolutionNotes);
      if (side)
        batch.sideDocs.push([
          cur.id,
          cur.number,
          target.title,
          target.description,
          target.resolutionNotes,
          cur.externalRef,
          target.resolutionCode,
        ]);
    }
    result.changes.push({ ref: inc.key, number, action: 'update', fields: p.fields });
    result.incidentIds.push(cur.id);
    done++;
    if (batch.updates.length >= BATCH) await flush();
    else if (done % YIELD_EVERY === 0) await yieldToIo();
  }
  await flush(true);
  if (!writer) {
    progress(1, 'dry run: nothing written');
    return result;
  }
  await writer.finish();
  await words?.finish(em);
  await bulkInsert(
    em,
    'problem_events',
    [
      ['id', 'uuid'],
      ['problem_id', 'uuid'],
      ['at', 'timestamptz'],
      ['actor_name', 'varchar'],
      ['kind', 'varchar'],
      ['summary', 'text'],
      ['data', 'jsonb'],
    ],
    problemEventRows,
  );

  if (newProblems.length) {
    await sql(
      em,
      `insert into search_documents (entity_id, kind, title, body, identifiers, service_id, category_id, priority, status, occurred_at, boost, retired, tsv)
       select s.entity_id, s.kind, s.title, s.body, s.identifiers, s.service_id, s.category_id, s.priority, s.status, s.occurred_at, s.boost, s.retired,
              search_tsv(s.title, s.identifiers, s.body)
         from search_source_problems s where s.entity_id in ${IN_UUID}
       on conflict (entity_id) do nothing`,
      [jsonList(newProblems.map((p) => p.id))],
    );
  }
  // The analytics: these incidents' facts and rollup cells, set-wise, before the caller commits.
  progress(0.97, 'folding into the analytics');
  const folded = await withRawClient(em, (c) =>
    foldNow(c, result.incidentIds, {
      copy: writer.copy
        ? (table, columns, fill) => {
            const w = new CopyWriter();
            fill((text) => w.line(text));
            return copyRows(em, table, columns, w.data());
          }
        : undefined,
    }),
  );
  result.analytics = { incidents: folded.incidents, cells: folded.cells, ms: folded.ms };
  // Every foreign key was checked as rows went in (see below), so the triggers can be switched back on.
  for (const [table, name] of active) await sql(em, `alter table ${table} enable trigger ${name}`);
  progress(1, 'done');
  return result;
}

/**
 * One batch of rows to write. When the database takes COPY, new incidents, events and clocks are
 * encoded as they are made (CopyWriter); otherwise they are kept as rows for json_to_recordset.
 */
class Batch {
  /** New incidents (rows; without COPY). */
  incidents: Record<string, unknown>[] = [];
  updates: Record<string, unknown>[] = [];
  replacedClocks: string[] = [];
  events: unknown[][] = [];
  clocks: Record<string, unknown>[] = [];
  readonly incidentCopy = new CopyWriter();
  /** Events in COPY's text format (id first). */
  readonly eventCopy = new CopyWriter();
  readonly clockCopy = new CopyWriter();
  /** New incidents in the batch (either way). */
  created = 0;
  /** Incidents whose search document is rebuilt from the search view. */
  searchIds: string[] = [];
  /** The searchable ones, for their vectors computed ahead (search-side.ts), and those vectors. */
  sideDocs: SideDoc[] = [];
  searchPre: SidePart | null = null;
}

/**
 * Writes batches in order on the transaction's connection. On PostgreSQL the COPY statements run
 * one after the other in the background (a promise chain), so the server works while the next
 * batch is built here; the embedded database takes each batch before the next is built.
 */
class BatchWriter {
  private tail: Promise<unknown> = Promise.resolve();
  /** Done when the previous batch's statements are (see write). */
  private previous: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  side: SearchSide | null = null;
  private constructor(
    private readonly em: EntityManager,
    readonly copy: boolean,
  ) {}

  static async open(em: EntityManager): Promise<BatchWriter> {
    return new BatchWriter(em, await canCopy(em));
  }

  private run(start: () => Promise<unknown>) {
    // After a failure the transaction is aborted: nothing more is sent; finish() reports it.
    this.tail = this.tail
      .then(() => (this.failure ? undefined : start()))
      .catch((err) => {
        this.failure ??= err;
      });
  }

  async write(b: Batch): Promise<void> {
    const em = this.em;
    if (!this.copy) {
      await bulkInsert(em, 'incidents', INCIDENT_COLUMNS, b.incidents);
      await this.update(b);
      await bulkInsert(
        em,
        'incident_events',
        EVENT_COLUMNS,
        b.events.map((e) => Object.fromEntries(EVENT_COLUMNS.map(([n], i) => [n, e[i]]))),
        { generatedId: true },
      );
      await bulkInsert(em, 'sla_clocks', CLOCK_COLUMNS_LIST, b.clocks);
      if (b.searchIds.length) await this.search(b.searchIds);
      return;
    }
    // At most one batch waits behind the one being written: when the database is the slower side,
    // the builder waits here instead of queueing every batch in memory (where each batch's rows,
    // still alive, were copied by every young-generation collection: seconds of the import's GC).
    const older = this.previous;
    this.previous = this.tail;
    await older;
    if (b.incidentCopy.rows)
      this.run(() =>
        copyRows(
          em,
          'incidents',
          INCIDENT_COLUMNS.map(([n]) => n),
          b.incidentCopy.data(),
        ),
      );
    if (b.updates.length) {
      // Statements on one connection run in order: the update waits for the copies before it.
      await this.drain();
      await this.update(b);
    }
    if (b.eventCopy.rows) this.run(() => copyRows(em, 'incident_events', ['id', ...EVENT_COLUMNS.map(([n]) => n)], b.eventCopy.data()));
    if (b.clockCopy.rows)
      this.run(() =>
        copyRows(
          em,
          'sla_clocks',
          CLOCK_COLUMNS_LIST.map(([n]) => n),
          b.clockCopy.data(),
        ),
      );
    if (b.searchIds.length) this.run(() => this.search(b.searchIds, b.searchPre));
  }

  /** Search documents rebuilt from the same view the row triggers use (they are off meanwhile). */
  private async search(ids: string[], pre: Batch['searchPre'] = null) {
    const part = jsonList(ids);
    await sql(this.em, `delete from search_documents where entity_id in ${IN_UUID}`, [part]);
    if (this.side && (await this.side.load(this.em, await this.side.take(pre)))) {
      await sql(this.em, SEARCH_INSERT_WITH_PRE, [part]);
      return;
    }
    await sql(
      this.em,
      `insert into search_documents (entity_id, kind, title, body, identifiers, service_id, category_id, priority, status, occurred_at, boost, retired, tsv)
       select s.entity_id, s.kind, s.title, s.body, s.identifiers, s.service_id, s.category_id, s.priority, s.status, s.occurred_at, s.boost, s.retired,
              search_tsv(s.title, s.identifiers, s.body)
         from search_source_incidents s where s.entity_id in ${IN_UUID}`,
      [part],
    );
  }

  private async update(b: Batch) {
    if (!b.updates.length) return;
    const names = UPDATE_COLUMNS.map(([n]) => n);
    await sql(
      this.em,
      `update incidents i set (${names.join(', ')}) = (${names.map((n) => `x.${n}`).join(', ')}), version = i.version + 1
         from ${recordset([['id', 'uuid'], ...UPDATE_COLUMNS])} where i.id = x.id`,
      [JSON.stringify(b.updates)],
    );
    // COPY cannot upsert: an updated incident's clocks are replaced.
    await sql(this.em, `delete from sla_clocks where incident_id in ${IN_UUID}`, [jsonList(b.replacedClocks)]);
  }

  private async drain() {
    await this.tail;
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<void> {
    await this.drain();
  }
}
