import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../sql-bulk';

/**
 * The search lexicon (search_words) for the documents an import writes, collected here instead of
 * by the statement trigger `search_words_collect`, which splits every new document's text with a
 * regular expression in the database: for an import of thousands of resolved incidents with their
 * descriptions, that trigger was the largest single cost of writing their search documents (about
 * 70 % of the insert in EXPLAIN ANALYZE, on the import's critical path: the database is what an
 * import waits for), where the same split here takes a fraction of it, on the other core.
 *
 * The words are the trigger's, exactly: runs of a-z in lower(title || ' ' || body || ' ' || fix), 3 to 24 long.
 * Used only when the trigger is the one this code knows (its body, whitespace aside) and the
 * database's lower() agrees with JavaScript's on everything that decides a run of a-z: the ASCII
 * letters, and the only two other characters whose lower case is ASCII in Unicode, U+0130 (İ) and
 * U+212A (the Kelvin sign), which depend on the database's locale. Otherwise the trigger stays on.
 */

const TRIGGER = 'search_words_collect';
/** The trigger function's body without whitespace (Migration20261206000000_search_ranking). */
const KNOWN_BODY =
  "begininsertintosearch_words(word,lexeme)selectw.word,(ts_lexize('english_stem',w.word))[1]" +
  "from(selectdistinctwaswordfromnew_docsd,regexp_split_to_table(lower(d.title||''||d.body||''||d.fix),'[^a-z]+')w" +
  'wherelength(w)between3and24)worderbyw.wordonconflictdonothing;returnnull;end';

export class SearchWords {
  private readonly words = new Set<string>();

  private constructor(private readonly special: Map<string, string>) {}

  /** null when the trigger must collect the words (unknown trigger, or a lower() this code cannot mirror). */
  static async prepare(em: EntityManager): Promise<SearchWords | null> {
    const [row] = await sql<{ body: string | null; ascii: boolean; i: string; k: string }>(
      em,
      `select (select regexp_replace(p.prosrc, '\\s+', '', 'g') from pg_trigger t join pg_proc p on p.oid = t.tgfoid
                where t.tgrelid = to_regclass('search_documents') and t.tgname = ? and t.tgenabled <> 'D') as body,
              lower('ABCDEFGHIJKLMNOPQRSTUVWXYZ') = 'abcdefghijklmnopqrstuvwxyz' as ascii,
              lower(U&'\\0130') as i, lower(U&'\\212A') as k`,
      [TRIGGER],
    );
    if (!row || row.body !== KNOWN_BODY || !row.ascii) return null;
    // What lower() makes of the two: kept as they are, they are not a-z (a separator, like a space).
    const special = new Map([
      ['\u0130', row.i === '\u0130' ? ' ' : row.i],
      ['\u212a', row.k === '\u212a' ? ' ' : row.k],
    ]);
    for (const v of special.values()) if (v !== ' ' && v.toLowerCase() !== v) return null;
    return new SearchWords(special);
  }

  /** The words of one document: its title and body (any parts of it; nulls are left out). */
  add(...texts: (string | null | undefined)[]): void {
    for (const t of texts) {
      if (!t) continue;
      const lower = (/[\u0130\u212a]/.test(t) ? t.replace(/[\u0130\u212a]/g, (c) => this.special.get(c)!) : t).toLowerCase();
      // The runs of a-z that split(/[^a-z]+/) gives, found by character code: only the words kept are copied out.
      const words = this.words;
      const n = lower.length;
      let start = -1;
      for (let i = 0; i <= n; i++) {
        const c = i < n ? lower.charCodeAt(i) : 0;
        if (c >= 97 && c <= 122) {
          if (start < 0) start = i;
        } else if (start >= 0) {
          if (i - start >= 3 && i - start <= 24) words.add(lower.slice(start, i));
          start = -1;
        }
      }
    }
  }

  /** Switches the trigger off for the rest of the caller's transaction (its documents are collected here). */
  async disableTrigger(em: EntityManager): Promise<void> {
    await sql(em, `alter table search_documents disable trigger ${TRIGGER}`);
  }

  /**
   * Writes the words collected (as the trigger does: in word order, the ones already known left alone) and switches the
   * trigger back on.
   */
  async finish(em: EntityManager): Promise<void> {
    const words = [...this.words].sort();
    this.words.clear();
    if (words.length) {
      await sql(
        em,
        `insert into search_words (word, lexeme) select w, (ts_lexize('english_stem', w))[1] from json_array_elements_text(?::json) w
          order by w on conflict do nothing`,
        [JSON.stringify(words)],
      );
    }
    await sql(em, `alter table search_documents enable trigger ${TRIGGER}`);
  }
}
