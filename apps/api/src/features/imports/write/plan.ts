import type { EntityManager } from '@mikro-orm/postgresql';
import type { PriorityMatrix } from '@ikb/domain';
import { getPriorityMatrix } from '../../settings/settings.service';
import type { AssembledIncident, Assembly } from '../file/assemble';
import type { ImportMapping } from '../file/mapping';
import { changedFields, toDbState, type DbState } from './db-state';
import { resolveDirectory, type Directory } from './directory';
import { loadExisting, loadNames, type Existing } from './existing';
import type { WriteResult } from './write-result';

/** One incident the import writes: its states in our terms, the last one being what it becomes. */
export interface Planned {
  inc: AssembledIncident;
  ex: Existing | undefined;
  states: DbState[];
  target: DbState;
  fields: string[];
}

export interface Plan {
  dir: Directory;
  matrix: PriorityMatrix;
  creates: Planned[];
  updates: Planned[];
  /** The directory's new rows that the planned incidents use (an unchanged incident's team already exists). */
  newTeams: Record<string, unknown>[];
  newUsers: Record<string, unknown>[];
  newServices: Record<string, unknown>[];
  newCategories: Record<string, unknown>[];
  newProblems: Directory['newProblems'];
}

/**
 * Decides what an import does: match each incident to a stored one, settle identical re-imports
 * by their hash, find or create the names the rows use, and sort the rest into creates and
 * updates (or unchanged: same values, e.g. this tool's own export read back). Counts go into
 * `result`. Null when nothing is to be written.
 */
export async function planImport(
  em: EntityManager,
  assembly: Assembly,
  mapping: ImportMapping,
  now: Date,
  result: WriteResult,
  progress: (fraction: number, label: string) => void,
): Promise<Plan | null> {
  const source = mapping.source;
  const provided = assembly.provided;
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
  if (!work.length) return null;

  progress(0.08, 'finding teams, people, services, categories and problems');
  const incidents = work.map((w) => w.inc);
  const dir = await resolveDirectory(em, incidents, provided, now);
  const matrix = await getPriorityMatrix(em);
  await loadNames(
    em,
    dir,
    work.flatMap((w) => (w.ex ? [w.ex.state] : [])),
  );

  progress(0.15, 'comparing');
  const creates: Planned[] = [];
  const updates: Planned[] = [];
  for (const { inc, ex } of work) {
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
  const used = new Set<string>();
  for (const p of [...creates, ...updates]) {
    for (const st of p.states) {
      for (const id of [st.teamId, st.assigneeId, st.reporterId, st.serviceId, st.categoryId, st.problemId]) if (id) used.add(id);
    }
  }
  const plan: Plan = {
    dir,
    matrix,
    creates,
    updates,
    newCategories: dir.newCategories.filter(
      (c) => used.has(c.id as string) || dir.newCategories.some((x) => x.parent_id === c.id && used.has(x.id as string)),
    ),
    newTeams: dir.newTeams.filter((t) => used.has(t.id as string)),
    newUsers: dir.newUsers.filter((u) => used.has(u.id as string)),
    newServices: dir.newServices.filter((s) => used.has(s.id as string)),
    newProblems: dir.newProblems.filter((p) => used.has(p.id)),
  };
  Object.assign(result, {
    created: creates.length,
    updated: updates.length,
    problemsCreated: plan.newProblems.length,
    teamsCreated: plan.newTeams.length,
    usersCreated: plan.newUsers.length,
    servicesCreated: plan.newServices.length,
    categoriesCreated: plan.newCategories.length,
  });
  return plan;
}
