import type { EntityManager } from '@mikro-orm/postgresql';
import { connectionPool, type ConnectionPool, type PgClient } from '../../../db/internals';
import { copyRows, CopyWriter, sql } from '../sql-bulk';

/**
 * The text-search vectors of the incidents' search documents, computed ahead on a second
 * connection. An import's writes all go through its transaction's one connection, so one
 * PostgreSQL backend does them one after the other and the import waits for it; of what that
 * backend does, search_tsv (to_tsvector over titles, descriptions and resolution notes) was the
 * largest single part. search_tsv is immutable (a function of its arguments only), so another
 * backend, on the other core, can compute it from the same values while the transaction's backend
 * writes incidents and timelines; the transaction then reads the vectors back (a tsvector's text
 * is parsed several times faster than it is made) instead of computing them.
 *
 * Exact by construction: the other backend computes the document's title, body and identifiers
 * with the view's expressions (search_source_incidents) from the values the import writes, and
 * a hash of them (md5 of the row) goes with each vector. The transaction's insert still reads the
 * view, and uses a vector only where the view gives the same hash for the same incident;
 * anywhere else (the view changed, a value was stored differently) it computes search_tsv itself,
 * as before. If the second connection fails, every vector is computed in the transaction.
 *
 * Only on PostgreSQL servers (COPY): the embedded database serves one connection at a time.
 */

/** One searchable incident as the import writes it: the columns the search view reads. */
export type SideDoc = [
  id: string,
  number: number,
  title: string,
  description: string | null,
  resolutionNotes: string | null,
  externalRef: string | null,
  resolutionCode: string | null,
];

interface PreRow {
  id: string;
  h: string;
  tsv: string;
}

/** The view's body and identifiers (Migration20261127040000_search, search_source_incidents), from the values given. */
const COMPUTE = `select x.id, md5(row(x.title::text, v.body, v.fix, v.identifiers)::text) as h,
    search_tsv(x.title, v.identifiers, v.body, v.fix, '')::text as tsv
  from json_to_recordset($1::json) as x(id uuid, number integer, title varchar, description text, resolution_notes text,
    external_ref varchar, resolution_code varchar)
  cross join lateral (select coalesce(x.description, '') as body, coalesce(x.resolution_notes, '') as fix,
    array_remove(array['inc-' || lpad(x.number::text, 6, '0'), lower(x.external_ref), lower(x.resolution_code)], null)
      || search_codes(concat_ws(' ', x.title, x.description, x.resolution_notes)) as identifiers) v`;

/** A batch's vectors being computed; `started` once the pool gave the connection for it. */
export interface SidePart {
  rows: Promise<PreRow[] | null>;
  started: boolean;
}

export class SearchSide {
  private failed = false;
  private tableReady = false;

  private constructor(private readonly pool: ConnectionPool) {}

  /**
   * null when there is no second connection to be had (not a pooled PostgreSQL server), or when
   * IKB_IMPORT_SEARCH_SIDE=0 (the transaction then computes every vector itself, as before).
   */
  static open(em: EntityManager): SearchSide | null {
    if (process.env.IKB_IMPORT_SEARCH_SIDE === '0') return null;
    const pool = connectionPool(em);
    return pool ? new SearchSide(pool) : null;
  }

  /**
   * Starts computing the vectors of `docs` on a connection of the pool (outside the transaction:
   * a pure function of the values sent), which goes back to the pool right after; null rows when
   * that failed.
   */
  compute(docs: SideDoc[]): SidePart {
    const part: SidePart = { rows: Promise.resolve(null), started: false };
    if (!docs.length || this.failed) return part;
    const json = JSON.stringify(
      docs.map(([id, number, title, description, resolution_notes, external_ref, resolution_code]) => ({
        id,
        number,
        title,
        description,
        resolution_notes,
        external_ref,
        resolution_code,
      })),
    );
    part.rows = (async () => {
      let c: PgClient;
      try {
        c = await this.pool.acquire();
      } catch {
        return null;
      }
      part.started = true;
      try {
        return this.failed ? null : (await c.query<PreRow>(COMPUTE, [json])).rows;
      } catch {
        // E.g. a database without search_codes: the transaction computes them as before.
        this.failed = true;
        return null;
      } finally {
        await this.pool.release(c).catch(() => undefined);
      }
    })();
    return part;
  }

  /**
   * A batch's vectors when they are computed or being computed; null (the transaction computes
   * them) while the pool has not given a connection for them yet: a busy pool never holds up the import.
   */
  async take(part: SidePart | null): Promise<PreRow[] | null> {
    return part?.started ? part.rows : null;
  }

  /**
   * On the transaction's connection: the vectors computed for these documents, into a temporary
   * table that the search insert joins (import_search_pre, dropped at commit). Returns whether
   * there are any.
   */
  async load(em: EntityManager, rows: PreRow[] | null): Promise<boolean> {
    if (!rows?.length) return false;
    if (!this.tableReady) {
      await sql(
        em,
        `create temp table if not exists import_search_pre (entity_id uuid primary key, h text not null, tsv tsvector not null)
          on commit drop`,
      );
      this.tableReady = true;
    } else {
      await sql(em, `truncate import_search_pre`);
    }
    const w = new CopyWriter();
    for (const r of rows) w.line(`${r.id}\t${r.h}\t${copyTsv(r.tsv)}\n`);
    await copyRows(em, 'import_search_pre', ['entity_id', 'h', 'tsv'], w.data());
    return true;
  }
}

/** A tsvector's text in COPY's text format (lexemes may hold backslashes, tabs and line breaks are quoted in it too). */
function copyTsv(text: string): string {
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : text;
}

/** The insert of incident search documents from the view, with the vectors computed ahead where they fit. */
export const SEARCH_INSERT_WITH_PRE = `insert into search_documents
    (entity_id, kind, title, body, identifiers, service_id, category_id, priority, status, occurred_at, boost, retired, fix, learned, tsv)
  select s.entity_id, s.kind, s.title, s.body, s.identifiers, s.service_id, s.category_id, s.priority, s.status, s.occurred_at,
         s.boost, s.retired, s.fix, s.learned, coalesce(p.tsv, search_tsv(s.title, s.identifiers, s.body, s.fix, s.learned))
    from search_source_incidents s
    left join import_search_pre p on p.entity_id = s.entity_id and p.h = md5(row(s.title::text, s.body, s.fix, s.identifiers)::text)
   where s.entity_id in (select value::uuid from json_array_elements_text(?::json))`;
