import { Migration } from '@mikro-orm/migrations';

/**
 * Search ranking with term statistics (BM25), field weights and what the catalog learned.
 *
 * - Fields: each document gets `fix` (resolution notes, root cause and fix, workaround steps) at
 *   weight B between the title (A) and the description (C), and `learned` at weight D: the titles
 *   and descriptions of the resolved incidents a problem or workaround fixed (symptom -> fix), so
 *   that a fix is found by the words engineers used for its symptoms.
 * - Term statistics for inverse document frequency: search_terms holds how many documents have
 *   each lexeme (and, under the keys ' docs' and ' length', the number of documents and their
 *   total length in lexemes). Writers never update it: statement triggers append their changes to
 *   search_term_deltas (no row is shared between writers, so concurrent writers neither wait nor
 *   deadlock), and once per writing transaction, one transaction at a time (an advisory lock,
 *   skipped when taken), the committed deltas are folded into search_terms. Readers add the
 *   deltas not folded yet.
 * - Documents are refreshed with an upsert that leaves an unchanged row alone, so a status change
 *   that does not change the text writes no index entries and no term deltas.
 */
export class Migration20261206000000_search_ranking extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table search_documents add column fix text not null default '', add column learned text not null default ''`);
    // What a workaround learned is read from the incidents it resolved.
    this.addSql(`create index incidents_resolution_workaround_idx on incidents (resolution_workaround_id, opened_at)
      where resolution_workaround_id is not null`);

    this.addSql(`create function search_tsv(title text, ids text[], body text, fix text, learned text) returns tsvector
      language sql immutable as $$
      select setweight(to_tsvector('english', coalesce(title, '')), 'A')
          || setweight(to_tsvector('simple', array_to_string(ids, ' ')), 'A')
          || array_to_tsvector(array(select distinct i from unnest(ids) i where coalesce(i, '') <> ''))
          || setweight(to_tsvector('english', coalesce(fix, '')), 'B')
          || setweight(to_tsvector('english', coalesce(body, '')), 'C')
          || setweight(to_tsvector('english', coalesce(learned, '')), 'D')
    $$;`);

    // What incidents said about the symptoms a record fixed: their titles and the start of their
    // descriptions (160 characters: the symptom is told first, and an import computes this for every
    // problem it touches), distinct ones (a recurring incident says the same thing), of the 20 most
    // recent incidents.
    this.addSql(`create function search_learned(texts text[]) returns text language sql immutable as $$
      select coalesce(string_agg(distinct t, E'\\n'), '') from unnest(texts) t
    $$;`);
    // One incident's contribution; resolved incidents only (an open one has not shown what fixed it).
    // The status test is written so that no index serves it: inside an import the statistics are
    // stale, and the planner ANDed the status index (8,000 entries) into every problem's lookup.
    const said = `i.title || ' ' || left(coalesce(i.description, ''), 160)`;
    const resolved = `coalesce(i.status, '') in ('RESOLVED', 'CLOSED', 'REVIEWED')`;

    this.addSql(`create or replace view search_source_incidents as
      select i.id as entity_id, 'INCIDENT'::varchar as kind, i.title, coalesce(i.description, '') as body,
        array_remove(array['inc-' || lpad(i.number::text, 6, '0'), lower(i.external_ref), lower(i.resolution_code)], null)
          || search_codes(concat_ws(' ', i.title, i.description, i.resolution_notes)) as identifiers,
        i.service_id, i.category_id, i.priority, i.status, coalesce(i.resolved_at, i.opened_at) as occurred_at,
        ((case when i.reopen_count = 0 then 1.3 else 1.0 end)
          + (case when i.resolution_workaround_id is not null then 0.2 else 0 end))::real as boost,
        false as retired, coalesce(i.resolution_notes, '') as fix, ''::text as learned
      from incidents i where i.status in ('RESOLVED','CLOSED','REVIEWED');`);

    this.addSql(`create or replace view search_source_problems as
      select p.id as entity_id,
        (case when ke.known then 'KNOWN_ERROR' else 'PROBLEM' end)::varchar as kind, p.title,
        concat_ws(E'\\n', p.description, p.analysis_notes) as body,
        array_remove(array['prb-' || lpad(p.number::text, 5, '0'), lower(p.fix_change_ref)], null)
          || array(select lower(k) from jsonb_array_elements_text(p.keywords) k)
          || search_codes(concat_ws(' ', p.title, p.description, p.root_cause, p.analysis_notes, p.fix_description)) as identifiers,
        p.service_id, p.category_id, null::smallint as priority, p.status, p.updated_at as occurred_at,
        (case when ke.known then 1.5 else 1.0 end)::real as boost, false as retired,
        concat_ws(E'\\n', p.root_cause, p.fix_description) as fix,
        search_learned(array(select ${said} from incidents i where i.problem_id = p.id and ${resolved}
          order by i.opened_at desc limit 20)) as learned
      from problems p
      cross join lateral (select (p.status in ('KNOWN_ERROR','FIX_IN_PROGRESS') and length(btrim(coalesce(p.root_cause, ''))) >= 10
        and exists (select 1 from problem_workarounds pw join workarounds w on w.id = pw.workaround_id and w.status = 'ACTIVE'
          where pw.problem_id = p.id)) as known) ke;`);

    // A workaround's body is what it works around: its problems' titles and root causes.
    this.addSql(`create or replace view search_source_workarounds as
      select w.id as entity_id, 'WORKAROUND'::varchar as kind, w.title,
        coalesce((select string_agg(concat_ws(' ', p.title, p.root_cause), E'\\n' order by p.number) from problem_workarounds pw
          join problems p on p.id = pw.problem_id where pw.workaround_id = w.id), '') as body,
        search_codes(concat_ws(' ', w.title, w.steps))
          || array(select 'prb-' || lpad(p.number::text, 5, '0') from problem_workarounds pw join problems p on p.id = pw.problem_id
            where pw.workaround_id = w.id) as identifiers,
        (select p.service_id from problem_workarounds pw join problems p on p.id = pw.problem_id where pw.workaround_id = w.id
          order by p.number limit 1) as service_id,
        (select p.category_id from problem_workarounds pw join problems p on p.id = pw.problem_id where pw.workaround_id = w.id
          order by p.number limit 1) as category_id,
        null::smallint as priority, w.status, w.updated_at as occurred_at,
        (case w.status when 'ACTIVE' then 1.5 when 'DRAFT' then 0.8 else 1.0 end)::real as boost,
        (w.status = 'RETIRED') as retired, w.steps as fix,
        search_learned(array(select x.t from (
            (select ${said} as t, i.opened_at from incidents i where i.resolution_workaround_id = w.id and ${resolved}
              order by i.opened_at desc limit 20)
            union all (select i.t, i.opened_at from problem_workarounds pw
              cross join lateral (select ${said} as t, i.opened_at from incidents i where i.problem_id = pw.problem_id and ${resolved}
                order by i.opened_at desc limit 20) i where pw.workaround_id = w.id)) x
          order by x.opened_at desc limit 20)) as learned
      from workarounds w;`);

    this.addSql(`create or replace view search_source_models as
      select s.entity_id, s.kind, s.title, s.body,
        array(select distinct x from unnest(s.keywords || search_codes(s.title || ' ' || s.body)) x) as identifiers,
        s.service_id, s.category_id, s.priority, s.status, s.occurred_at, s.boost, s.retired, ''::text as fix, ''::text as learned
      from (select m.id as entity_id, 'MODEL'::varchar as kind, m.name as title,
        concat_ws(E'\\n', v.description, (select string_agg(x, E'\\n') from jsonb_array_elements_text(v.checklist) x),
          v.review_template) as body,
        array(select lower(k) from jsonb_array_elements_text(v.match_keywords) k) as keywords,
        v.match_service_id as service_id, coalesce(v.match_category_id, v.default_category_id) as category_id,
        null::smallint as priority, m.status, m.updated_at as occurred_at,
        1.0::real as boost, (m.status = 'RETIRED') as retired
      from incident_models m join incident_model_versions v on v.model_id = m.id and v.version = m.current_version) s;`);

    this.addSql(`create or replace view search_source_reviews as
      select s.entity_id, s.kind, s.title, s.body, s.numbers || search_codes(s.title || ' ' || s.body) as identifiers,
        s.service_id, s.category_id, s.priority, s.status, s.occurred_at, s.boost, s.retired, ''::text as fix, ''::text as learned
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

    // Insert, update only when something changed, or delete when no longer searchable: one statement
    // for any number of records (an import refreshes its problems' documents together).
    for (const [fn, view] of [
      ['incident', 'search_source_incidents'],
      ['problem', 'search_source_problems'],
      ['workaround', 'search_source_workarounds'],
      ['model', 'search_source_models'],
      ['review', 'search_source_reviews'],
    ]) {
      this.addSql(`create function search_refresh_${fn}s(p_ids uuid[]) returns void language plpgsql as $$
        begin
          with src as (select * from ${view} s where s.entity_id = any(p_ids)), up as (
            insert into search_documents as d (entity_id, kind, title, body, identifiers, service_id, category_id, priority, status,
                                               occurred_at, boost, retired, fix, learned, tsv)
              select s.entity_id, s.kind, s.title, s.body, s.identifiers, s.service_id, s.category_id, s.priority, s.status,
                     s.occurred_at, s.boost, s.retired, s.fix, s.learned, search_tsv(s.title, s.identifiers, s.body, s.fix, s.learned)
                from src s order by s.entity_id
            on conflict (entity_id) do update set kind = excluded.kind, title = excluded.title, body = excluded.body,
              identifiers = excluded.identifiers, service_id = excluded.service_id, category_id = excluded.category_id,
              priority = excluded.priority, status = excluded.status, occurred_at = excluded.occurred_at, boost = excluded.boost,
              retired = excluded.retired, fix = excluded.fix, learned = excluded.learned, tsv = excluded.tsv
              where (d.kind, d.title, d.body, d.identifiers, d.service_id, d.category_id, d.priority, d.status, d.occurred_at, d.boost,
                     d.retired, d.fix, d.learned)
                is distinct from (excluded.kind, excluded.title, excluded.body, excluded.identifiers, excluded.service_id,
                     excluded.category_id, excluded.priority, excluded.status, excluded.occurred_at, excluded.boost, excluded.retired,
                     excluded.fix, excluded.learned)
            returning 1)
          delete from search_documents d where d.entity_id = any(p_ids)
            and not exists (select 1 from src where src.entity_id = d.entity_id);
        end $$;`);
      this.addSql(`create or replace function search_refresh_${fn}(p_id uuid) returns void language sql as $$
        select search_refresh_${fn}s(array[p_id])
      $$;`);
    }

    // An incident's text, status or links change what its problem and workaround learned.
    this.addSql(`create or replace function search_on_incidents() returns trigger language plpgsql as $$
      declare
        o incidents;
        n incidents;
      begin
        if tg_op <> 'INSERT' then o := old; end if;
        if tg_op <> 'DELETE' then n := new; end if;
        perform search_refresh_incident(coalesce(n.id, o.id));
        if tg_op <> 'UPDATE' or o.problem_id is distinct from n.problem_id
           or o.resolution_workaround_id is distinct from n.resolution_workaround_id or o.status is distinct from n.status
           or o.title is distinct from n.title or o.description is distinct from n.description then
          perform search_refresh_problem(x) from (select distinct x from unnest(array[o.problem_id, n.problem_id]) x
            where x is not null) y;
          perform search_refresh_workaround(x) from (
            select w as x from unnest(array[o.resolution_workaround_id, n.resolution_workaround_id]) w where w is not null
            union select pw.workaround_id from problem_workarounds pw where pw.problem_id in (o.problem_id, n.problem_id)) y;
        end if;
        return null;
      end $$;`);

    // Every document again, with its new fields (before the statistics triggers exist: counted once below).
    for (const view of [
      'search_source_incidents',
      'search_source_problems',
      'search_source_workarounds',
      'search_source_models',
      'search_source_reviews',
    ]) {
      this.addSql(`update search_documents d set body = s.body, fix = s.fix, learned = s.learned,
          tsv = search_tsv(s.title, s.identifiers, s.body, s.fix, s.learned)
        from ${view} s where s.entity_id = d.entity_id;`);
    }

    // Words of the fix text are known words for spelling correction too; updated documents bring theirs.
    this.addSql(`create or replace function search_words_collect() returns trigger language plpgsql as $$
      begin
        insert into search_words (word, lexeme)
          select w.word, (ts_lexize('english_stem', w.word))[1] from (
            select distinct w as word from new_docs d, regexp_split_to_table(lower(d.title || ' ' || d.body || ' ' || d.fix), '[^a-z]+') w
             where length(w) between 3 and 24) w
           order by w.word
        on conflict do nothing;
        return null;
      end $$;`);
    this.addSql(`insert into search_words (word, lexeme)
      select w.word, (ts_lexize('english_stem', w.word))[1] from (
        select distinct w as word from search_documents d, regexp_split_to_table(lower(d.fix), '[^a-z]+') w
         where length(w) between 3 and 24) w
      order by w.word on conflict do nothing;`);
    this.addSql(`create trigger search_words_collect_update after update on search_documents referencing new table as new_docs
      for each statement execute function search_words_collect();`);

    // ---- term statistics -------------------------------------------------------------------
    this.addSql(`create table search_terms (lexeme text primary key, df bigint not null);`);
    this.addSql(`create table search_term_deltas (id bigserial primary key, lexeme text not null, delta bigint not null);`);
    this.addSql(`create index search_term_deltas_lexeme_idx on search_term_deltas (lexeme);`);
    // A set of documents' lexemes, and the two totals under keys no lexeme has (a leading space).
    const counts = (rel: string, sign: string) => `select l, ${sign} * count(*) from ${rel} d, unnest(tsvector_to_array(d.tsv)) l group by l
      union all select ' docs', ${sign} * count(*) from ${rel} d having count(*) > 0
      union all select ' length', ${sign} * sum(length(d.tsv)) from ${rel} d having count(*) > 0`;
    this.addSql(`insert into search_terms (lexeme, df) ${counts('search_documents', '1')};`);
    this.addSql(`create function search_terms_on_insert() returns trigger language plpgsql as $$
      begin
        insert into search_term_deltas (lexeme, delta) ${counts('new_docs', '1')};
        return null;
      end $$;`);
    this.addSql(`create function search_terms_on_delete() returns trigger language plpgsql as $$
      begin
        insert into search_term_deltas (lexeme, delta) ${counts('old_docs', '-1')};
        return null;
      end $$;`);
    // Only documents whose vector changed; the totals' ' docs' part cancels out.
    this.addSql(`create function search_terms_on_update() returns trigger language plpgsql as $$
      begin
        insert into search_term_deltas (lexeme, delta)
          select x.l, sum(x.n) from (
            select l, -1 as n from old_docs o join new_docs n using (entity_id), unnest(tsvector_to_array(o.tsv)) l
             where o.tsv is distinct from n.tsv
            union all select l, 1 from old_docs o join new_docs n using (entity_id), unnest(tsvector_to_array(n.tsv)) l
             where o.tsv is distinct from n.tsv
            union all select ' length', length(n.tsv) - length(o.tsv) from old_docs o join new_docs n using (entity_id)
             where o.tsv is distinct from n.tsv) x
          group by x.l having sum(x.n) <> 0;
        return null;
      end $$;`);
    this.addSql(`create trigger search_terms_on_insert after insert on search_documents referencing new table as new_docs
      for each statement execute function search_terms_on_insert();`);
    this.addSql(`create trigger search_terms_on_delete after delete on search_documents referencing old table as old_docs
      for each statement execute function search_terms_on_delete();`);
    this.addSql(`create trigger search_terms_on_update after update on search_documents referencing old table as old_docs
      new table as new_docs for each statement execute function search_terms_on_update();`);

    // Folds committed deltas into search_terms; one transaction at a time, the others skip.
    this.addSql(`create function search_terms_fold(n int) returns int language plpgsql as $$
      declare
        folded int;
      begin
        if not pg_try_advisory_xact_lock(hashtext('ikb.search_terms_fold')) then return 0; end if;
        with gone as (
          delete from search_term_deltas where id in (select id from search_term_deltas order by id limit n) returning lexeme, delta
        ), agg as (select lexeme, sum(delta) as delta from gone group by lexeme)
        insert into search_terms as t (lexeme, df) select lexeme, delta from agg order by lexeme
          on conflict (lexeme) do update set df = t.df + excluded.df;
        get diagnostics folded = row_count;
        return folded;
      end $$;`);
    // Once per writing transaction, after its first statement that changed documents (a deferred
    // trigger would keep events pending, and ALTER TABLE refuses to run while events are pending).
    this.addSql(`create function search_terms_fold_once() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('ikb.search_terms_folded', true), '') <> 'yes' then
          perform set_config('ikb.search_terms_folded', 'yes', true);
          perform search_terms_fold(200000);
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger search_terms_fold_once after insert or update or delete on search_documents
      for each statement execute function search_terms_fold_once();`);

    // The query's statistics: each lexeme's document frequency, deltas not folded yet included.
    this.addSql(`create function search_df(lexemes text[]) returns table (lexeme text, df float8) language sql stable as $$
      select l, (coalesce((select t.df from search_terms t where t.lexeme = l), 0)
                 + coalesce((select sum(x.delta) from search_term_deltas x where x.lexeme = l), 0))::float8
        from unnest(lexemes) l
    $$;`);

    // The record's length in lexemes, for BM25's length normalisation (search-score.ts).
    this.addSql(`alter table search_documents add column len int generated always as (length(tsv)) stored;`);

    this.addSql(`drop function if exists search_query(text, text[], text[], text[], text[]);`);
    this.addSql(`drop function if exists search_tsv(text, text[], text);`);
    this.addSql(SEARCH_PLAN);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists search_terms_fold_once on search_documents;`);
    this.addSql(`drop trigger if exists search_terms_on_insert on search_documents;`);
    this.addSql(`drop trigger if exists search_terms_on_delete on search_documents;`);
    this.addSql(`drop trigger if exists search_terms_on_update on search_documents;`);
    this.addSql(`drop trigger if exists search_words_collect_update on search_documents;`);
    this.addSql(`drop table if exists search_terms;`);
    this.addSql(`drop table if exists search_term_deltas;`);
    this.addSql(`drop index if exists incidents_resolution_workaround_idx;`);
  }
}

/**
 * The query's plan, from what the service parsed: the strict query (every term), the concepts
 * (one per term: its words or phrase OR its synonyms OR its spelling corrections) with their
 * inverse document frequencies, how many of them a record must have (minimum should match), and
 * the candidate query for records with fewer than all (by pigeonhole over the rarest concepts), and
 * the last resort when even those are few: records with any one counted concept (anyrare; only
 * concepts in at most 5,000 records, so that it stays cheap at a million).
 * Concepts in more than 20 % of the documents (and more than 10) still score, but neither count
 * toward msm nor bring candidates (unless every concept is that common); concepts no document has
 * do not count either.
 */
export const SEARCH_PLAN = `create function search_plan(q text, use_or boolean, words text[], terms text[], alts text[], id_tokens text[],
    id_forms text[], out tsq tsquery, out anyq tsquery, out relaxed tsquery, out counted tsquery[], out msm int, out nterms int,
    out anyrare tsquery, out tsqidx tsquery, out concepts tsquery[], out idf float8[], out lex text[], out ndocs float8, out avglen float8,
    out corrections jsonb, out expansions jsonb)
  language plpgsql stable set pg_trgm.word_similarity_threshold = 0.5 as $$
  declare
    w text;
    target tsquery;
    alternatives text[];
    sub tsquery;
    c tsquery;
    a text;
    dfs float8[];
    ls text[];
    maxdf float8;
    m int;
    g int;
    j int;
    r int;
    cdfs float8[];
    ci int[];
    o int;
    taken int;
  begin
    concepts := '{}';
    expansions := '[]'::jsonb;
    for i in 1..coalesce(cardinality(terms), 0) loop
      c := websearch_to_tsquery('english', terms[i]);
      continue when numnode(c) = 0;
      if coalesce(alts[i], '') <> '' then
        foreach a in array string_to_array(alts[i], '|') loop
          sub := websearch_to_tsquery('english', a);
          -- "roll out", "timed out": a phrase that stop words leave one word of ('roll') means something else.
          continue when numnode(sub) = 0 or (numnode(sub) = 1 and a like '% %');
          c := c || sub;
        end loop;
        expansions := expansions || jsonb_build_object('term', terms[i], 'alternatives', to_jsonb(string_to_array(alts[i], '|')));
      end if;
      continue when c = any(concepts);
      concepts := concepts || c;
    end loop;
    -- Identifiers as typed become their stored forms, matched verbatim.
    for i in 1..coalesce(cardinality(id_tokens), 0) loop
      target := websearch_to_tsquery('english', id_tokens[i]);
      continue when numnode(target) = 0;
      sub := (select string_agg(quote_literal(f), ' | ') from unnest(string_to_array(id_forms[i], ' ')) f)::tsquery;
      for k in 1..cardinality(concepts) loop concepts[k] := ts_rewrite(concepts[k], target, sub); end loop;
    end loop;
    corrections := '[]'::jsonb;
    foreach w in array coalesce(words, '{}'::text[]) loop
      target := plainto_tsquery('english', w);
      continue when length(w) < 4 or length(w) > 24 or numnode(target) <> 1
        or exists (select 1 from search_words s where s.word = w or s.lexeme = (ts_lexize('english_stem', w))[1]);
      select array_agg(x.word order by x.rank) into alternatives from (
        select s.word, row_number() over (order by word_similarity(w, s.word) desc, similarity(w, s.word) desc, s.word) as rank
          from search_words s where w <% s.word order by rank limit 2) x;
      continue when alternatives is null;
      sub := target || to_tsquery('english', array_to_string(array(select quote_literal(x) from unnest(alternatives) x), ' | '));
      for k in 1..cardinality(concepts) loop concepts[k] := ts_rewrite(concepts[k], target, sub); end loop;
      corrections := corrections || jsonb_build_object('word', w, 'alternatives', to_jsonb(alternatives),
        'lexemes', to_jsonb(array(select distinct l from unnest(alternatives) x, unnest(tsvector_to_array(to_tsvector('english', x))) l)));
    end loop;
    nterms := cardinality(concepts);

    if use_or or nterms = 0 then
      tsq := websearch_to_tsquery('english', q);
      for i in 1..coalesce(cardinality(id_tokens), 0) loop
        target := websearch_to_tsquery('english', id_tokens[i]);
        continue when numnode(target) = 0;
        sub := (select string_agg(quote_literal(f), ' | ') from unnest(string_to_array(id_forms[i], ' ')) f)::tsquery;
        tsq := ts_rewrite(tsq, target, sub);
      end loop;
    else
      tsq := null;
      foreach c in array concepts loop tsq := case when tsq is null then c else tsq && c end; end loop;
    end if;
    anyq := null;
    foreach c in array concepts loop anyq := case when anyq is null then c else anyq || c end; end loop;
    anyq := coalesce(anyq, tsq);

    -- Statistics: documents, average length, and each concept's document frequency (its most common lexeme).
    select coalesce(max(df) filter (where lexeme = ' docs'), 0), coalesce(max(df) filter (where lexeme = ' length'), 0)
      into ndocs, avglen from search_df(array[' docs', ' length']);
    ndocs := greatest(ndocs, 1);
    avglen := greatest(avglen / ndocs, 1);
    lex := '{}';
    dfs := '{}';
    idf := '{}';
    for k in 1..nterms loop
      ls := array(select distinct x[1] from regexp_matches(concepts[k]::text, '''((?:[^'']|'''')+)''', 'g') x);
      ls := array(select replace(l, '''''', '''') from unnest(ls) l);
      select coalesce(max(s.df), 0) into maxdf from search_df(ls) s;
      dfs := dfs || maxdf;
      idf := idf || ln(1 + (ndocs - least(maxdf, ndocs) + 0.5) / (least(maxdf, ndocs) + 0.5));
      lex := lex || ls;
    end loop;

    -- Minimum should match over the concepts that are not everywhere.
    -- A term no record has cannot help a record match; "common" needs more than a handful of records.
    ci := array(select k from generate_subscripts(concepts, 1) k where dfs[k] > 0 and dfs[k] <= greatest(0.2 * ndocs, 10)
      order by dfs[k], k);
    if cardinality(ci) = 0 then
      ci := array(select k from generate_subscripts(concepts, 1) k where dfs[k] > 0 order by dfs[k], k);
    end if;
    counted := array(select concepts[u.k] from unnest(ci) with ordinality u(k, n) order by u.n);
    cdfs := array(select dfs[u.k] from unnest(ci) with ordinality u(k, n) order by u.n);
    m := cardinality(counted);
    -- An explicit OR asks for exactly what it says: no records with fewer terms.
    msm := case when use_or or m <= 1 then 1 when m = 2 then 1 when m = 3 then 2 when m = 4 then 3 when m = 5 then 3
                else greatest(3, ceil(0.4 * m)::int) end;
    -- Candidates come from the counted concepts in at most 5,000 records (g of them, the rarest):
    -- their lists are short enough for the index to combine. At a million records a commoner term
    -- only scores; below 25,000 records no counted term is that common.
    g := (select count(*) from unnest(cdfs) x where x <= 5000);
    anyrare := null;
    for k in 1..(case when use_or then 0 else g end) loop
      anyrare := case when anyrare is null then counted[k] else anyrare || counted[k] end;
    end loop;
    -- What the index looks up for the strict match: the concepts in at most 5,000 records (or in
    -- none: then nothing matches, at once), and at least two; the others are checked on the records
    -- it finds.
    tsqidx := null;
    if not use_or then
      -- At least the two rarest concepts: one long list to intersect is cheaper than seven.
      taken := 0;
      foreach o in array array(select i from generate_subscripts(concepts, 1) i order by dfs[i], i) loop
        continue when dfs[o] > 5000 and taken >= 3;
        tsqidx := case when tsqidx is null then concepts[o] else tsqidx && concepts[o] end;
        taken := taken + 1;
      end loop;
    end if;
    tsqidx := coalesce(tsqidx, tsq);
    -- A record with msm of the m has at least mg = msm - (m - g) of the g (pigeonhole), so j of the
    -- (g - mg + j) rarest: with j = 2 the index intersects pairs of lists itself instead of leaving
    -- the count to a recheck of every record that has one term. With no rare enough term at all,
    -- the two rarest together (a heuristic, as the cap is).
    relaxed := null;
    if not use_or and nterms >= 2 and m > 0 then
      if g = 0 then
        j := 2;
        r := least(m, 2);
      else
        j := least(greatest(msm - (m - g), 1), 2);
        r := least(g - greatest(msm - (m - g), 1) + j, 10);
      end if;
      if j = 1 or r < 2 then
        for a1 in 1..r loop
          relaxed := case when relaxed is null then counted[a1] else relaxed || counted[a1] end;
        end loop;
      else
        for a1 in 1..r loop
          for a2 in (a1 + 1)..r loop
            relaxed := case when relaxed is null then counted[a1] && counted[a2] else relaxed || (counted[a1] && counted[a2]) end;
          end loop;
        end loop;
      end if;
    end if;
  end $$;`;
