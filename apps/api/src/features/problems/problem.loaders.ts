import { scoreSuggestion, type SuggestionStrength } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { rowAsEntity } from '../../db/internals';
import { byIdLoader, placeholders, selectEntities } from '../../db/row-entity';
import { Incident } from '../incidents/incident.entity';
import { alertTextSql } from '../shared/alert-text-sql';
import { Workaround } from '../workarounds/workaround.entity';
import { Problem, ProblemEvent } from './problem.entity';
import { KNOWN_ERROR_SQL } from './problem.queries';

export interface KnownErrorMatch {
  problem: Problem;
  score: number;
  strength: SuggestionStrength;
  reasons: string[];
}

/** What the known-error match statement adds to a problem row. */
interface MatchRow {
  incident_id: string;
  incident_title: string;
  incident_description: string | null;
  incident_service_id: string | null;
  incident_service_name: string | null;
  incident_category_id: string | null;
  incident_category_name: string | null;
  incident_category_parent_id: string | null;
  problem_category_name: string | null;
  alert_text: string;
  service_id: string | null;
  category_id: string | null;
  keywords: string[] | null;
}
const MATCH_COLUMNS = [
  'incident_title',
  'incident_description',
  'incident_service_id',
  'incident_service_name',
  'incident_category_id',
  'incident_category_name',
  'incident_category_parent_id',
  'problem_category_name',
  'alert_text',
] as const;

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
    /**
     * Known errors worth offering on an incident (@ikb/domain scoreSuggestion: evidence beyond a
     * shared service), best first. One statement narrows the candidates (same service, category or
     * its parent, or a keyword in the text) and brings what the rule needs: names, alert text.
     */
    matchingKnownErrors: new DataLoader<string, KnownErrorMatch[]>(async (ids) => {
      const rows = await em.execute<(Record<string, unknown> & MatchRow)[]>(
        `select p.*, i.id as incident_id, i.title as incident_title, i.description as incident_description,
            i.service_id as incident_service_id, s.name as incident_service_name, i.category_id as incident_category_id,
            c.name as incident_category_name, c.parent_id as incident_category_parent_id, pc.name as problem_category_name,
            al.alert_text
          from incidents i cross join lateral (select ${alertTextSql('i.id')} as alert_text) al
            join problems p on ${KNOWN_ERROR_SQL}
            left join services s on s.id = i.service_id
            left join categories c on c.id = i.category_id
            left join categories pc on pc.id = p.category_id
          where i.id in (${placeholders(ids)})
            and ((p.service_id is not null and p.service_id = i.service_id)
              or (p.category_id is not null and (p.category_id = i.category_id or p.category_id = c.parent_id))
              or exists (select 1 from jsonb_array_elements_text(p.keywords) k
                where strpos(lower(i.title || ' ' || i.description || ' ' || al.alert_text), lower(k)) > 0))
          order by p.number`,
        [...ids],
      );
      const scored = rows.flatMap((r) => {
        const { incident_id, ...rest } = r;
        const e = scoreSuggestion(
          {
            serviceId: r.incident_service_id,
            serviceName: r.incident_service_name,
            categoryId: r.incident_category_id,
            categoryName: r.incident_category_name,
            categoryParentId: r.incident_category_parent_id,
            title: r.incident_title,
            description: r.incident_description ?? '',
            alertText: r.alert_text,
          },
          { serviceId: r.service_id, categoryId: r.category_id, categoryName: r.problem_category_name, keywords: r.keywords ?? [] },
        );
        for (const k of MATCH_COLUMNS) delete rest[k];
        const problem = rowAsEntity(em.getMetadata(), Problem, rest);
        return e.strength ? [{ incidentId: incident_id, problem, score: e.score, strength: e.strength, reasons: e.reasons }] : [];
      });
      return ids.map((id) =>
        scored
          .filter((m) => m.incidentId === id)
          .map(({ incidentId: _, ...m }) => m)
          .sort((a, b) => b.score - a.score || a.problem.seqNumber - b.problem.seqNumber),
      );
    }),
  };
}
