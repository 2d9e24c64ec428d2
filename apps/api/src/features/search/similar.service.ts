import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../../db/pg-array';
import { assertUuid, badInput, notFound } from '../../errors';
import { Incident } from '../incidents/incident.entity';
import { Problem } from '../problems/problem.entity';
import { Workaround } from '../workarounds/workaround.entity';
import type { SimilarIncident } from './similar.types';

const MAX_TERMS = 12;
/** Words in more than this share of the documents say little about an incident (estimated from the planner's statistics). */
const COMMON = 0.05;
const CANDIDATES = 500;

/**
 * Past resolved incidents most like the given one: any of its distinctive terms (OR query over its
 * title and description, the rarer terms in the catalog first), plus fixed bonuses for the same
 * service (+0.3), the same category (+0.2), the same problem (+0.5) and a similar title (trigram
 * similarity x 0.5).
 *
 * At scale: how common a word is comes from the statistics ANALYZE keeps on search_documents.tsv
 * (pg_stats, most common elements; a word not listed is rare), words in more than 5 % of the
 * documents are left out unless nothing else is left, and at most 500 incidents sharing the words
 * (recent ones first, through the hot tier) plus those of the same problem are scored.
 */
export async function similarIncidents(em: EntityManager, incidentId: string, first: number): Promise<SimilarIncident[]> {
  assertUuid('incidentId', incidentId);
  if (!Number.isInteger(first) || first < 1 || first > 50) throw badInput('first', 'must be between 1 and 50');
  const me = await em.findOne(Incident, { id: incidentId });
  if (!me) throw notFound('incidentId', 'incident', incidentId);
  const words = await em.execute<{ word: string; freq: number }[]>(
    `with mine as (select distinct lexeme as word from unnest(to_tsvector('english', ? || ' ' || ?)) t),
     st as (select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs from pg_stats
             where schemaname = current_schema() and tablename = 'search_documents' and attname = 'tsv' limit 1)
     select m.word, coalesce((select st.freqs[array_position(st.elems, m.word)] from st), 0)::float8 as freq
       from mine m order by 2, 1`,
    [me.title, me.description ?? ''],
  );
  const distinctive = words.filter((w) => Number(w.freq) <= COMMON);
  const terms = (distinctive.length >= 3 ? distinctive : words.slice(0, 3)).slice(0, MAX_TERMS).map((w) => w.word);
  const tsq = terms.map((t) => `'${t.replace(/'/g, "''")}'`).join(' | ');
  const rows = await em.execute<
    {
      entity_id: string;
      text_rank: number;
      same_service: boolean;
      same_category: boolean;
      same_problem: boolean;
      title_sim: number;
      terms: string[];
    }[]
  >(
    `with q as materialized (select ${tsq ? 'to_tsquery(?)' : `''::tsquery`} as tsq),
     hot as materialized (
       select d.entity_id from search_documents d, q where numnode(q.tsq) > 0 and d.hot and d.kind = 'INCIDENT' and d.tsv @@ q.tsq
         and d.entity_id <> ? limit ${CANDIDATES}
     ), cold as materialized (
       select d.entity_id from search_documents d, q where numnode(q.tsq) > 0 and not d.hot and d.kind = 'INCIDENT' and d.tsv @@ q.tsq
         and d.entity_id <> ?
         and (select count(*) from hot) < ${CANDIDATES} limit ${CANDIDATES}
     ), kin as materialized (
       select i.id as entity_id from incidents i where ?::uuid is not null and i.problem_id = ?::uuid and i.id <> ?
         and i.status in ('RESOLVED', 'CLOSED', 'REVIEWED') order by i.opened_at desc limit 100
     ), cand as (select entity_id from hot union select entity_id from cold union select entity_id from kin)
     select d.entity_id, ts_rank_cd(d.tsv, q.tsq, 32) as text_rank,
       (d.service_id is not null and d.service_id = ?) as same_service,
       (d.category_id is not null and d.category_id = ?) as same_category,
       (i.problem_id is not null and i.problem_id = ?) as same_problem,
       similarity(d.title, ?) as title_sim,
       array(select t from unnest(?::text[]) t where d.tsv @@ quote_literal(t)::tsquery order by t) as terms
     from cand c join search_documents d on d.entity_id = c.entity_id join incidents i on i.id = d.entity_id, q
     where d.kind = 'INCIDENT'
     order by ts_rank_cd(d.tsv, q.tsq, 32)
       + case when d.service_id = ? then 0.3 else 0 end + case when d.category_id = ? then 0.2 else 0 end
       + case when i.problem_id = ? then 0.5 else 0 end + 0.5 * similarity(d.title, ?) desc, d.occurred_at desc, d.entity_id
     limit ${first}`,
    [
      ...(tsq ? [tsq] : []),
      me.id,
      me.id,
      me.problemId,
      me.problemId,
      me.id,
      me.serviceId,
      me.categoryId,
      me.problemId,
      me.title,
      pgTextArray(terms),
      me.serviceId,
      me.categoryId,
      me.problemId,
      me.title,
    ],
  );
  const incidents = await em.find(Incident, { id: { $in: rows.map((r) => r.entity_id) } });
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const workaroundIds = incidents.flatMap((i) => (i.resolutionWorkaroundId ? [i.resolutionWorkaroundId] : []));
  const problemIds = incidents.flatMap((i) => (i.problemId ? [i.problemId] : []));
  const workarounds = new Map(
    (workaroundIds.length ? await em.find(Workaround, { id: { $in: workaroundIds } }) : []).map((w) => [w.id, w]),
  );
  const problems = new Map((problemIds.length ? await em.find(Problem, { id: { $in: problemIds } }) : []).map((p) => [p.id, p]));
  return rows.map((r) => {
    const incident = byId.get(r.entity_id)!;
    const reasons = [
      ...(r.terms.length
        ? [
            `shares ${r.terms
              .slice(0, 6)
              .map((t) => `"${t}"`)
              .join(', ')}`,
          ]
        : []),
      ...(r.same_service ? ['same service'] : []),
      ...(r.same_category ? ['same category'] : []),
      ...(r.same_problem ? ['same problem'] : []),
      ...(Number(r.title_sim) >= 0.4 ? [`title ${Math.round(Number(r.title_sim) * 100)} % similar`] : []),
    ];
    const score =
      Number(r.text_rank) +
      (r.same_service ? 0.3 : 0) +
      (r.same_category ? 0.2 : 0) +
      (r.same_problem ? 0.5 : 0) +
      0.5 * Number(r.title_sim);
    return {
      incident,
      score,
      reasons,
      fix: incident.resolutionNotes,
      workaround: incident.resolutionWorkaroundId ? (workarounds.get(incident.resolutionWorkaroundId) ?? null) : null,
      problem: incident.problemId ? (problems.get(incident.problemId) ?? null) : null,
    };
  });
}
