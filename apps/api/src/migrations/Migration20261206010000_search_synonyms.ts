import { DEFAULT_SYNONYM_GROUPS } from '@ikb/domain';
import { Migration } from '@mikro-orm/migrations';

/**
 * The synonym and abbreviation list of the catalog search (features/search-synonyms): one row per
 * group of interchangeable terms. The built-in groups are seeded as rows that admins edit and
 * delete like their own; `builtin_key` remembers which shipped group a row is, so that "restore
 * the defaults" can put the shipped terms back. The seed is the list of this release (the domain's
 * DEFAULT_SYNONYM_GROUPS): a database built later gets the list of its release, which is also what
 * restoring gives an older one.
 */
export class Migration20261206010000_search_synonyms extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table search_synonyms (
      id uuid primary key default gen_random_uuid(),
      terms text[] not null,
      note text,
      builtin_key varchar(40) unique,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      created_by_id uuid references users (id) on delete set null deferrable initially deferred,
      constraint search_synonyms_terms_check
        check (array_ndims(terms) = 1 and cardinality(terms) between 2 and 10 and array_position(terms, null) is null)
    );`);
    this.addSql(`comment on table search_synonyms is
      'Groups of terms the catalog search treats as the same (db, database). Terms are normalised (NFKC, lower case, single spaces).';`);
    this.addSql(`comment on column search_synonyms.builtin_key is
      'The shipped group this row is (DEFAULT_SYNONYM_GROUPS id), edited or not; null for groups admins added.';`);
    const seed = JSON.stringify(DEFAULT_SYNONYM_GROUPS.map((g) => ({ key: g.id, terms: g.terms, note: g.note ?? null }))).replace(
      /'/g,
      "''",
    );
    this.addSql(`insert into search_synonyms (builtin_key, terms, note)
      select d.key, array(select t from jsonb_array_elements_text(d.terms) with ordinality e(t, i) order by i), d.note
        from jsonb_to_recordset('${seed}'::jsonb) as d(key text, terms jsonb, note text);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table search_synonyms;`);
  }
}
