import type { EntityManager } from '@mikro-orm/postgresql';
import { rowAsEntity } from '../../db/internals';
import { AppError } from '../../errors';
import { Incident } from '../incidents/incident.entity';
import { OPEN_STATUS_SQL } from '../incidents/status-sql';
import type { DuplicateCheckInput, DuplicateIncident } from './duplicates.types';
import { searchCatalog, type RunSql, type SynonymMatcher } from './search.service';

/** Below this title similarity an incident needs shared words to count as alike. */
const TITLE_SIMILAR = 0.45;
const DESCRIPTION_CHARS = 2000;

const FILLER = new Set('the and for from with was were has have not are but its this that into after before over under'.split(' '));

/** Distinct words of 3+ letters (or any number), lower-cased, without filler: what a person calls "the same words". */
function wordsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}._-]*/gu) ?? []) {
    const word = w.replace(/[._-]+$/, '');
    if ((word.length >= 3 || /^\d+$/.test(word)) && !FILLER.has(word)) out.add(word);
  }
  return out;
}

/**
 * Open incidents like the one being logged: those with at least two of the title's terms (English
 * stemming, as the catalog search; one when the title has one) in their title or description, or
 * a title at least 45 % similar (pg_trgm). One statement over the open incidents (the status
 * index); most alike first.
 */
export async function openDuplicates(em: EntityManager, input: DuplicateCheckInput): Promise<DuplicateIncident[]> {
  const title = input.title.trim();
  const rows = await em.execute<(Record<string, unknown> & { score: number; sim: number })[]>(
    `with q as materialized (
       select array(select lexeme from unnest(to_tsvector('english', ?)) where length(lexeme) <= 40 order by lexeme limit 16) as lex
     )
     select i.*, 0.6 * s.shared / greatest(cardinality(q.lex), 1) + 0.4 * s.sim as score, s.sim from incidents i, q,
       lateral (select
         (select count(*) from unnest(q.lex) l
           where to_tsvector('english', i.title || ' ' || left(i.description, ${DESCRIPTION_CHARS})) @@ quote_literal(l)::tsquery)::int
           as shared,
         similarity(lower(i.title), lower(?))::float8 as sim) s
     where i.status in ${OPEN_STATUS_SQL}
       and ((cardinality(q.lex) > 0 and s.shared >= least(2, cardinality(q.lex))) or s.sim >= ${TITLE_SIMILAR})
     order by score desc, i.opened_at desc, i.id
     limit ?`,
    [title, title, input.first],
  );
  const typed = wordsOf(title);
  return rows.map(({ score, sim, ...row }) => {
    const incident = rowAsEntity(em.getMetadata(), Incident, row);
    const theirs = wordsOf(`${incident.title} ${incident.description.slice(0, DESCRIPTION_CHARS)}`);
    const same = [...typed].filter((w) => theirs.has(w)).slice(0, 6);
    const reasons = [
      ...(same.length ? [`same words: ${same.map((w) => `"${w}"`).join(', ')}`] : []),
      ...(Number(sim) >= 0.3 ? [`title ${Math.round(Number(sim) * 100)} % similar`] : []),
    ];
    return { incident, score: Number(score), reasons };
  });
}

/** The title as plain words for the catalog search: its syntax (quotes, -exclusions, OR) is not meant here. */
export function plainQuery(title: string): string {
  return title
    .replace(/["“”]/g, ' ')
    .replace(/(^|\s)[-+]+/g, '$1')
    .replace(/\bOR\b/g, 'or')
    .trim();
}

/** Known errors with an active workaround whose text matches the title: the catalog search, KNOWN_ERROR only. */
export async function knownErrorDuplicates(sql: RunSql, input: DuplicateCheckInput, synonyms: SynonymMatcher) {
  const query = plainQuery(input.title);
  // Punctuation alone gives the search nothing to look for (it would refuse it): nothing is alike.
  if (!/[\p{L}\p{N}]/u.test(query)) return [];
  try {
    const found = await searchCatalog(sql, { query, kinds: ['KNOWN_ERROR'] }, input.first, null, synonyms);
    return found.nodes.map((h) => ({ id: h.id, score: h.score, reason: h.reason }));
  } catch (err) {
    // A title of filler words only ("the and of") is no query for the search; for a duplicate check it just matches nothing.
    if (err instanceof AppError && err.extensions.field === 'input.query') return [];
    throw err;
  }
}
