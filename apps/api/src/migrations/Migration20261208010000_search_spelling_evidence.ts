import { Migration } from '@mikro-orm/migrations';
import { SEARCH_PLAN } from './Migration20261206000000_search_ranking';

/**
 * Spelling correction only with evidence. A word the catalog has never seen used to be looked for
 * as its two nearest known words by trigram similarity alone, so nonsense ("xyzzy") became some
 * unrelated word and the search showed dozens of records that had nothing to do with it. Now a
 * known word replaces it only when it is within a small edit distance (1 for words of up to 5
 * letters, 2 beyond; a swap of two letters counts as one), or when one is the start of the other
 * (a partial word, "notif" -> "notification"; a run-together one, "crashloop" -> "crash").
 * Whether the correction found anything is told by the service, from the hits.
 */
export class Migration20261208010000_search_spelling_evidence extends Migration {
  override async up(): Promise<void> {
    this.addSql(EDIT_DISTANCE);
    this.addSql(withEvidence(SEARCH_PLAN));
  }

  override async down(): Promise<void> {
    this.addSql(SEARCH_PLAN.replace('create function search_plan', 'create or replace function search_plan'));
    this.addSql(`drop function if exists search_edit_distance(text, text, int);`);
  }
}

const OLD_ALTERNATIVES = `select array_agg(x.word order by x.rank) into alternatives from (
        select s.word, row_number() over (order by word_similarity(w, s.word) desc, similarity(w, s.word) desc, s.word) as rank
          from search_words s where w <% s.word order by rank limit 2) x;`;

// The same order as before among the words that pass; the 12 most similar are checked (a handful of
// banded edit distances, for the rare word the catalog lacks).
const NEW_ALTERNATIVES = `select array_agg(x.word order by x.rank) into alternatives from (
        select y.word, y.rank from (
          select s.word, row_number() over (order by word_similarity(w, s.word) desc, similarity(w, s.word) desc, s.word) as rank
            from search_words s where w <% s.word order by rank limit 12) y
        where search_edit_distance(w, y.word, case when length(w) <= 5 then 1 else 2 end)
                <= case when length(w) <= 5 then 1 else 2 end
           or (length(y.word) >= 4 and (left(y.word, length(w)) = w or left(w, length(y.word)) = y.word))
        order by y.rank limit 2) x;`;

export function withEvidence(plan: string): string {
  if (!plan.includes(OLD_ALTERNATIVES)) throw new Error('search_plan: the spelling lookup to replace was not found');
  return plan.replace('create function search_plan', 'create or replace function search_plan').replace(OLD_ALTERNATIVES, NEW_ALTERNATIVES);
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps), cut off
 * at maxd: only the diagonal band of width 2 x maxd + 1 is computed, and maxd + 1 means "more".
 * Written in PL/pgSQL because fuzzystrmatch is an extension that not every server (nor the embedded
 * one) has.
 */
const EDIT_DISTANCE = `create or replace function search_edit_distance(a text, b text, maxd int) returns int
  language plpgsql immutable strict as $$
  declare
    la int := length(a);
    lb int := length(b);
    far int := maxd + 1;
    prev2 int[];
    prev int[];
    cur int[];
    best int;
    cost int;
  begin
    if abs(la - lb) > maxd then return far; end if;
    -- Column j of a row is at index j + 1; cells outside the band stay "far".
    prev := array(select least(g, far) from generate_series(0, lb) g);
    prev2 := prev;
    for i in 1..la loop
      cur := array_fill(far, array[lb + 1]);
      cur[1] := least(i, far);
      best := cur[1];
      for j in greatest(1, i - maxd)..least(lb, i + maxd) loop
        cost := case when substr(a, i, 1) = substr(b, j, 1) then 0 else 1 end;
        cur[j + 1] := least(prev[j + 1] + 1, cur[j] + 1, prev[j] + cost, far);
        if i > 1 and j > 1 and substr(a, i, 1) = substr(b, j - 1, 1) and substr(a, i - 1, 1) = substr(b, j, 1) then
          cur[j + 1] := least(cur[j + 1], prev2[j - 1] + 1);
        end if;
        best := least(best, cur[j + 1]);
      end loop;
      if best >= far then return far; end if;
      prev2 := prev;
      prev := cur;
    end loop;
    return least(prev[lb + 1], far);
  end $$;`;
