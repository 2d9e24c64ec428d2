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
 *
 * Scale (a million documents; see BENCHMARKS.md, "Search"):
 * - hot: set by a trigger on every write for knowledge records (problems, workarounds, models,
 *   reviews) and for incidents that occurred in the last 30 days. A partial GIN index covers the hot
 *   documents only, so a very common word is looked up in a small posting list first; the full GIN
 *   index is used only when the hot tier has too few matches (then the words are rare and their
 *   posting lists short). Every transaction that writes documents also cools, at commit, up to 20
 *   incidents that aged out of the tier (skipping rows others hold), so the tier stays bounded
 *   without a scheduled job.
 * - search_words: the words of every document (lower case, letters only, 3 to 24 long) with their
 *   English stems, kept by a statement trigger; a query word whose stem the catalog never had is
 *   widened to its nearest words by trigram similarity (pg_trgm), which catches typos and partial
 *   words in any field.
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
      tsv tsvector not null,
      hot boolean not null default false
    );`);
    this.addSql(`create index search_documents_tsv_idx on search_documents using gin (tsv);`);
    this.addSql(`create index search_documents_hot_tsv_idx on search_documents using gin (tsv) where hot;`);
    this.addSql(`create index search_documents_identifiers_idx on search_documents using gin (identifiers);`);
    this.addSql(`create index search_documents_hot_age_idx on search_documents (occurred_at) where hot and kind = 'INCIDENT';`);

    // The hot tier, computed on every write (also for bulk loads that insert rows directly).
    this.addSql(`create function search_documents_hot() returns trigger language plpgsql as $$
      begin
        new.hot := new.kind <> 'INCIDENT' or new.occurred_at >= now() - interval '30 days';
        return new;
      end $$;`);
    this.addSql(
      `create trigger search_documents_hot before insert or update on search_documents for each row execute function
        search_documents_hot();`,
    );

    // Lexicon for typo correction: every word of every document, never pruned (a stale word only
    // suggests a spelling that finds nothing). Inserted in word order so concurrent writers never deadlock.
    this.addSql(`create table search_words (word varchar(24) primary key, lexeme varchar(24));`);
    this.addSql(`create index search_words_trgm_idx on search_words using gin (word gin_trgm_ops);`);
    this.addSql(`create index search_words_lexeme_idx on search_words (lexeme);`);
    this.addSql(`create function search_words_collect() returns trigger language plpgsql as $$
      begin
        insert into search_words (word, lexeme)
          select w.word, (ts_lexize('english_stem', w.word))[1] from (
            select distinct w as word from new_docs d, regexp_split_to_table(lower(d.title || ' ' || d.body), '[^a-z]+') w
             where length(w) between 3 and 24) w
           order by w.word
        on conflict do nothing;
        return null;
      end $$;`);
    this.addSql(
      `create trigger search_words_collect after insert on search_documents referencing new table as new_docs for each statement execute
        function search_words_collect();`,
    );

    // The query: web-search syntax (websearch_to_tsquery), identifiers turned into their stored forms,
    // then each word whose stem the catalog has never seen (typo, partial word) widened to itself OR
    // its two nearest known words (pg_trgm word similarity >= 0.5). With 2 to 6 terms (words or
    // "phrases", no OR) it also builds the relaxed query: every term but one. Returns both tsqueries
    // and the corrections made, for the match reasons.
    this.addSql(`create function search_query(q text, words text[], terms text[], id_tokens text[], id_forms text[], out tsq tsquery,
        out relaxed tsquery, out nterms int, out corrections jsonb)
      language plpgsql stable set pg_trgm.word_similarity_threshold = 0.5 as $$
      declare
        w text;
        target tsquery;
        alts text[];
        sub tsquery;
        part tsquery;
        parts tsquery[];
      begin
        tsq := websearch_to_tsquery('english', q);
        relaxed := null;
        -- The terms that are not only stop words.
        parts := array(select x.t from (select websearch_to_tsquery('english', t) as t from unnest(coalesce(terms, '{}'::text[])) t) x
          where numnode(x.t) > 0);
        nterms := cardinality(parts);
        if nterms between 2 and 6 then
          for i in 1..nterms loop
            part := null;
            for k in 1..nterms loop
              continue when k = i;
              part := case when part is null then parts[k] else part && parts[k] end;
            end loop;
            relaxed := case when relaxed is null then part else relaxed || part end;
          end loop;
        end if;
        -- An identifier as typed (ORA-01555: the phrase 'ora' <-> '-01555') becomes its stored forms,
        -- space separated by the caller (ora-01555; INC-123: inc-000123 and inc-123), matched verbatim.
        for i in 1..coalesce(cardinality(id_tokens), 0) loop
          target := websearch_to_tsquery('english', id_tokens[i]);
          continue when numnode(target) = 0;
          sub := (select string_agg(quote_literal(f), ' | ') from unnest(string_to_array(id_forms[i], ' ')) f)::tsquery;
          tsq := ts_rewrite(tsq, target, sub);
          if relaxed is not null then relaxed := ts_rewrite(relaxed, target, sub); end if;
        end loop;
        corrections := '[]'::jsonb;
        foreach w in array coalesce(words, '{}'::text[]) loop
          target := plainto_tsquery('english', w);
          -- Known words, and other forms of known words (dropping when the catalog has drops), stay as typed.
          continue when length(w) < 4 or length(w) > 24 or numnode(target) <> 1
            or exists (select 1 from search_words s where s.word = w or s.lexeme = (ts_lexize('english_stem', w))[1]);
          select array_agg(x.word order by x.rank) into alts from (
            select s.word, row_number() over (order by word_similarity(w, s.word) desc, similarity(w, s.word) desc, s.word) as rank
              from search_words s where w <% s.word order by rank limit 2) x;
          continue when alts is null;
          sub := target || to_tsquery('english', array_to_string(array(select quote_literal(a) from unnest(alts) a), ' | '));
          tsq := ts_rewrite(tsq, target, sub);
          if relaxed is not null then relaxed := ts_rewrite(relaxed, target, sub); end if;
          corrections := corrections || jsonb_build_object('word', w, 'alternatives', to_jsonb(alts),
            'lexemes', to_jsonb(array(select distinct l from unnest(alts) a, unnest(tsvector_to_array(to_tsvector('english', a))) l)));
        end loop;
      end $$;`);

    // Error codes and similar identifiers in free text: ORA-01555, HTTP 502, 5.7.1, CHG12345, EAI_AGAIN.
    this.addSql(`create function search_codes(t text) returns text[] language sql immutable as $$
      select coalesce(array_agg(distinct lower(m[1])), '{}') from regexp_matches(coalesce(t, ''),
        '\\m([A-Za-z]{2,10}[-_][A-Za-z0-9]{2,12}|[A-Z]{2,}[0-9]{3,}|[0-9]\\.[0-9]\\.[0-9]{1,3}|[45][0-9][0-9])\\M', 'g') as m
    $$;`);
    // Identifiers twice: parsed like text (so "ORA 01555" finds them) and verbatim (so ORA-01555 and
    // INC-000123 match exactly, through the same GIN index as the words).
    this.addSql(`create function search_tsv(title text, ids text[], body text) returns tsvector language sql immutable as $$
      select setweight(to_tsvector('english', coalesce(title, '')), 'A')
          || setweight(to_tsvector('simple', array_to_string(ids, ' ')), 'A')
          || array_to_tsvector(array(select distinct i from unnest(ids) i where coalesce(i, '') <> ''))
          || setweight(to_tsvector('english', coalesce(body, '')), 'C')
    $$;`);

    this.addSql(`create view search_source_incidents as
      select i.id as entity_id, 'INCIDENT'::varchar as kind, i.title,
        concat_ws(E'\\n', i.description, i.resolution_notes) as body,
        array_remove(array['inc-' || lpad(i.number::text, 6, '0'), lower(i.external_ref), lower(i.resolution_code)], null)
          || search_codes(concat_ws(' ', i.title, i.description, i.resolution_notes)) as identifiers,
        i.service_id, i.category_id, i.priority, i.status, coalesce(i.resolved_at, i.opened_at) as occurred_at,
        ((case when i.reopen_count = 0 then 1.3 else 1.0 end)
          + (case when i.resolution_workaround_id is not null then 0.2 else 0 end))::real as boost,
        false as retired
      from incidents i where i.status in ('RESOLVED','CLOSED','REVIEWED');`);

    this.addSql(`create view search_source_problems as
      select p.id as entity_id,
        (case when ke.known then 'KNOWN_ERROR' else 'PROBLEM' end)::varchar as kind, p.title,
        concat_ws(E'\\n', p.description, p.root_cause, p.analysis_notes, p.fix_description) as body,
        array_remove(array['prb-' || lpad(p.number::text, 5, '0'), lower(p.fix_change_ref)], null)
          || array(select lower(k) from jsonb_array_elements_text(p.keywords) k)
          || search_codes(concat_ws(' ', p.title, p.description, p.root_cause, p.analysis_notes, p.fix_description)) as identifiers,
        p.service_id, p.category_id, null::smallint as priority, p.status, p.updated_at as occurred_at,
        (case when ke.known then 1.5 else 1.0 end)::real as boost, false as retired
      from problems p
      cross join lateral (select (p.status in ('KNOWN_ERROR','FIX_IN_PROGRESS') and length(btrim(coalesce(p.root_cause, ''))) >= 10
        and exists (select 1 from problem_workarounds pw join workarounds w on w.id = pw.workaround_id and w.status = 'ACTIVE'
          where pw.problem_id = p.id)) as known) ke;`);

    this.addSql(`create view search_source_workarounds as
      select w.id as entity_id, 'WORKAROUND'::varchar as kind, w.title, w.steps as body,
        search_codes(concat_ws(' ', w.title, w.steps))
          || array(select 'prb-' || lpad(p.number::text, 5, '0') from problem_workarounds pw join problems p on p.id = pw.problem_id
            where pw.workaround_id = w.id) as identifiers,
        (select p.service_id from problem_workarounds pw join problems p on p.id = pw.problem_id where pw.workaround_id = w.id
          order by p.number limit 1) as service_id,
        (select p.category_id from problem_workarounds pw join problems p on p.id = pw.problem_id where pw.workaround_id = w.id
          order by p.number limit 1) as category_id,
        null::smallint as priority, w.status, w.updated_at as occurred_at,
        (case w.status when 'ACTIVE' then 1.5 when 'DRAFT' then 0.8 else 1.0 end)::real as boost,
        (w.status = 'RETIRED') as retired
      from workarounds w;`);

    // Models and reviews: error codes in their text are identifiers too, as for the other kinds.
    this.addSql(`create view search_source_models as
      select s.entity_id, s.kind, s.title, s.body,
        array(select distinct x from unnest(s.keywords || search_codes(s.title || ' ' || s.body)) x) as identifiers,
        s.service_id, s.category_id, s.priority, s.status, s.occurred_at, s.boost, s.retired
      from (select m.id as entity_id, 'MODEL'::varchar as kind, m.name as title,
        concat_ws(E'\\n', v.description, (select string_agg(x, E'\\n') from jsonb_array_elements_text(v.checklist) x),
          v.review_template) as body,
        array(select lower(k) from jsonb_array_elements_text(v.match_keywords) k) as keywords,
        v.match_service_id as service_id, coalesce(v.match_category_id, v.default_category_id) as category_id,
        null::smallint as priority, m.status, m.updated_at as occurred_at,
        1.0::real as boost, (m.status = 'RETIRED') as retired
      from incident_models m join incident_model_versions v on v.model_id = m.id and v.version = m.current_version) s;`);

    this.addSql(`create view search_source_reviews as
      select s.entity_id, s.kind, s.title, s.body, s.numbers || search_codes(s.title || ' ' || s.body) as identifiers,
        s.service_id, s.category_id, s.priority, s.status, s.occurred_at, s.boost, s.retired
      from (select r.id as entity_id, 'REVIEW'::varchar as kind, r.title,
        concat_ws(E'\\n', r.summary, r.customer_impact, r.went_well, r.went_badly, r.lessons,
          (select string_agg(w->>'why' || ' ' || (w->>'answer'), E'\\n') from jsonb_array_elements(r.five_whys) w),
          (select string_agg(f.description, E'\\n') from contributing_factors f where f.review_id = r.id),
          (select string_agg(a.title, E'\\n' order by a.created_at) from action_items a where a.review_id = r.id)) as body,
        array['pir-' || lpad(r.number::text, 4, '0')]
          || array(select 'inc-' || lpad(i.number::text, 6, '0') from review_incidents ri join incidents i on i.id = ri.incident_id
            where ri.review_id = r.id) as numbers,
        (select i.service_id from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id = r.id
          order by i.priority, i.opened_at limit 1) as service_id,
        (select i.category_id from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id = r.id
          order by i.priority, i.opened_at limit 1) as category_id,
        (select min(i.priority) from review_incidents ri join incidents i on i.id = ri.incident_id
          where ri.review_id = r.id)::smallint as priority,
        r.status, coalesce(r.published_at, r.updated_at) as occurred_at, 1.2::real as boost, false as retired
      from reviews r where r.status = 'PUBLISHED') s;`);

    // Moves up to n incidents that aged out of the hot tier (rows locked by others are left for later).
    this.addSql(`create function search_cool(n int) returns void language sql as $$
      update search_documents set hot = false where entity_id in (
        select entity_id from search_documents where hot and kind = 'INCIDENT' and occurred_at < now() - interval '30 days'
         order by occurred_at limit n for update skip locked)
    $$;`);
    // Once per writing transaction, at commit: the cooled rows are locked only while the transaction
    // ends, so it never waits on another while holding them (no deadlock), and never waits to lock them.
    this.addSql(`create function search_cool_at_commit() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('ikb.search_cooled', true), '') <> 'yes' then
          perform set_config('ikb.search_cooled', 'yes', true);
          perform search_cool(20);
        end if;
        return null;
      end $$;`);
    this.addSql(`create constraint trigger search_cool_at_commit after insert on search_documents deferrable initially deferred
      for each row execute function search_cool_at_commit();`);

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
          insert into search_documents (entity_id, kind, title, body, identifiers, service_id, category_id, priority, status, occurred_at,
                                        boost, retired, tsv)
            select s.entity_id, s.kind, s.title, s.body, s.identifiers, s.service_id, s.category_id, s.priority, s.status, s.occurred_at,
                   s.boost, s.retired, search_tsv(s.title, s.identifiers, s.body)
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
    trigger(
      'search_on_problems',
      'problems',
      `perform search_refresh_problem(${row}.id);
          perform search_refresh_workaround(pw.workaround_id) from problem_workarounds pw where pw.problem_id = ${row}.id;`,
    );
    trigger(
      'search_on_workarounds',
      'workarounds',
      `perform search_refresh_workaround(${row}.id);
          perform search_refresh_problem(pw.problem_id) from problem_workarounds pw where pw.workaround_id = ${row}.id;`,
    );
    trigger(
      'search_on_problem_workarounds',
      'problem_workarounds',
      `perform search_refresh_workaround(${row}.workaround_id);
          perform search_refresh_problem(${row}.problem_id);`,
    );
    trigger('search_on_models', 'incident_models', `perform search_refresh_model(${row}.id);`);
    trigger('search_on_model_versions', 'incident_model_versions', `perform search_refresh_model(${row}.model_id);`);
    trigger('search_on_reviews', 'reviews', `perform search_refresh_review(${row}.id);`);
    trigger('search_on_factors', 'contributing_factors', `perform search_refresh_review(${row}.review_id);`);
    trigger('search_on_review_incidents', 'review_incidents', `perform search_refresh_review(${row}.review_id);`);
    trigger('search_on_action_items', 'action_items', `perform search_refresh_review(${row}.review_id);`);

    // Records that exist before this migration (an upgraded database) get their documents now.
    for (const view of [
      'search_source_incidents',
      'search_source_problems',
      'search_source_workarounds',
      'search_source_models',
      'search_source_reviews',
    ]) {
      this.addSql(`insert into search_documents (entity_id, kind, title, body, identifiers, service_id, category_id, priority, status,
                                                 occurred_at, boost, retired, tsv)
        select s.entity_id, s.kind, s.title, s.body, s.identifiers, s.service_id, s.category_id, s.priority, s.status, s.occurred_at,
               s.boost, s.retired, search_tsv(s.title, s.identifiers, s.body) from ${view} s;`);
    }
  }

  override async down(): Promise<void> {
    for (const [name, table] of [
      ['search_on_incidents', 'incidents'],
      ['search_on_problems', 'problems'],
      ['search_on_workarounds', 'workarounds'],
      ['search_on_problem_workarounds', 'problem_workarounds'],
      ['search_on_models', 'incident_models'],
      ['search_on_model_versions', 'incident_model_versions'],
      ['search_on_reviews', 'reviews'],
      ['search_on_factors', 'contributing_factors'],
      ['search_on_review_incidents', 'review_incidents'],
      ['search_on_action_items', 'action_items'],
    ]) {
      this.addSql(`drop trigger if exists ${name} on ${table};`);
      this.addSql(`drop function if exists ${name}();`);
    }
    for (const view of ['incidents', 'problems', 'workarounds', 'models', 'reviews'])
      this.addSql(`drop view if exists search_source_${view};`);
    this.addSql(`drop table if exists search_documents;`);
    this.addSql(`drop table if exists search_words;`);
    // Every search_* function, whatever its arguments (earlier versions may have had others).
    this.addSql(`do $$ declare f regprocedure; begin
        for f in select p.oid::regprocedure from pg_proc p where p.pronamespace = current_schema()::regnamespace
          and p.proname like 'search\\_%' loop
          execute 'drop function ' || f::text;
        end loop;
      end $$;`);
  }
}
