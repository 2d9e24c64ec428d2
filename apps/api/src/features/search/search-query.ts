/** Query-side helpers with no I/O: identifier normalisation and the ranking definition. */

export const RANKING_DEFINITION =
  'score = (text + 0.5 x fuzzy title similarity (when >= 0.5) + 1 for an exact identifier) x boost x recency. ' +
  'text: PostgreSQL ts_rank_cd over title and identifiers (weight A) and body (weight C), English stemming. ' +
  'boost: 1.5 active workaround or known error; 1.3 incident resolved without reopening (+0.2 when a workaround restored service); 1.2 published review; 0.8 draft workaround; 1.0 otherwise. ' +
  'recency: 1 + 0.2 x exp(-age in days / 180). Retired workarounds and models are listed after everything else.';

const PREFIX_WIDTH: Record<string, number> = { inc: 6, prb: 5, pir: 4 };

/** Tokens that may be identifiers, normalised as stored: INC-123 -> inc-000123, ORA-01555 -> ora-01555. */
export function identifierTokens(query: string): string[] {
  const out = new Set<string>();
  for (const raw of query.toLowerCase().split(/[\s,;()"']+/)) {
    const token = raw.replace(/^[-+]+/, '').replace(/[.:!?]+$/, '');
    if (!token) continue;
    const m = /^(inc|prb|pir)-?0*(\d{1,9})$/.exec(token);
    if (m) {
      out.add(`${m[1]}-${m[2]!.padStart(PREFIX_WIDTH[m[1]!]!, '0')}`);
      continue;
    }
    if (/^[a-z]{2,10}[-_][a-z0-9]{2,12}$/.test(token) || /^[a-z]{2,}\d{3,}$/.test(token) || /^\d\.\d\.\d{1,3}$/.test(token) || /^[45]\d\d$/.test(token)) out.add(token);
  }
  return [...out];
}

/** Trigram matching needs some text to compare; very short queries rely on full text only. */
export function fuzzyText(query: string): string | null {
  const t = query.replace(/["()]/g, ' ').replace(/(^|\s)-\S+/g, ' ').replace(/\bOR\b/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
  return t.length >= 4 ? t.slice(0, 200) : null;
}
