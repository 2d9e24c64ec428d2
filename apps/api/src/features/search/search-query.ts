import { synonymWords } from '@ikb/domain';

/** Query-side helpers with no I/O: parsing web-search syntax, identifier normalisation and the ranking definition. */

/** How many matching records are ranked and counted at most; beyond it totals say "at least". */
export const CANDIDATE_CAP = 500;
/**
 * The older incidents (the full index) are searched only when the hot tier has fewer matches than
 * this: with more, the terms are common enough that reading their long posting lists would cost
 * more than the older records add to a page already ranked by relevance and recency.
 */
export const FULL_BELOW = 50;
/** Words the catalog has never seen are taken for typos (and corrected) in queries of at most this many terms. */
export const SPELL_MAX_TERMS = 5;
/** How many records with only some of the terms are ranked at most (strict matches included). */
export const PARTIAL_CAP = 250;
/** Relaxed matches (a term missing) are looked for only when fewer strict matches than this exist. */
export const RELAX_BELOW = 50;
/** Documents of the hot tier: knowledge records, and incidents that occurred in the last 90 days. */
export const HOT_DAYS = 30;
/** Terms of a query that are scored; a longer query's words beyond these only have to be in the strict match. */
export const MAX_TERMS = 16;

export const RANKING_DEFINITION =
  'score = (text + 1 for an exact identifier, divided by (terms - 1) in a query of 3 or more terms) x boost x recency. ' +
  "text: BM25 over the query's terms (k1 1.2, b 0.75; stop words left out), normalised to 0..1 and weighted by the share of the " +
  "terms' rarity the record has: text = sum over terms of idf x tf x 2.2 / (tf + 1.2 x (0.25 + 0.75 x length / average length)) " +
  '/ (2.2 x sum of idf) x (0.5 + 0.5 x idf of the terms matched / sum of idf); idf = ln(1 + (N - n + 0.5) / (n + 0.5)) with n the ' +
  'records having the term among N. tf counts each occurrence by field: title and identifiers 3, fix (resolution notes, root cause ' +
  'and fix, workaround steps) 2, description and other text 1, and 0.5 for what a problem or workaround learned from the incidents ' +
  "it fixed (their titles and descriptions). English stemming; a term is also looked for as its synonyms (the admins' list) and, " +
  `when the catalog has never seen it, as its two nearest known words (pg_trgm word similarity >= 0.5; in queries of up to ` +
  `${SPELL_MAX_TERMS} terms). ` +
  'boost: 1.5 active workaround or known error; 1.3 incident resolved without reopening (+0.2 when a workaround restored service); 1.2 ' +
  'published review; 0.8 draft workaround; 1.0 otherwise. ' +
  'recency: 1 + 0.2 x exp(-age in days / 180). ' +
  'query boost: x (1 + weight, 0 to 1) for a record an admin approved for this query (normalised: lower case, spaces collapsed) ' +
  'from what people opened (search analytics); none otherwise. ' +
  'Order: records with every term first, then the others; in each, retired workarounds and models after the rest. ' +
  `Records with every term match; when fewer than ${RELAX_BELOW} do, records with most of them match too (minimum should match: ` +
  '2 of 3 terms, 3 of 4 or 5, 40 % of more, at least 3), counting only terms some record has and in at most 20 % of the records ' +
  '(or 10); with 2 terms, either one when no record has both; and when those are still fewer, records with any one of those terms ' +
  'that is in at most 5,000 records. ' +
  `At most ${CANDIDATE_CAP.toLocaleString('en-US')} matches are ranked and counted (${PARTIAL_CAP} when some have only some of the ` +
  'terms): knowledge records and incidents of the last ' +
  `${HOT_DAYS} days first, older incidents when those are fewer than ${FULL_BELOW}; ` +
  'when a query matches more, totalIsExact is false, and the total and every facet count are of those ranked ' +
  '(a facet value chosen then looks for its own, and may find more).';

const PREFIX_WIDTH: Record<string, number> = { inc: 6, prb: 5, pir: 4 };

export interface ParsedQuery {
  /** What websearch_to_tsquery gets: the words, "phrases" and ORs to look for, without the excluded terms. */
  positive: string;
  /** The excluded terms (-word, -"phrase"), joined with OR for websearch_to_tsquery; null when none. */
  negative: string | null;
  /** True when the query says OR: the terms are alternatives, not all wanted. */
  useOr: boolean;
  /** The positive terms (words, "phrases"), at most MAX_TERMS: each a concept of the query, scored by its rarity. */
  terms: string[];
  /** Lower-case words of the positive part (letters only), candidates for spelling correction. */
  words: string[];
  /** Identifiers among the positive terms, normalised as stored. */
  identifiers: string[];
  /** Positive words that are identifiers, as typed, with their stored forms (space separated). */
  idTokens: string[];
  idForms: string[];
  /** True when something is left to look for (a letter or a digit outside the excluded terms). */
  searchable: boolean;
}

