import type { EntityManager } from '@mikro-orm/postgresql';
import { CLOCK_COLUMNS_LIST } from './import-sla';
import { SEARCH_INSERT_WITH_PRE, type SearchSide, type SideDoc, type SidePart } from './search-side';
import { bulkInsert, canCopy, copyRows, CopyWriter, IN_UUID, jsonList, recordset, sql } from '../sql-bulk';
import { EVENT_COLUMNS, INCIDENT_COLUMNS, UPDATE_COLUMNS } from './rows';

/**
 * One batch of rows to write. When the database takes COPY, new incidents, events and clocks are
 * encoded as they are made (CopyWriter); otherwise they are kept as rows for json_to_recordset.
 */
export class Batch {
  /** New incidents (rows; without COPY). */
  incidents: Record<string, unknown>[] = [];
  updates: Record<string, unknown>[] = [];
  replacedClocks: string[] = [];
  events: unknown[][] = [];
  clocks: Record<string, unknown>[] = [];
  readonly incidentCopy = new CopyWriter();
  /** Events in COPY's text format (id first). */
  readonly eventCopy = new CopyWriter();
  readonly clockCopy = new CopyWriter();
  /** New incidents in the batch (either way). */
  created = 0;
  /** Incidents whose search document is rebuilt from the search view. */
  searchIds: string[] = [];
  /** The searchable ones, for their vectors computed ahead (search-side.ts), and those vectors. */
  sideDocs: SideDoc[] = [];
  searchPre: SidePart | null = null;
}

/**
 * Writes batches in order on the transaction's connection. On PostgreSQL the COPY statements run
 * one after the other in the background (a promise chain), so the server works while the next
 * batch is built here; the embedded database takes each batch before the next is built.
 */
export class BatchWriter {
  private tail: Promise<unknown> = Promise.resolve();
  /** Done when the previous batch's statements are (see write). */
  private previous: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  side: SearchSide | null = null;
  private constructor(
    private readonly em: EntityManager,
    readonly copy: boolean,
  ) {}

  static async open(em: EntityManager): Promise<BatchWriter> {
    return new BatchWriter(em, await canCopy(em));
  }

  private run(start: () => Promise<unknown>) {
    // After a failure the transaction is aborted: nothing more is sent; finish() reports it.
    this.tail = this.tail
      .then(() => (this.failure ? undefined : start()))
      .catch((err) => {
        this.failure ??= err;
      });
  }

  async write(b: Batch): Promise<void> {
    const em = this.em;
    if (!this.copy) {
      await bulkInsert(em, 'incidents', INCIDENT_COLUMNS, b.incidents);
      await this.update(b);
      await bulkInsert(
        em,
        'incident_events',
        EVENT_COLUMNS,
        b.events.map((e) => Object.fromEntries(EVENT_COLUMNS.map(([n], i) => [n, e[i]]))),
        { generatedId: true },
      );
      await bulkInsert(em, 'sla_clocks', CLOCK_COLUMNS_LIST, b.clocks);
      if (b.searchIds.length) await this.search(b.searchIds);
      return;
    }
    // At most one batch waits behind the one being written: when the database is the slower side,
    // the builder waits here instead of queueing every batch in memory (where each batch's rows,
    // still alive, were copied by every young-generation collection: seconds of the import's GC).
    const older = this.previous;
    this.previous = this.tail;
    await older;
    if (b.incidentCopy.rows)
      this.run(() =>
        copyRows(
          em,
          'incidents',
          INCIDENT_COLUMNS.map(([n]) => n),
          b.incidentCopy.data(),
        ),
      );
    if (b.updates.length) {
      // Statements on one connection run in order: the update waits for the copies before it.
      await this.drain();
      await this.update(b);
    }
    if (b.eventCopy.rows) this.run(() => copyRows(em, 'incident_events', ['id', ...EVENT_COLUMNS.map(([n]) => n)], b.eventCopy.data()));
    if (b.clockCopy.rows)
      this.run(() =>
        copyRows(
          em,
          'sla_clocks',
          CLOCK_COLUMNS_LIST.map(([n]) => n),
          b.clockCopy.data(),
        ),
      );
    if (b.searchIds.length) this.run(() => this.search(b.searchIds, b.searchPre));
  }

  /** Search documents rebuilt from the same view the row triggers use (they are off meanwhile). */
  private async search(ids: string[], pre: Batch['searchPre'] = null) {
    const part = jsonList(ids);
    await sql(this.em, `delete from search_documents where entity_id in ${IN_UUID}`, [part]);
    if (this.side && (await this.side.load(this.em, await this.side.take(pre)))) {
      await sql(this.em, SEARCH_INSERT_WITH_PRE, [part]);
      return;
    }
    await sql(
      this.em,
      `insert into search_documents (entity_id, kind, title, body, identifiers, service_id, category_id, priority, status, occurred_at,
                                     boost, retired, fix, learned, tsv)
       select s.entity_id, s.kind, s.title, s.body, s.identifiers, s.service_id, s.category_id, s.priority, s.status, s.occurred_at,
              s.boost, s.retired, s.fix, s.learned, search_tsv(s.title, s.identifiers, s.body, s.fix, s.learned)
         from search_source_incidents s where s.entity_id in ${IN_UUID}`,
      [part],
    );
  }

  private async update(b: Batch) {
    if (!b.updates.length) return;
    const names = UPDATE_COLUMNS.map(([n]) => n);
    await sql(
      this.em,
      `update incidents i set (${names.join(', ')}) = (${names.map((n) => `x.${n}`).join(', ')}), version = i.version + 1
         from ${recordset([['id', 'uuid'], ...UPDATE_COLUMNS])} where i.id = x.id`,
      [JSON.stringify(b.updates)],
    );
    // COPY cannot upsert: an updated incident's clocks are replaced.
    await sql(this.em, `delete from sla_clocks where incident_id in ${IN_UUID}`, [jsonList(b.replacedClocks)]);
  }

  private async drain() {
    await this.tail;
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<void> {
    await this.drain();
  }
}
