/**
 * The engineer's vocabulary: groups of terms that mean the same in incident text (db / database,
 * k8s / kubernetes, oom / out of memory), and the query expansion they give. Pure: the API stores
 * the groups and the search turns the matches into SQL.
 *
 * Words are runs of letters and digits (with their combining marks), after NFKC and lower case:
 * "OOM-killed" is ['oom', 'killed'], "HTTP/500" is ['http', '500'], "ｋ８ｓ" is ['k8s']. A term
 * matches whole words only, so 'db' never matches 'dbx', and 'node.js' matches the words ['node', 'js'].
 * Inflections (certificate / certificates) are the full-text stemmer's job, not the list's.
 */
import { textProblem } from '../text-rules';

export interface SynonymGroup {
  id: string;
  /** Normalised terms (normaliseSynonymTerm), each one to four words. */
  terms: string[];
}

export interface SynonymMatch {
  /** Index of the first matched word. */
  start: number;
  /** Index after the last matched word (exclusive). */
  end: number;
  /** The matched words, joined by single spaces. */
  text: string;
  /**
   * The other terms of every group holding the matched text, in group order, without duplicates and
   * without the text itself; at most SYNONYM_LIMITS.alternativesPerMatch. Each is a term as stored
   * (see SYNONYM_TERM_CHARACTERS for what it may hold); synonymWords(term) gives its words.
   */
  alternatives: string[];
  /** Ids of the groups the alternatives come from. */
  groupIds: string[];
}

/** What a list, a group and a query expansion may hold: a hostile or careless list cannot blow up a query. */
export const SYNONYM_LIMITS = {
  minTerms: 2,
  maxTerms: 10,
  /** Characters of a normalised term. */
  maxTermLength: 40,
  maxTermWords: 4,
  /** Groups an admin may keep (the built-in ones count too). */
  maxGroups: 500,
  alternativesPerMatch: 8,
  matchesPerQuery: 12,
} as const;

/**
 * Besides letters, digits and single spaces, a term may hold . - _ / + # ' between them (node.js,
 * ci/cd, c++, c#, o'brien), and it starts with a letter or a digit. No quotes, parentheses, colons,
 * asterisks or operators: a term handed to websearch_to_tsquery (as a "phrase") or phraseto_tsquery
 * can never change the query's syntax (a leading - would exclude, OR would widen).
 */
