import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { formatProblemNumber } from '../../problems/problem.entity';
import type { AssembledIncident, OptionalField, Snap } from '../file/assemble';
import { IN_TEXT, IN_UUID, jsonList, sql } from '../sql-bulk';

/**
 * Names -> ids: the teams, people, services, categories and problems an import's rows name, found
 * by name (or e-mail, or reference) or made up as new rows to write, and the display names of
 * everything the timeline summaries mention.
 */

const lower = (s: string) => s.trim().toLowerCase();

export class Directory {
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

type Problems = Map<string, { id: string | null; ref: string | null; title: string | null; snap: Snap }>;

/** The names the rows use, by lower-cased name (as first written), for the kinds the file provides. */
function wantedNames(incidents: AssembledIncident[], provided: Set<OptionalField>) {
  const teams = new Map<string, string>();
  const people = new Map<string, string>();
  const services = new Map<string, string>();
  const cats = new Map<string, { parent: string; child: string | null }>();
  const problems: Problems = new Map();
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
  return { teams, people, services, cats, problems };
}

/** Finds every name the rows use, and makes what is not there (written later by new-rows.ts). */
export async function resolveDirectory(
  em: EntityManager,
  incidents: AssembledIncident[],
  provided: Set<OptionalField>,
  now: Date,
): Promise<Directory> {
  const dir = new Directory();
  const wanted = wantedNames(incidents, provided);
  await findNamed(em, dir, 'teams', wanted.teams, dir.teams);
  await findNamed(em, dir, 'services', wanted.services, dir.services);
  makeNamed(dir, wanted.teams, dir.teams, dir.newTeams, now);
  makeNamed(dir, wanted.services, dir.services, dir.newServices, now);
  if (wanted.people.size) await resolvePeople(em, dir, wanted.people, now);
  if (wanted.cats.size) await resolveCategories(em, dir, wanted.cats, now);
  if (wanted.problems.size) await resolveProblems(em, dir, wanted.problems);
  return dir;
}

async function findNamed(em: EntityManager, dir: Directory, table: string, wanted: Map<string, string>, into: Map<string, string>) {
  if (!wanted.size) return;
  const rows = await sql<{ id: string; name: string }>(em, `select id, name from ${table} where lower(name) in ${IN_TEXT}`, [
    jsonList([...wanted.keys()]),
  ]);
  for (const r of rows) {
    into.set(lower(r.name), r.id);
    dir.names.set(r.id, r.name);
  }
}

function makeNamed(dir: Directory, wanted: Map<string, string>, into: Map<string, string>, rows: Record<string, unknown>[], now: Date) {
  for (const [key, name] of wanted) {
    if (into.has(key)) continue;
    const id = randomUUID();
    into.set(key, id);
    dir.names.set(id, name);
    rows.push({ id, name: name.slice(0, 120), description: 'Created by import', created_at: now });
  }
}

/** People: by name, or by e-mail when the export gives addresses. */
async function resolvePeople(em: EntityManager, dir: Directory, people: Map<string, string>, now: Date) {
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

async function resolveCategories(
  em: EntityManager,
  dir: Directory,
  cats: Map<string, { parent: string; child: string | null }>,
  now: Date,
) {
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

async function resolveProblems(em: EntityManager, dir: Directory, problems: Problems) {
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
