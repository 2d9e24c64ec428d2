import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../../db/pg-array';
import { assertUuid, badInput, notFound } from '../../errors';
import { Incident } from '../incidents/incident.entity';
import { Problem } from '../problems/problem.entity';
import { Workaround } from '../workarounds/workaround.entity';
import type { SimilarIncident } from './similar.types';

const MAX_TERMS = 24;

/**
 * Past resolved incidents most like the given one: any of its distinctive terms (OR query over its
 * title and description, rarer terms first), plus fixed bonuses for the same service (+0.3), the
 * same category (+0.2), the same problem (+0.5) and a similar title (trigram similarity x 0.5).
 */
export async function similarIncidents(em: EntityManager, incidentId: string, first: number): Promise<SimilarIncident[]> {
  assertUuid('incidentId', incidentId);
  if (!Number.isInteger(first) || first < 1 || first > 50) throw badInput('first', 'must be between 1 and 50');
  const me = await em.findOne(Incident, { id: incidentId });
  if (!me) throw notFound('incidentId', 'incident', incidentId);
  // The incident's lexemes, the rarer in the catalog first: they say most about it.
  const terms = await em.execute<{ word: string }[]>(
    `with mine as (select distinct lexeme as word from unnest(to_tsvector('english', ? || ' ' || ?)) t)
     select m.word from mine m order by (select count(*) from search_documents d where d.kind = 'INCIDENT' and d.tsv @@ quote_literal(m.word)::tsquery) asc, m.word
     limit ${MAX_TERMS}`,
    [me.title, me.description],
  );
  const tsq = terms.map((t) => `'${t.word.replace(/'/g, "''")}'`).join(' | ');
  const rows = await em.execute<{ entity_id: string; text_rank: number; same_service: boolean; same_category: boolean; same_problem: boolean; title_sim: number; terms: string[] }[]>(
    `with q as (select ${tsq ? 'to_tsquery(?)' : `''::tsquery`} as tsq)
     select d.entity_id, ts_rank_cd(d.tsv, q.tsq, 32) as text_rank,
       (d.service_id is not null and d.service_id = ?) as same_service,
       (d.category_id is not null and d.category_id = ?) as same_category,
       (i.problem_id is not null and i.problem_id = ?) as same_problem,
       similarity(d.title, ?) as title_sim,
       array(select t from unnest(?::text[]) t where d.tsv @@ quote_literal(t)::tsquery order by t) as terms
     from search_documents d join incidents i on i.id = d.entity_id, q
     where d.kind = 'INCIDENT' and d.entity_id <> ?
       and (d.tsv @@ q.tsq or d.title % ? or (i.problem_id is not null and i.problem_id = ?))
     order by ts_rank_cd(d.tsv, q.tsq, 32)
       + case when d.service_id = ? then 0.3 else 0 end + case when d.category_id = ? then 0.2 else 0 end
       + case when i.problem_id = ? then 0.5 else 0 end + 0.5 * similarity(d.title, ?) desc, d.occurred_at desc
     limit ${first}`,
    [
      ...(tsq ? [tsq] : []),
      me.serviceId, me.categoryId, me.problemId, me.title, pgTextArray(terms.map((t) => t.word)), me.id, me.title, me.problemId,
      me.serviceId, me.categoryId, me.problemId, me.title,
    ],
  );
  const incidents = await em.find(Incident, { id: { $in: rows.map((r) => r.entity_id) } });
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const workaroundIds = incidents.flatMap((i) => (i.resolutionWorkaroundId ? [i.resolutionWorkaroundId] : []));
  const problemIds = incidents.flatMap((i) => (i.problemId ? [i.problemId] : []));
  const workarounds = new Map((workaroundIds.length ? await em.find(Workaround, { id: { $in: workaroundIds } }) : []).map((w) => [w.id, w]));
  const problems = new Map((problemIds.length ? await em.find(Problem, { id: { $in: problemIds } }) : []).map((p) => [p.id, p]));
  return rows.map((r) => {
    const incident = byId.get(r.entity_id)!;
    const reasons = [
      ...(r.terms.length ? [`shares ${r.terms.slice(0, 6).map((t) => `"${t}"`).join(', ')}`] : []),
      ...(r.same_service ? ['same service'] : []),
      ...(r.same_category ? ['same category'] : []),
      ...(r.same_problem ? ['same problem'] : []),
      ...(Number(r.title_sim) >= 0.4 ? [`title ${Math.round(Number(r.title_sim) * 100)} % similar`] : []),
    ];
    const score = Number(r.text_rank) + (r.same_service ? 0.3 : 0) + (r.same_category ? 0.2 : 0) + (r.same_problem ? 0.5 : 0) + 0.5 * Number(r.title_sim);
    return {
      incident,
      score,
      reasons,
      fix: incident.resolutionNotes,
      workaround: incident.resolutionWorkaroundId ? workarounds.get(incident.resolutionWorkaroundId) ?? null : null,
      problem: incident.problemId ? problems.get(incident.problemId) ?? null : null,
    };
  });
}
