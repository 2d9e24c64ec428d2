/**
 * The synonym list of the catalog search, as admins keep it.
 *
 * Why the built-in groups are seeded rows rather than code with a list of overrides: an admin
 * expects one list to read and change, where db / database looks and behaves like the group they
 * added themselves: edit its terms, delete it, add another. With defaults in code, every edit of a
 * built-in group would be an override row and every deletion a "switched off" mark, two more
 * notions to show and explain, and the list an admin sees would be assembled from three sources.
 * So every group is a row (migration Migration20261206010000_search_synonyms seeds the built-in
 * ones) and `builtin_key` remembers which shipped group a row is. "Restore the defaults" puts each
 * shipped group back as shipped (re-adding the deleted ones, undoing edits) and leaves the groups
 * admins added alone: restoring is for the vocabulary that came with the product, not a way to
 * lose one's own work. A built-in group a later release no longer ships becomes the admins' own.
 *
 * Every write runs in the guard's transaction with its audit row (who, what, before and after),
 * and clears the search's cache of the list (search-synonym.cache.ts) in this process.
 */
import { checkSynonymTerms, DEFAULT_SYNONYM_GROUPS, SYNONYM_LIMITS, type BuiltinSynonymGroup, type CheckedSynonymTerms } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import { pgTextArray } from '../../db/pg-array';
import { WriteService } from '../shared/write-service';
import { synonymsChanged } from './search-synonym.cache';
import { SearchSynonym } from './search-synonym.entity';
import type { CreateSearchSynonymGroupInput, UpdateSearchSynonymGroupInput } from './search-synonym.inputs';

const BUILTIN = new Map<string, BuiltinSynonymGroup>(DEFAULT_SYNONYM_GROUPS.map((g) => [g.id, g]));

/** Whether a built-in group's row differs from what was shipped (false for groups admins added). */
export function isModifiedBuiltin(row: Pick<SearchSynonym, 'builtinKey' | 'terms' | 'note'>): boolean {
  const shipped = row.builtinKey ? BUILTIN.get(row.builtinKey) : undefined;
  if (!shipped) return false;
  return (
    (shipped.note ?? null) !== row.note || shipped.terms.length !== row.terms.length || shipped.terms.some((t, i) => t !== row.terms[i])
  );
}

/** Every group, by its first term. */
export function listSynonymGroups(em: EntityManager): Promise<SearchSynonym[]> {
  return em.find(SearchSynonym, {}, { orderBy: [{ terms: 'asc' }, { id: 'asc' }] });
}

/** The terms of an input, normalised, or bad input naming the refused term (input.terms.2). */
function checkedTerms(terms: unknown): string[] {
  const checked: CheckedSynonymTerms = Array.isArray(terms)
    ? checkSynonymTerms(terms)
    : { ok: false, index: null, message: 'must be a list of terms' };
  if (checked.ok) return checked.terms;
  const field = checked.index === null ? 'input.terms' : `input.terms.${checked.index}`;
  throw new AppError('BAD_USER_INPUT', fieldMessage(field, checked.message), {
    field,
    ...(checked.index === null ? {} : { index: checked.index }),
  });
}

/** A note as stored: trimmed, empty means none. */
const noteOf = (note: string | null | undefined) => note?.trim() || null;

export class SearchSynonymService extends WriteService {
  protected override readonly recordName = 'synonym group';

  async create(input: CreateSearchSynonymGroupInput): Promise<SearchSynonym> {
    const terms = checkedTerms(input.terms);
    return this.tx(async (em) => {
      // Creations one at a time, so that two admins adding the 500th group cannot both succeed.
      await em.execute(`lock table search_synonyms in share row exclusive mode`);
      const [row] = await em.execute<{ n: string }[]>(`select count(*) as n from search_synonyms`);
      if (Number(row?.n) >= SYNONYM_LIMITS.maxGroups)
        throw badInput(
          'input.terms',
          `the list already has ${SYNONYM_LIMITS.maxGroups} groups, the most it may hold; edit or delete one first`,
        );
      await this.refuseSameTerms(em, terms, null);
      const group = Object.assign(new SearchSynonym(), {
        terms,
        note: noteOf(input.note),
        createdById: this.actor.id,
        createdAt: this.now(),
        updatedAt: this.now(),
      });
      em.persist(group);
      synonymsChanged(em);
      return group;
    });
  }

