/**
 * The baseline of `pnpm bench:relevance`: MiniSearch 7 (in-memory BM25+) over the same catalog
 * records as this project's search, read from search_documents (title, body, identifiers), with the
 * options of issue 21: BM25 defaults, fuzzy 0.2, prefix matching, title boosted 2. Query text goes
 * to MiniSearch as typed (its tokenizer drops quotes, OR and minus signs: it has no query syntax).
 */
import MiniSearch from 'minisearch';
import type { Hit, Kind, Searcher, Sql } from './relevance-set';

interface Doc {
  id: string;
  kind: Kind;
  title: string;
  body: string;
  identifiers: string;
  number: string | null;
}

export const BASELINE_OPTIONS = {
  fields: ['title', 'body', 'identifiers'],
  storeFields: ['kind', 'title', 'number'],
  searchOptions: { boost: { title: 2 }, fuzzy: 0.2, prefix: true },
};

/** Indexes every catalog record of the database; returns a searcher over them and how many there are. */
export async function miniSearchBaseline(sql: Sql): Promise<{ search: Searcher; documents: number }> {
  const docs: Doc[] = await sql(
    `select d.entity_id::text as id, d.kind, d.title, d.body, array_to_string(d.identifiers, ' ') as identifiers,
        case when d.kind = 'INCIDENT' then (select 'INC-' || lpad(i.number::text, 6, '0') from incidents i where i.id = d.entity_id)
             when d.kind in ('PROBLEM', 'KNOWN_ERROR') then (select 'PRB-' || lpad(p.number::text, 5, '0') from problems p
               where p.id = d.entity_id)
             when d.kind = 'REVIEW' then (select 'PIR-' || lpad(r.number::text, 4, '0') from reviews r where r.id = d.entity_id)
        end as number
      from search_documents d order by d.entity_id`,
  );
  const index = new MiniSearch<Doc>(BASELINE_OPTIONS);
  index.addAll(docs);
  const search: Searcher = async (text) => ({
    hits: index
      .search(text)
      .slice(0, 10)
      .map((r): Hit => ({ kind: r.kind as Kind, id: String(r.id), title: r.title as string, number: (r.number as string | null) ?? null })),
  });
  return { search, documents: docs.length };
}
