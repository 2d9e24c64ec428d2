import { pgTextArray } from '../../db/pg-array';
import type { ParsedQuery } from './search-query';

/**
 * Parts of the search statement beyond ranking: records found by their own identifier whatever
 * their status, recurring incidents grouped under their problem, and what fixed each hit.
 */

/** The numbers and external references a query names, as the exact lookup binds them. */
export function identifierValues(parsed: ParsedQuery): Record<string, unknown> {
  const nums = (prefix: string) =>
    parsed.identifiers.flatMap((id) => {
      const m = new RegExp(`^${prefix}-(\\d{1,9})$`).exec(id);
      return m ? [Number(m[1])] : [];
    });
  // External references are stored as their tool wrote them (INC0010001, PROJ-42): try the typed, upper and lower forms.
  const refs = new Set<string>();
  for (const t of [...parsed.idTokens, ...parsed.identifiers]) for (const v of [t, t.toUpperCase(), t.toLowerCase()]) refs.add(v);
  return {
    incNums: `{${nums('inc').join(',')}}`,
    prbNums: `{${nums('prb').join(',')}}`,
    pirNums: `{${nums('pir').join(',')}}`,
    refs: pgTextArray([...refs].slice(0, 48)),
  };
}

/**
 * `xact`: the records whose own number or external reference the query names, any status (an open
 * incident is not in the catalog, but typing its number must still find it), with the columns of a
 * candidate (`k` concepts; text saturations 0: the identifier is what matched).
 */
export function exactSql(k: number): string {
  const common = `false as retired, 1.0::real as boost, true as strict, array_fill(0::float8, array[${k}]) as sats, true as id_hit`;
  return `xact as materialized (
      select i.id as entity_id, 'INCIDENT'::varchar as kind, i.service_id, i.category_id, i.priority::smallint as priority,
        i.status::varchar as status, coalesce(i.resolved_at, i.opened_at) as occurred_at, ${common}
        from incidents i where i.number = any({{incNums}}::int[]) or i.external_ref = any({{refs}}::text[])
      union all
      select x.id, coalesce((select d.kind from search_documents d where d.entity_id = x.id), 'PROBLEM')::varchar, x.service_id,
        x.category_id, null::smallint, x.status::varchar, x.updated_at, ${common}
        from problems x where x.number = any({{prbNums}}::int[]) or x.external_ref = any({{refs}}::text[])
      union all
      select r.id, 'REVIEW'::varchar, null::uuid, null::uuid, null::smallint, r.status::varchar, coalesce(r.published_at, r.updated_at),
        ${common}
        from reviews r where r.number = any({{pirNums}}::int[])
    )`;
}

/**
 * The text of a page's record: its catalog document, or for a record found only by its identifier
 * (an open incident, a review not published yet) the same fields read from the record itself. A
 * review not published yet shows its title only: its text is the team's work in progress.
 */
export const PAGE_DOC = `lateral (
    select d.title, d.body, d.fix, d.tsv, d.identifiers from search_documents d where d.entity_id = pg.entity_id
    union all
    select i.title, coalesce(i.description, ''), coalesce(i.resolution_notes, ''),
      search_tsv(i.title, array['inc-' || lpad(i.number::text, 6, '0')], coalesce(i.description, ''), coalesce(i.resolution_notes, ''), ''),
      array['inc-' || lpad(i.number::text, 6, '0')]
      from incidents i where pg.kind = 'INCIDENT' and i.id = pg.entity_id
        and not exists (select 1 from search_documents x where x.entity_id = pg.entity_id)
    union all
    select r.title, '', '', search_tsv(r.title, array['pir-' || lpad(r.number::text, 4, '0')], '', '', ''),
      array['pir-' || lpad(r.number::text, 4, '0')]
      from reviews r where pg.kind = 'REVIEW' and r.id = pg.entity_id
        and not exists (select 1 from search_documents x where x.entity_id = pg.entity_id)
  ) d`;

