import type { SearchKind } from './search.types';

/**
 * "Why this matched", in the words a person reads: which of their words were found in which field
 * (a stemmed lexeme is shown as the word they typed, or the synonym or spelling it came from), the
 * identifier, the words missing, and why the record ranks higher or lower. No scores, no factors.
 */

/** How the statement looked for a lexeme: as a word typed, a synonym of one, or a spelling correction of one. */
export interface LexEntry {
  w: string;
  via: string | null;
  how: 'term' | 'synonym' | 'spelling';
  lex: string[];
}

export interface ExplainInput {
  kind: SearchKind;
  status: string | null;
  boost: number;
  strict: boolean;
  exact: boolean;
  retired: boolean;
  ids: string[];
  titleLex: string[];
  bodyLex: string[];
  fixLex: string[];
  /** The weight of an approved boost for this query and record (search analytics, decision 0011). */
  queryBoost?: number | null;
}

const BODY: Record<SearchKind, string> = {
  INCIDENT: 'description',
  PROBLEM: 'description and analysis',
  KNOWN_ERROR: 'description and analysis',
  WORKAROUND: 'problems it works around',
  MODEL: 'description and checklist',
  REVIEW: 'review text',
};
const FIX: Record<SearchKind, string> = {
  INCIDENT: 'resolution notes',
  PROBLEM: 'root cause and fix',
  KNOWN_ERROR: 'root cause and fix',
  WORKAROUND: 'steps',
  MODEL: 'text',
  REVIEW: 'text',
};

const q = (w: string) => `“${w.replace(/"/g, '')}”`;
const quoted = (ws: Iterable<string>) => [...ws].map(q).join(', ');

/** The lexemes as the words they came from: “restart” (a synonym of “reboot”), “password” (for your “pasword”). */
function wordsFor(lexemes: string[], map: LexEntry[]): string[] {
  const out = new Set<string>();
  // In the order of the query; a lexeme of a word typed is that word, not a synonym that shares it.
  const typed = new Set(map.filter((x) => x.how === 'term').flatMap((x) => x.lex));
  for (const e of map) {
    if (!e.lex.some((l) => lexemes.includes(l) && (e.how === 'term' || !typed.has(l)))) continue;
    const via = q(e.via ?? '');
    out.add(e.how === 'synonym' ? `${q(e.w)} (a synonym of ${via})` : e.how === 'spelling' ? `${q(e.w)} (for your ${via})` : q(e.w));
  }
  return [...out];
}

function rankReason(h: ExplainInput): string | null {
  if (h.retired) return 'Listed after current records: it is retired.';
  if (h.kind === 'KNOWN_ERROR' && h.boost > 1)
    return 'Ranked higher: a known error, with a documented root cause and an active workaround.';
  if (h.kind === 'WORKAROUND' && h.boost > 1) return 'Ranked higher: an active workaround.';
  if (h.kind === 'WORKAROUND' && h.boost < 1) return 'Ranked lower: a draft workaround, not approved yet.';
  if (h.kind === 'REVIEW' && h.boost > 1) return 'Ranked higher: a published review.';
  if (h.kind === 'INCIDENT' && h.boost > 1) {
    const clean = h.boost >= 1.29;
    const viaWorkaround = Math.abs(h.boost - 1.2) < 0.01 || h.boost > 1.31;
    const parts = [clean ? 'it was resolved without being reopened' : '', viaWorkaround ? 'a workaround restored service' : ''];
    return `Ranked higher: ${parts.filter(Boolean).join(', and ')}.`;
  }
  return null;
}

export function explainHit(h: ExplainInput, map: LexEntry[]): string[] {
  const out: string[] = [];
  if (h.exact) out.push(`Its own identifier is the one you typed (${h.ids.map((i) => i.toUpperCase()).join(', ') || 'its number'}).`);
  else if (h.ids.length) out.push(`Mentions ${h.ids.map((i) => i.toUpperCase()).join(', ')}, an identifier you typed.`);
  const fields: [string, string[]][] = [
    ['title', h.titleLex],
    [BODY[h.kind], h.bodyLex],
    [FIX[h.kind], h.fixLex],
  ];
  let found = false;
  for (const [field, lex] of fields) {
    const words = wordsFor(lex, map);
    if (!words.length) continue;
    found = true;
    out.push(`${words.join(', ')} in the ${field}.`);
  }
  if (!found && !h.ids.length && !h.exact)
    out.push('Matched through the incidents it fixed: their titles and descriptions use your words.');
  if (!h.strict && !h.exact) {
    const all = [...h.titleLex, ...h.bodyLex, ...h.fixLex];
    const missing = map.filter((e) => e.how === 'term' && !matched(e, all, map)).map((e) => e.w);
    out.push(missing.length ? `Has only some of your words: ${quoted(missing)} not found.` : 'Has only some of your words.');
  }
  const reason = rankReason(h);
  if (reason) out.push(reason);
  if (h.queryBoost)
    out.push(`Ranked higher for this query: an admin approved a boost (x${(1 + h.queryBoost).toFixed(2)}) from what people opened.`);
  return out;
}

/** A typed term matched when one of its lexemes, or of its synonyms' or corrections', is in the record. */
function matched(term: LexEntry, lexemes: string[], map: LexEntry[]): boolean {
  const typed = term.w.toLowerCase().replace(/"/g, '');
  const related = map.filter((e) => e === term || (e.via && e.via.toLowerCase().replace(/"/g, '') === typed));
  return related.some((e) => e.lex.some((l) => lexemes.includes(l)));
}
