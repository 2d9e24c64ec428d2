import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../../db/pg-array';
import { assertUuid, badInput, notFound } from '../../errors';
import { Incident } from '../incidents/incident.entity';
import { Problem } from '../problems/problem.entity';
import { Workaround } from '../workarounds/workaround.entity';
import { saturations, textScore } from './search-score';
import type { SimilarIncident } from './similar.types';

const MAX_TERMS = 12;
/** Words in more than this share of the documents say little about an incident. */
const COMMON = 0.2;
const CANDIDATES = 500;

/**
 * Past resolved incidents most like the given one, with the catalog search's model (search-score.ts):
 * the incident's title and description give up to 12 terms that other records have, the rarest (by
 * search_terms' document frequencies; words in more than 20 % of the records left out unless
 * nothing else is left); candidates are the incidents with at least two of them (one when there
 * are fewer than three) -- the 500 most recent through the hot tier first -- plus those of the same
 * problem; each is scored by BM25 normalised to 0..1, as a search hit's text score, plus fixed
 * bonuses for the same service (+0.3), the same category (+0.2), the same problem (+0.5) and a
 * similar title (trigram similarity x 0.5).
 */
export async function similarIncidents(em: EntityManager, incidentId: string, first: number): Promise<SimilarIncident[]> {
  assertUuid('incidentId', incidentId);
  if (!Number.isInteger(first) || first < 1 || first > 50) throw badInput('first', 'must be between 1 and 50');
  const me = await em.findOne(Incident, { id: incidentId });
  if (!me) throw notFound('incidentId', 'incident', incidentId);
  const words = await em.execute<{ word: string; df: number; ndocs: number }[]>(
    `with mine as (select distinct lexeme as word from unnest(to_tsvector('english', ? || ' ' || ?)) t where length(lexeme) <= 40),
     n as (select greatest(df, 1) as ndocs from search_df(array[' docs']))
     select s.lexeme as word, s.df, n.ndocs from search_df(array(select word from mine)) s, n order by s.df, s.lexeme`,
    [me.title, me.description ?? ''],
  );
  const ndocs = Number(words[0]?.ndocs ?? 1);
  // A word no other record has cannot find one.
  const known = words.filter((w) => Number(w.df) > 0);
  const distinctive = known.filter((w) => Number(w.df) <= COMMON * ndocs);
  const chosen = (distinctive.length >= 3 ? distinctive : known).slice(0, MAX_TERMS);
  const terms = chosen.map((w) => w.word);
  const idf = chosen.map((w) => Math.log(1 + (ndocs - Math.min(Number(w.df), ndocs) + 0.5) / (Math.min(Number(w.df), ndocs) + 0.5)));
  const need = terms.length >= 3 ? 2 : 1;
  // At least one concept in the score's text: with none, nothing is a candidate and every score is 0.
  const k = Math.max(1, terms.length);
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
    `with q as materialized (
       select ${tsq ? '?::tsquery' : `''::tsquery`} as tsq, l.lex, array(select quote_literal(x)::tsquery from unnest(l.lex) x) as concepts,
         ?::float8[] as idf,
         greatest((select s.df from search_df(array[' length']) s) / greatest((select s.df from search_df(array[' docs']) s), 1), 1)
           as avglen
         from (select ?::text[] as lex) l
     ), hot as materialized (
       select d.entity_id from search_documents d, q where numnode(q.tsq) > 0 and d.hot and d.kind = 'INCIDENT' and d.tsv @@ q.tsq
         and d.entity_id <> ? and (select count(*) from unnest(q.concepts) k where d.tsv @@ k) >= ${need} limit ${CANDIDATES}
     ), cold as materialized (
       select d.entity_id from search_documents d, q where numnode(q.tsq) > 0 and not d.hot and d.kind = 'INCIDENT' and d.tsv @@ q.tsq
         and d.entity_id <> ? and (select count(*) from unnest(q.concepts) k where d.tsv @@ k) >= ${need}
         and (select count(*) from hot) < ${CANDIDATES} limit ${CANDIDATES}
     ), kin as materialized (
       select i.id as entity_id from incidents i where ?::uuid is not null and i.problem_id = ?::uuid and i.id <> ?
         and i.status in ('RESOLVED', 'CLOSED', 'REVIEWED') order by i.opened_at desc limit 100
     ), cand as (select entity_id from hot union select entity_id from cold union select entity_id from kin),
     scored as (
       select d.entity_id, d.occurred_at, ${textScore(k, 'b.sats', 'q.idf')} as text_rank,
         (d.service_id is not null and d.service_id = ?) as same_service,
         (d.category_id is not null and d.category_id = ?) as same_category,
         (i.problem_id is not null and i.problem_id = ?) as same_problem,
         similarity(d.title, ?) as title_sim,
         array(select t from unnest(q.lex) t where d.tsv @@ quote_literal(t)::tsquery order by t) as terms
       from cand c join search_documents d on d.entity_id = c.entity_id join incidents i on i.id = d.entity_id, q,
         lateral (select ${saturations(k, 'q')} as sats) b
       where d.kind = 'INCIDENT'
     )
     select * from scored
     order by text_rank + case when same_service then 0.3 else 0 end + case when same_category then 0.2 else 0 end
       + case when same_problem then 0.5 else 0 end + 0.5 * title_sim desc, occurred_at desc, entity_id
     limit ${first}`,
    [
      ...(tsq ? [tsq] : []),
      `{${idf.join(',')}}`,
      pgTextArray(terms),
      me.id,
      me.id,
      me.problemId,
      me.problemId,
      me.id,
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