/**
 * Ranked rows, numbered in result order, then grouped: two or more incidents (not found by their
 * own number) of one problem are one hit, with the problem itself when it matched too, shown as the
 * group's best-ranked member at its place (the ranking decides, as it did before grouping).
 */
export const GROUPED = `positioned as materialized (
      select r.*, row_number() over (order by not r.exact, not r.strict, r.retired, r.score desc, r.occurred_at desc, r.entity_id) as pos
        from ranked r
    ), keyed as materialized (
      select r.*, case when r.kind = 'INCIDENT' and not r.exact and r.problem_id is not null
          and count(*) filter (where r.kind = 'INCIDENT' and not r.exact) over (partition by r.problem_id) >= 2
        then r.problem_id else r.entity_id end as grp
        from positioned r
    ), grouped as materialized (
      select g.*, min(g.pos) over (partition by g.grp) as gpos,
        count(*) filter (where g.kind = 'INCIDENT' and g.grp <> g.entity_id) over (partition by g.grp) as repeats,
        row_number() over (partition by g.grp order by g.pos) as gi
        from keyed g
    )`;

/**
 * Per page row `pg`: what fixed it (an incident's resolution; a problem's fix or root cause and
 * workaround, a published review's through the root-cause problem it names, none for a review not
 * published yet; a model's workaround; a workaround is its own fix), and for a group its problem and
 * latest incidents (JSON).
 */
export const HIT_EXTRAS = `
    case when pg.kind = 'INCIDENT' then (select json_build_object('resolutionKind', i.resolution_kind,
        'notes', left(nullif(btrim(i.resolution_notes), ''), 400),
        'workaround', (select json_build_object('id', w.id, 'title', w.title) from workarounds w where w.id = i.resolution_workaround_id),
        'model', (select json_build_object('id', m.id, 'title', m.name) from incident_model_versions mv
          join incident_models m on m.id = mv.model_id where mv.id = i.model_version_id))
        from incidents i where i.id = pg.entity_id)
      when pg.kind in ('PROBLEM', 'KNOWN_ERROR', 'REVIEW') then (select json_build_object('resolutionKind', null,
        'notes', left(coalesce(nullif(btrim(x.fix_description), ''), nullif(btrim(x.root_cause), '')), 400),
        'workaround', (select json_build_object('id', w.id, 'title', w.title) from problem_workarounds pw
          join workarounds w on w.id = pw.workaround_id where pw.problem_id = x.id and w.status <> 'RETIRED'
          order by (w.status = 'ACTIVE') desc, w.updated_at desc, w.id limit 1), 'model', null)
        from problems x where x.id = case when pg.kind = 'REVIEW' then (select r.problem_id from reviews r where r.id = pg.entity_id
            and r.status = 'PUBLISHED') else pg.entity_id end)
      when pg.kind = 'MODEL' then (select json_build_object('resolutionKind', null, 'notes', null,
        'workaround', (select json_build_object('id', w.id, 'title', w.title) from jsonb_array_elements_text(v.workaround_ids)
          with ordinality l(id, n) join workarounds w on w.id::text = l.id where w.status <> 'RETIRED'
          order by (w.status = 'ACTIVE') desc, l.n limit 1), 'model', null)
        from incident_models m join incident_model_versions v on v.model_id = m.id and v.version = m.current_version
        where m.id = pg.entity_id)
      end as fix,
    case when pg.repeats >= 2 then (select json_build_object('id', x.id, 'number', x.number, 'title', x.title, 'status', x.status)
      from problems x where x.id = pg.grp) end as group_problem,
    case when pg.repeats >= 2 then (select json_agg(json_build_object('id', i.id, 'number', i.number, 'title', i.title,
        'status', i.status, 'occurredAt', g.occurred_at) order by g.occurred_at desc, g.pos)
      from (select * from grouped g where g.grp = pg.grp and g.kind = 'INCIDENT' order by g.occurred_at desc, g.pos limit 3) g
      join incidents i on i.id = g.entity_id) end as latest`;