export const SYNONYM_TERM_CHARACTERS = "letters, digits, spaces and . - _ / + # ', starting with a letter or a digit";

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const HAS_WORD = /[\p{L}\p{N}]/u;
const ALLOWED = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} ._/+#'-]*$/u;
/** A term already in normal form in plain ASCII (most are): no Unicode work needed to check it. */
const PLAIN = /^[a-z0-9](?:[a-z0-9._/+#'-]| (?! ))*$/;
const PLAIN_WORD = /[a-z0-9]+/g;

/** The words of a text as matching sees them (NFKC, lower case, letter-and-digit runs): use it to split the query too. */
export function synonymWords(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
}

/** A term as stored and compared: NFKC, lower case, trimmed, inner whitespace one space; null when it has no letter or digit. */
export function normaliseSynonymTerm(s: string): string | null {
  const n = s.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
  return HAS_WORD.test(n) ? n : null;
}

/** Which term of a group is refused and why; index null: the group as a whole (how many terms). */
export interface SynonymTermIssue {
  index: number | null;
  message: string;
}

export type CheckedSynonymTerms = { ok: true; terms: string[] } | ({ ok: false } & SynonymTermIssue);

const key = (term: string) => (PLAIN.test(term) ? (term.match(PLAIN_WORD) ?? []) : synonymWords(term)).join(' ');

/** Why one term is refused (after normalisation), or null; `n` is its normal form when it has one. */
function termProblem(raw: unknown): { n: string | null; problem: string | null } {
  if (typeof raw !== 'string') return { n: null, problem: 'must be text' };
  const { maxTermLength, maxTermWords } = SYNONYM_LIMITS;
  if (raw.length <= maxTermLength && PLAIN.test(raw) && !raw.endsWith(' ')) {
    const words = raw.match(PLAIN_WORD)?.length ?? 0;
    return { n: raw, problem: words > maxTermWords ? `has ${words} words; a term has at most ${maxTermWords}` : null };
  }
  const text = textProblem(raw, { singleLine: true });
  if (text) return { n: null, problem: text };
  const n = normaliseSynonymTerm(raw);
  if (n === null) return { n, problem: 'needs a letter or a digit' };
  if (n.length > maxTermLength) return { n, problem: `must be at most ${maxTermLength} characters (got ${n.length})` };
  if (!ALLOWED.test(n)) return { n, problem: `may hold only ${SYNONYM_TERM_CHARACTERS}` };
  const words = synonymWords(n).length;
  if (words > maxTermWords) return { n, problem: `has ${words} words; a term has at most ${maxTermWords}` };
  return { n, problem: null };
}

/**
 * Checks and normalises the terms of one group: 2 to 10 terms, each one to four words of at most
 * 40 characters once normalised, made of SYNONYM_TERM_CHARACTERS, no two the same to matching
 * ('node.js' and 'node js' are the same words). The first problem is reported with its term's index.
 */
export function checkSynonymTerms(terms: readonly unknown[]): CheckedSynonymTerms {
  const { minTerms, maxTerms } = SYNONYM_LIMITS;
  if (terms.length < minTerms || terms.length > maxTerms)
    return { ok: false, index: null, message: `a group has ${minTerms} to ${maxTerms} terms (got ${terms.length})` };
  const out: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < terms.length; i++) {
    const { n, problem } = termProblem(terms[i]);
    if (problem || n === null) return { ok: false, index: i, message: problem ?? 'needs a letter or a digit' };
    const k = key(n);
    const first = seen.get(k);
    if (first !== undefined) return { ok: false, index: i, message: `"${n}" is the same as term ${first} ("${out[first]}")` };
    seen.set(k, i);
    out.push(n);
  }
  return { ok: true, terms: out };
}

/** A term in the form matching uses, or null when matching would never use it (see checkSynonymTerms). */
export function usableSynonymTerm(raw: unknown): string | null {
  const { n, problem } = termProblem(raw);
  return problem ? null : n;
}

interface Compiled {
  /** Word key ('out of memory') -> indexes of the groups holding a term with these words. */
  groupsByKey: Map<string, number[]>;
  /** Per group: its usable terms and their keys. */
  terms: { term: string; key: string }[][];
  /** Words in the longest usable term (at most maxTermWords). */
  longest: number;
}

const compiledLists = new WeakMap<readonly SynonymGroup[], Compiled>();

function compile(groups: readonly SynonymGroup[]): Compiled {
  const groupsByKey = new Map<string, number[]>();
  const terms: Compiled['terms'] = [];
  let longest = 0;
  groups.forEach((g, gi) => {
    const own: { term: string; key: string }[] = [];
    for (const raw of Array.isArray(g.terms) ? g.terms.slice(0, SYNONYM_LIMITS.maxTerms) : []) {
      const term = usableSynonymTerm(raw);
      if (term === null) continue;
      const k = key(term);
      own.push({ term, key: k });
      const list = groupsByKey.get(k) ?? [];
      if (list.at(-1) !== gi) list.push(gi);
      groupsByKey.set(k, list);
      longest = Math.max(longest, k.split(' ').length);
    }
    terms.push(own);
  });
  return { groupsByKey, terms, longest };
}

function compiled(groups: readonly SynonymGroup[]): Compiled {
  let c = compiledLists.get(groups);
  if (!c) {
    c = compile(groups);
    compiledLists.set(groups, c);
  }
  return c;
}

function expansion(c: Compiled, groups: readonly SynonymGroup[], k: string): { alternatives: string[]; groupIds: string[] } | null {
  const indexes = c.groupsByKey.get(k);
  if (!indexes) return null;
  const alternatives: string[] = [];
  const groupIds: string[] = [];
  const seen = new Set([k]);
  for (const gi of indexes) {
    let gave = false;
    for (const t of c.terms[gi]!) {
      if (alternatives.length >= SYNONYM_LIMITS.alternativesPerMatch) break;
      if (seen.has(t.key)) continue;
      seen.add(t.key);
      alternatives.push(t.term);
      gave = true;
    }
    const id = groups[gi]!.id;
    if (gave && !groupIds.includes(id)) groupIds.push(id);
  }
  return alternatives.length ? { alternatives, groupIds } : null;
}

/**
 * The synonym matches of a query's words (lower-case letter-and-digit runs in order, as synonymWords
 * gives them). Left to right, the longest term starting at a word wins and its words are not matched
 * again; a term of several groups gets the alternatives of all of them. At most
 * SYNONYM_LIMITS.matchesPerQuery matches. The list is compiled once per array (kept while the array
 * lives), so pass the same array the loader returns rather than a copy.
 */
export function matchSynonyms(words: readonly string[], groups: readonly SynonymGroup[]): SynonymMatch[] {
  const c = compiled(groups);
  const out: SynonymMatch[] = [];
  if (!c.longest) return out;
  const w = words.map((x) => (typeof x === 'string' ? x.normalize('NFKC').toLowerCase() : ''));
  let i = 0;
  while (i < w.length && out.length < SYNONYM_LIMITS.matchesPerQuery) {
    let matched = false;
    for (let len = Math.min(c.longest, w.length - i); len >= 1 && !matched; len--) {
      const slice = w.slice(i, i + len);
      if (slice.some((x) => x === '')) continue;
      const text = slice.join(' ');
      const found = expansion(c, groups, text);
      if (!found) continue;
      out.push({ start: i, end: i + len, text, ...found });
      i += len;
      matched = true;
    }
    if (!matched) i++;
  }
  return out;
}

/** One match in words, for "how the query was understood": `db (also: database)`. */
export function describeSynonymMatch(m: Pick<SynonymMatch, 'text' | 'alternatives'>): string {
  return `${m.text} (also: ${m.alternatives.join(', ')})`;
}
