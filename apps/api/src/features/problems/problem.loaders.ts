import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { rowAsEntity } from '../../db/internals';
import { byIdLoader, placeholders, selectEntities } from '../../db/row-entity';
import { Incident } from '../incidents/incident.entity';
import { Workaround } from '../workarounds/workaround.entity';
import { Problem, ProblemEvent } from './problem.entity';
import { KNOWN_ERROR_SQL } from './problem.queries';

export interface KnownErrorMatch {
  problem: Problem;
  reasons: string[];
}

export function problemLoaders(em: EntityManager) {
  return {
    problem: byIdLoader(em, Problem),
    problemTimeline: new DataLoader<string, ProblemEvent[]>(async (ids) => {
      const rows = await selectEntities(
        em,
        ProblemEvent,
        `select * from problem_events where problem_id in (${placeholders(ids)}) order by at, id`,
        [...ids],
      );
      return ids.map((id) => rows.filter((r) => r.problemId === id));
    }),
    problemIncidentCount: new DataLoader<string, number>(async (ids) => {
      const rows = await em.execute<{ problem_id: string; n: string }[]>(
        `select problem_id, count(*) as n from incidents where problem_id in (${placeholders(ids)}) group by problem_id`,
        [...ids],
      );
      return ids.map((id) => Number(rows.find((r) => r.problem_id === id)?.n ?? 0));
    }),
    /** Keyed by `${problemId}:${first}`: the newest incidents of each problem in one statement. */
    problemRecentIncidents: new DataLoader<string, Incident[]>(async (keys) => {
      const parsed = keys.map((k) => ({ id: k.split(':')[0]!, first: Number(k.split(':')[1]) }));
      const first = Math.max(...parsed.map((k) => k.first));
      const ids = [...new Set(parsed.map((k) => k.id))];
      const rows = await em.execute<Record<string, unknown>[]>(
        `select * from (select i.*, row_number() over (partition by i.problem_id order by i.opened_at desc, i.id desc) as rn
           from incidents i where i.problem_id in (${placeholders(ids)})) x where rn <= ${first} order by opened_at desc`,
        ids,
      );
      const incidents = rows.map((r) => {
        delete r.rn;
        return rowAsEntity(em.getMetadata(), Incident, r);
      });
      return parsed.map((k) => incidents.filter((i) => i.problemId === k.id).slice(0, k.first));
    }),
    problemWorkarounds: new DataLoader<string, Workaround[]>(async (ids) => {
      const rows = await em.execute<(Record<string, unknown> & { problem_id: string })[]>(
        `select w.*, pw.problem_id from problem_workarounds pw join workarounds w on w.id = pw.workaround_id
          where pw.problem_id in (${placeholders(ids)}) order by w.title`,
        [...ids],
      );
      return ids.map((id) => rows.filter((r) => r.problem_id === id).map((w) => rowAsEntity(em.getMetadata(), Workaround, w)));
    }),
    workaroundProblems: new DataLoader<string, Problem[]>(async (ids) => {
      const rows = await em.execute<(Record<string, unknown> & { workaround_id: string })[]>(
        `select p.*, pw.workaround_id from problem_workarounds pw join problems p on p.id = pw.problem_id
          where pw.workaround_id in (${placeholders(ids)}) order by p.number`,
        [...ids],
      );
      return ids.map((id) =>
        rows.filter((r) => r.workaround_id === id).map(({ workaround_id: _, ...p }) => rowAsEntity(em.getMetadata(), Problem, p)),
      );
    }),
    isKnownError: new DataLoader<string, boolean>(async (ids) => {
      const rows = await em.execute<{ id: string }[]>(
        `select p.id from problems p where p.id in (${placeholders(ids)}) and ${KNOWN_ERROR_SQL}`,
        [...ids],
      );
      const set = new Set(rows.map((r) => r.id));
      return ids.map((id) => set.has(id));
    }),
    /** Known errors that match an incident: same service, same category (or its parent), or a symptom keyword in its text. */
    matchingKnownErrors: new DataLoader<string, KnownErrorMatch[]>(async (ids) => {
      const rows = await em.execute<
        (Record<string, unknown> & {
          incident_id: string;
          same_service: boolean;
          same_category: boolean;
          matched_keywords: string[] | null;
        })[]
      >(
        `select p.*, i.id as incident_id,
            (p.service_id is not null and p.service_id = i.service_id) as same_service,
            (p.category_id is not null and (p.category_id = i.category_id
              or p.category_id = (select parent_id from categories where id = i.category_id))) as same_category,
            (select array_agg(k) from jsonb_array_elements_text(p.keywords) k
              where strpos(lower(i.title || ' ' || i.description), k) > 0) as matched_keywords
          from incidents i join problems p on ${KNOWN_ERROR_SQL}
          where i.id in (${placeholders(ids)})
            and ((p.service_id is not null and p.service_id = i.service_id)
              or (p.category_id is not null
                and (p.category_id = i.category_id or p.category_id = (select parent_id from categories where id = i.category_id)))
              or exists (select 1 from jsonb_array_elements_text(p.keywords) k where strpos(lower(i.title || ' ' || i.description), k) > 0))
          order by p.number`,
        [...ids],
      );
      return ids.map((id) =>
        rows
          .filter((r) => r.incident_id === id)
          .map(({ incident_id: _, same_service, same_category, matched_keywords, ...p }) => {
            const reasons = [
              ...(same_service ? ['same service'] : []),
              ...(same_category ? ['same category'] : []),
              ...(matched_keywords ?? []).map((k) => `symptom keyword "${k}"`),
            ];
            return { problem: rowAsEntity(em.getMetadata(), Problem, p), reasons };
          })
          // Keyword matches are the most specific evidence: they come first.
          .sort((a, b) => b.reasons.length - a.reasons.length),
      );
    }),
  };
}
