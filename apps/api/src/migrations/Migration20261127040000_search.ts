import { Migration } from '@mikro-orm/migrations';

/**
 * Solution catalog search. One row per searchable record in search_documents, built by SQL views
 * (one per kind) so that triggers keep it current inside the writing transaction and bulk loads
 * can rebuild it set-wise from the same definitions.
 *
 * Ranking inputs stored per document:
 * - tsv: title and identifiers at weight A, body at weight C (English stemming);
 * - boost: 1.5 active workaround or known error, 1.3 incident resolved without reopening,
 *   +0.2 when a workaround restored service, 0.8 draft workaround, 1.0 otherwise;
 * - retired: retired workarounds and models, always ranked after the rest.
 */
export class Migration20261127040000_search extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table search_documents (
      entity_id uuid primary key,
      kind varchar(12) not null check (kind in ('INCIDENT','PROBLEM','KNOWN_ERROR','WORKAROUND','MODEL','REVIEW')),
      title text not null,
      body text not null,
      identifiers text[] not null default '{}',
      service_id uuid,
      category_id uuid,
      priority smallint,
      status varchar(20),
      occurred_at timestamptz not null,
      boost real not null default 1,
      retired boolean not null default false,
      tsv tsvector not null
    );`);
    this.addSql(`create index search_documents_tsv_idx on search_documents using gin (tsv);`);
    this.addSql(`create index search_documents_title_trgm_idx on search_documents using gin (title gin_trgm_ops);`);
    this.addSql(`create index search_documents_identifiers_idx on search_documents using gin (identifiers);`);
    this.addSql(`create index search_documents_rank_idx on search_documents (retired, boost desc, occurred_at desc);`);

    // Error codes and similar identifiers in free text: ORA-01555, HTTP 502, 5.7.1, CHG12345, EAI_AGAIN.
    this.addSql(`create function search_codes(t text) returns text[] language sql immutable as $$
      select coalesce(array_agg(distinct lower(m[1])), '{}') from regexp_matches(coalesce(t, ''),
        '\\m([A-Za-z]{2,10}[-_][A-Za-z0-9]{2,12}|[A-Z]{2,}[0-9]{3,}|[0-9]\\.[0-9]\\.[0-9]{1,3}|[45][0-9][0-9])\\M', 'g') as m
    $$;`);
    this.addSql(`create function search_tsv(title text, ids text[], body text) returns tsvector language sql immutable as $$
      select setweight(to_tsvector('english', coalesce(title, '')), 'A')
          || setweight(to_tsvector('simple', array_to_string(ids, ' ')), 'A')
          || setweight(to_tsvector('english', coalesce(body, '')), 'C')
    $$;`);

    this.addSql(`create view search_source_incidents as
      select i.id as entity_id, 'INCIDENT'::varchar as kind, i.title,
        concat_ws(E'\\n', i.description, i.resolution_notes) as body,
        array_remove(array['inc-' || lpad(i.number::text, 6, '0'), lower(i.external_ref), lower(i.resolution_code)], null)
          || search_codes(concat_ws(' ', i.title, i.description, i.resolution_notes)) as identifiers,
        i.service_id, i.category_id, i.priority, i.status, coalesce(i.resolved_at, i.opened_at) as occurred_at,
        ((case when i.reopen_count = 0 then 1.3 else 1.0 end) + (case when i.resolution_workaround_id is not null then 0.2 else 0 end))::real as boost,
        false as retired
      from incidents i where i.status in ('RESOLVED','CLOSED','REVIEWED');`);

    this.addSql(`create view search_source_problems as
      select p.id as entity_id,
        (case when ke.known then 'KNOWN_ERROR' else 'PROBLEM' end)::varchar as kind, p.title,
        concat_ws(E'\\n', p.description, p.root_cause, p.analysis_notes, p.fix_description) as body,
        array_remove(array['prb-' || lpad(p.number::text, 5, '0'), lower(p.fix_change_ref)], null)
          || array(select lower(k) from jsonb_array_elements_text(p.keywords) k)
          || search_codes(concat_ws(' ', p.title, p.description, p.root_cause)) as identifiers,
        p.service_id, p.category_id, null::smallint as priority, p.status, p.updated_at as occurred_at,
        (case when ke.known then 1.5 else 1.0 end)::real as boost, false as retired
      from problems p
      cross join lateral (select (p.status in ('KNOWN_ERROR','FIX_IN_PROGRESS') and length(btrim(coalesce(p.root_cause, ''))) >= 10
        and exists (select 1 from problem_workarounds pw join workarounds w on w.id = pw.workaround_id and w.status = 'ACTIVE' where pw.problem_id = p.id)) as known) ke;`);

    this.addSql(`create view search_source_workarounds as
      select w.id as entity_id, 'WORKAROUND'::varchar as kind, w.title, w.steps as body,
        search_codes(concat_ws(' ', w.title, w.steps))
          || array(select 'prb-' || lpad(p.number::text, 5, '0') from problem_workarounds pw join problems p on p.id = pw.problem_id where pw.workaround_id = w.id) as identifiers,
        (select p.service_id from problem_workarounds pw join problems p on p.id = pw.problem_id where pw.workaround_id = w.id order by p.number limit 1) as service_id,
        (select p.category_id from problem_workarounds pw join problems p on p.id = pw.problem_id where pw.workaround_id = w.id order by p.number limit 1) as category_id,
        null::smallint as priority, w.status, w.updated_at as occurred_at,
        (case w.status when 'ACTIVE' then 1.5 when 'DRAFT' then 0.8 else 1.0 end)::real as boost,
        (w.status = 'RETIRED') as retired
      from workarounds w;`);

    this.addSql(`create view search_source_models as
      select m.id as entity_id, 'MODEL'::varchar as kind, m.name as title,
        concat_ws(E'\\n', v.description, (select string_agg(x, E'\\n') from jsonb_array_elements_text(v.checklist) x), v.review_template) as body,
        array(select lower(k) from jsonb_array_elements_text(v.match_keywords) k) as identifiers,
        v.match_service_id as service_id, coalesce(v.match_category_id, v.default_category_id) as category_id,
        null::smallint as priority, m.status, m.updated_at as occurred_at,
        1.0::real as boost, (m.status = 'RETIRED') as retired
      from incident_models m join incident_model_versions v on v.model_id = m.id and v.version = m.current_version;`);

    this.addSql(`create view search_source_reviews as
      select r.id as entity_id, 'REVIEW'::varchar as kind, r.title,
        concat_ws(E'\\n', r.summary, r.customer_impact, r.went_well, r.went_badly, r.lessons,
          (select string_agg(w->>'why' || ' ' || (w->>'answer'), E'\\n') from jsonb_array_elements(r.five_whys) w),
          (select string_agg(f.description, E'\\n') from contributing_factors f where f.review_id = r.id)) as body,
        array['pir-' || lpad(r.number::text, 4, '0')]
          || array(select 'inc-' || lpad(i.number::text, 6, '0') from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id = r.id) as identifiers,
        (select i.service_id from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id = r.id order by i.priority, i.opened_at limit 1) as service_id,
        (select i.category_id from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id = r.id order by i.priority, i.opened_at limit 1) as category_id,
        (select min(i.priority) from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id = r.id)::smallint as priority,
        r.status, coalesce(r.published_at, r.updated_at) as occurred_at, 1.2::real as boost, false as retired
      from reviews r where r.status = 'PUBLISHED';`);

    // One refresh function per kind: delete, then insert from the view (nothing when no longer searchable).
    for (const [fn, view] of [
      ['incident', 'search_source_incidents'],
      ['problem', 'search_source_problems'],
      ['workaround', 'search_source_workarounds'],
      ['model', 'search_source_models'],
      ['review', 'search_source_reviews'],
    ]) {
      this.addSql(`create function search_refresh_${fn}(p_id uuid) returns void language plpgsql as $$
        begin
          delete from search_documents where entity_id = p_id;
          insert into search_documents (entity_id, kind, title, body, identifiers, service_id, category_id, priority, status, occurred_at, boost, retired, tsv)
            select s.entity_id, s.kind, s.title, s.body, s.identifiers, s.service_id, s.category_id, s.priority, s.status, s.occurred_at, s.boost, s.retired,
                   search_tsv(s.title, s.identifiers, s.body)
              from ${view} s where s.entity_id = p_id;
        end $$;`);
    }

    const trigger = (name: string, table: string, body: string) => {
      this.addSql(`create function ${name}() returns trigger language plpgsql as $$
        begin
          ${body}
          return null;
        end $$;`);
      this.addSql(`create trigger ${name} after insert or update or delete on ${table} for each row execute function ${name}();`);
    };
    const row = `(case when tg_op = 'DELETE' then old else new end)`;
    trigger('search_on_incidents', 'incidents', `perform search_refresh_incident(${row}.id);`);
    trigger('search_on_problems', 'problems', `perform search_refresh_problem(${row}.id);
          perform search_refresh_workaround(pw.workaround_id) from problem_workarounds pw where pw.problem_id = ${row}.id;`);
    trigger('search_on_workarounds', 'workarounds', `perform search_refresh_workaround(${row}.id);
          perform search_refresh_problem(pw.problem_id) from problem_workarounds pw where pw.workaround_id = ${row}.id;`);
    trigger('search_on_problem_workarounds', 'problem_workarounds', `perform search_refresh_workaround(${row}.workaround_id);
          perform search_refresh_problem(${row}.problem_id);`);
    trigger('search_on_models', 'incident_models', `perform search_refresh_model(${row}.id);`);
    trigger('search_on_model_versions', 'incident_model_versions', `perform search_refresh_model(${row}.model_id);`);
    trigger('search_on_reviews', 'reviews', `perform search_refresh_review(${row}.id);`);
    trigger('search_on_factors', 'contributing_factors', `perform search_refresh_review(${row}.review_id);`);
    trigger('search_on_review_incidents', 'review_incidents', `perform search_refresh_review(${row}.review_id);`);
  }
}