  async update(id: string, input: UpdateSearchSynonymGroupInput): Promise<SearchSynonym> {
    if (input.terms === null) throw badInput('input.terms', 'cannot be cleared; delete the group instead');
    const terms = input.terms === undefined ? undefined : checkedTerms(input.terms);
    return this.tx(async (em) => {
      const group = await this.load(em, id);
      if (terms) {
        await this.refuseSameTerms(em, terms, group.id);
        group.terms = terms;
      }
      if (input.note !== undefined) group.note = noteOf(input.note);
      group.updatedAt = this.now();
      synonymsChanged(em);
      return group;
    });
  }

  /** Removes the group and answers it as it was (a built-in one comes back with restoreDefaults). */
  async delete(id: string): Promise<SearchSynonym> {
    return this.tx(async (em) => {
      const group = await this.load(em, id);
      em.remove(group);
      synonymsChanged(em);
      return group;
    });
  }

  /**
   * Every shipped group as shipped: deleted ones added again, edited ones reset; groups admins
   * added stay as they are. Answers the whole list.
   */
  async restoreDefaults(): Promise<SearchSynonym[]> {
    return this.tx(async (em) => {
      const shipped = DEFAULT_SYNONYM_GROUPS.map((g) => ({ key: g.id, terms: g.terms, note: g.note ?? null }));
      // A group an earlier release shipped and this one does not is kept, as the admins' own.
      await em.execute(`update search_synonyms set builtin_key = null, updated_at = ? where builtin_key <> all(?::text[])`, [
        this.now(),
        pgTextArray(shipped.map((g) => g.key)),
      ]);
      // A deleted built-in group whose terms an admin has since added as their own is not added twice.
      await em.execute(
        `insert into search_synonyms (builtin_key, terms, note, created_at, updated_at)
         select d.key, d.terms, d.note, ?, ?
           from (select r.key, array(select t from jsonb_array_elements_text(r.terms) with ordinality e(t, i) order by i) as terms, r.note
                   from jsonb_to_recordset(?::jsonb) as r(key text, terms jsonb, note text)) d
          where exists (select 1 from search_synonyms b where b.builtin_key = d.key)
             or not exists (select 1 from search_synonyms o where o.terms @> d.terms and o.terms <@ d.terms)
         on conflict (builtin_key) do update set terms = excluded.terms, note = excluded.note, updated_at = excluded.updated_at,
           version = search_synonyms.version + 1
         where search_synonyms.terms is distinct from excluded.terms or search_synonyms.note is distinct from excluded.note`,
        [this.now(), this.now(), JSON.stringify(shipped)],
      );
      synonymsChanged(em);
      // Rows changed by SQL: read them afresh, not from the identity map.
      em.clear();
      return listSynonymGroups(em);
    });
  }

  private async load(em: EntityManager, id: string): Promise<SearchSynonym> {
    assertUuid('id', id);
    const group = await em.findOne(SearchSynonym, { id });
    if (!group) throw notFound('id', 'synonym group', id);
    return group;
  }

  /** The same terms in another order are the same group: refused as a conflict naming it. */
  private async refuseSameTerms(em: EntityManager, terms: string[], except: string | null): Promise<void> {
    const [same] = await em.execute<{ id: string; terms: string[] }[]>(
      `select id, terms from search_synonyms where terms @> ?::text[] and terms <@ ?::text[] and id is distinct from ? limit 1`,
      [pgTextArray(terms), pgTextArray(terms), except],
    );
    if (same)
      throw new AppError('CONFLICT', fieldMessage('input.terms', `the group "${same.terms.join(', ')}" has these terms already`), {
        field: 'input.terms',
        id: same.id,
      });
  }
}