interface Token {
  text: string;
  phrase: boolean;
  negated: boolean;
}

/**
 * Splits a query the way websearch_to_tsquery reads it: "quoted phrases" (an unbalanced quote runs to
 * the end), OR between terms, and a leading - to exclude a word or a phrase. Excluded terms are kept
 * apart so that they always exclude ("a OR -b" means a without b, never "anything without b", which
 * would need a scan of every document).
 */
export function parseQuery(query: string): ParsedQuery {
  const tokens: Token[] = [];
  const q = query.replace(/\s+/g, ' ');
  let i = 0;
  while (i < q.length) {
    if (q[i] === ' ') {
      i++;
      continue;
    }
    let negated = false;
    let j = i;
    while (q[j] === '-') j++;
    if (j > i && j < q.length && q[j] !== ' ') negated = true;
    else j = i;
    if (q[j] === '"') {
      const end = q.indexOf('"', j + 1);
      const text = q.slice(j + 1, end < 0 ? q.length : end);
      tokens.push({ text, phrase: true, negated });
      i = end < 0 ? q.length : end + 1;
      continue;
    }
    let end = q.indexOf(' ', j);
    if (end < 0) end = q.length;
    // A quote inside a word starts a phrase in websearch_to_tsquery too: split there.
    const quote = q.indexOf('"', j);
    if (quote > j && quote < end) end = quote;
    tokens.push({ text: q.slice(j, end), phrase: false, negated });
    i = end;
  }

  // "OR" is always the operator; "or" only in a short query: in a sentence ("cannot deploy or scale
  // anything, the api refuses every change") it is a word, and the sentence wants most of its terms.
  const spoken = tokens.filter((t) => !t.negated && !/^or$/i.test(t.text)).length > 4;
  const isOr = (t: Token) => !t.phrase && !t.negated && (t.text === 'OR' || (!spoken && /^or$/i.test(t.text)));
  const hasWord = (t: Token) => /[\p{L}\p{N}]/u.test(t.text);
  const positives: string[] = [];
  const negatives: string[] = [];
  const words = new Set<string>();
  const identifiers = new Set<string>();
  const idPairs = new Map<string, string>();
  let pendingOr = false;
  let usedOr = false;
  for (const t of tokens) {
    if (isOr(t)) {
      pendingOr = positives.length > 0;
      continue;
    }
    const rendered = t.phrase ? `"${t.text.replace(/"/g, ' ')}"` : t.text.replace(/"/g, ' ');
    if (t.negated) {
      if (hasWord(t)) negatives.push(rendered);
      continue;
    }
    if (!hasWord(t)) continue;
    if (pendingOr) positives.push('OR');
    usedOr ||= pendingOr;
    pendingOr = false;
    positives.push(rendered);
    const ids = identifierTokens(t.text);
    // Codes are never spelling-corrected.
    if (!ids.length) for (const w of t.text.toLowerCase().match(/[a-z]+/g) ?? []) if (w.length >= 4 && w.length <= 24) words.add(w);
    for (const id of ids) identifiers.add(id);
    if (!t.phrase && ids.length && !/\s/.test(t.text.trim())) idPairs.set(t.text, ids.join(' '));
  }
  const terms = [...new Set(positives.filter((t) => t !== 'OR'))].slice(0, MAX_TERMS);
  return {
    positive: positives.join(' '),
    useOr: usedOr,
    terms,
    negative: negatives.length ? negatives.join(' OR ') : null,
    words: [...words].slice(0, 16),
    identifiers: [...identifiers].slice(0, 16),
    idTokens: [...idPairs.keys()].slice(0, 16),
    idForms: [...idPairs.values()].slice(0, 16),
    searchable: positives.length > 0,
  };
}

/** Tokens that may be identifiers, normalised as stored: INC-123 -> inc-000123, ORA-01555 -> ora-01555. */
export function identifierTokens(query: string): string[] {
  const out = new Set<string>();
  for (const raw of query.toLowerCase().split(/[\s,;()"']+/)) {
    if (raw.startsWith('-')) continue;
    const token = raw.replace(/^\++/, '').replace(/[.:!?]+$/, '');
    if (!token) continue;
    const m = /^(inc|prb|pir)(-?)(\d{1,12})$/.exec(token);
    if (m) {
      // Ours in any width (INC-123, inc000123); without a hyphen, more digits than ours is another
      // system's number (ServiceNow's INC0000047), kept as typed for external references.
      const digits = m[3]!.replace(/^0+(?=\d)/, '');
      const width = PREFIX_WIDTH[m[1]!]!;
      if ((m[2] || m[3]!.length <= width) && digits.length <= 9) out.add(`${m[1]}-${digits.padStart(width, '0')}`);
      out.add(token);
      continue;
    }
    if (
      /^[a-z]{2,10}[-_][a-z0-9]{2,12}$/.test(token) ||
      /^[a-z]{2,}\d{3,}$/.test(token) ||
      /^\d\.\d\.\d{1,3}$/.test(token) ||
      /^[45]\d\d$/.test(token)
    )
      out.add(token);
  }
  return [...out];
}

/**
 * Words of spoken English that say nothing about a fault ("customers get kicked out", "nobody can
 * reach anything"), left out of a query's terms unless it has nothing else: PostgreSQL's English
 * stop words cover articles and pronouns, not these, and a catalog written in report style has so
 * few of them that their rarity would make them weigh like the symptom.
 */
export const FILLER = new Set(
  (
    'get gets getting got gotten keep keeps kept keeping still even though although anything everything something nothing ' +
    'anyone everyone someone nobody somebody anybody everybody seem seems seemed really just like thing things stuff kind ' +
    'sort lot lots bunch basically apparently actually also ever already whole please help guys cannot'
  ).split(' '),
);

/** What the search plan gets: the terms (a matched multi-word synonym joined into one "phrase") and each one's alternatives. */
export interface ExpandedTerms {
  terms: string[];
  /** Per term: its alternatives as websearch text (multi-word ones quoted), joined with |; '' when none. */
  alts: string[];
  /** What was expanded, for "how the query was understood". */
  expansions: { term: string; alternatives: string[] }[];
}

/** A synonym match over the query's words: words [start, end) and the other terms of its groups. */
export interface TermMatch {
  start: number;
  end: number;
  text: string;
  alternatives: string[];
}

/** A plural's singular, the simple English way (certs -> cert, replicas -> replica, proxies -> proxy); other words as they are. */
function singularOf(word: string): string {
  if (/^[a-z]{2,}ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/^[a-z0-9]+[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}

const quoteIfPhrase = (t: string) => (/\s/.test(t) ? `"${t}"` : t);

/**
 * Applies synonym matches to the terms: `match` gets the lower-case words of the terms in order
 * (a phrase or an identifier is one opaque word that no synonym matches) and returns the spans it
 * recognised; a span of several words becomes one quoted term.
 */
export function expandTerms(allTerms: string[], match: (words: string[]) => TermMatch[]): ExpandedTerms {
  const kept = allTerms.filter((t) => !FILLER.has(t.toLowerCase().replace(/[^\p{L}]+/gu, '')));
  const terms = kept.length ? kept : allTerms;
  // One word per term, split as the synonym list splits its terms (NFKC, lower case); a phrase, an
  // identifier (a bare number such as 500 aside) or a term of several words ("HTTP/500") is opaque.
  const words = terms.map((t) => {
    const w = t.startsWith('"') || (identifierTokens(t).length && !/^\d+$/.test(t)) ? [] : synonymWords(t);
    return w.length === 1 ? w[0]! : '\u0000';
  });
  // The list holds singular words; a plural typed ("certs", "timeouts") is tried as its singular.
  const found = match(words);
  const covered = new Set(found.flatMap((m) => Array.from({ length: m.end - m.start }, (_, k) => m.start + k)));
  const singular = words.map((w, k) => (covered.has(k) ? '\u0000' : singularOf(w)));
  if (singular.some((w, k) => w !== words[k] && w !== '\u0000'))
    for (const m of match(singular)) if (!found.some((f) => m.start < f.end && f.start < m.end)) found.push(m);
  const out: ExpandedTerms = { terms: [], alts: [], expansions: [] };
  let i = 0;
  for (const m of [...found].sort((a, b) => a.start - b.start)) {
    if (m.start < i || m.end <= m.start || m.end > terms.length) continue;
    for (; i < m.start; i++) {
      out.terms.push(terms[i]!);
      out.alts.push('');
    }
    const alternatives = m.alternatives.filter((a) => a !== m.text).slice(0, 8);
    out.terms.push(m.end - m.start > 1 ? `"${m.text}"` : terms[m.start]!);
    out.alts.push(alternatives.map((a) => quoteIfPhrase(a.replace(/[|"]/g, ' ').trim())).join('|'));
    if (alternatives.length) out.expansions.push({ term: m.text, alternatives });
    i = m.end;
  }
  for (; i < terms.length; i++) {
    out.terms.push(terms[i]!);
    out.alts.push('');
  }
  // "429s", "500's": the number itself, as records write it.
  for (const [k, term] of out.terms.entries()) {
    const plural = /^(\d{2,})'?s$/i.exec(term);
    if (plural && !out.alts[k]) {
      out.alts[k] = plural[1]!;
      out.expansions.push({ term, alternatives: [plural[1]!] });
    }
  }
  return out;
}
