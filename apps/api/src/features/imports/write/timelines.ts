import { randomUUID } from 'node:crypto';
import { isResolved } from '@ikb/domain';
import { formatIncidentNumber } from '../../incidents/incident.entity';
import type { AssembledIncident, Snap } from '../file/assemble';
import { copyJson, copyText, orderedUuids } from '../sql-bulk';
import { Batch, type BatchWriter } from './batch-writer';
import { changedFields, type DbState } from './db-state';
import { clockRows, CLOCK_COLUMNS_LIST, SLA_EVENT_KINDS, type PolicyBook, type SlaEventLike } from './import-sla';
import { INCIDENT_COLUMNS, incidentRow } from './rows';
import type { SearchSide } from './search-side';
import type { SearchWords } from './search-words';
import { place, type DraftEvent, type EventWriter } from './timeline-events';
import type { Planned } from './plan';
import type { WriteResult } from './write-result';

export interface TimelineContext {
  events: EventWriter;
  /** Null in a dry run: everything is worked out, nothing written. */
  writer: BatchWriter | null;
  side: SearchSide | null;
  words: SearchWords | null;
  /** SLA policies (null in a dry run) and the stored clock-relevant events of updated incidents. */
  book: PolicyBook | null;
  stored: Map<string, SlaEventLike[]>;
  source: string;
  runId: string;
  now: Date;
  matchById: boolean;
  /** The file is an event log: an update continues from the last row imported. */
  eventLog: boolean;
  sourceGiven: boolean;
  result: WriteResult;
  /** Problem timeline rows: the new problems' and every link or unlink the incidents' timelines make. */
  problemEvents: Record<string, unknown>[];
  total: number;
  progress: (fraction: number, label: string) => void;
}

const BATCH = 2000;
// The database is fed from this thread (the next COPY starts, a full socket drains, only when the
// event loop runs): building a whole batch without yielding left it waiting for us. A few
// milliseconds of building at a time keeps it busy.
const YIELD_EVERY = 50;
const yieldToIo = () => new Promise<void>((r) => setImmediate(r));
const SLA_KINDS = new Set<string>(SLA_EVENT_KINDS);

/**
 * Rebuilds each planned incident's timeline, row and SLA clocks, a batch at a time: while the
 * database writes one batch (COPY, queued on the transaction's connection), the next one is built
 * here.
 */
export class TimelineWriter {
  private batch = new Batch();
  private done = 0;
  private readonly copying: boolean;
  private readonly eventId = orderedUuids();
  private readonly newId = orderedUuids();
  private readonly nowIso: string;
  /** Events of one row share their time: each instant is written out once. */
  private readonly isoCache = new Map<number, string>();

  constructor(private readonly c: TimelineContext) {
    this.copying = c.writer?.copy ?? false;
    this.nowIso = c.now.toISOString();
  }

  private meta(inc: AssembledIncident) {
    return { source: this.c.source, runId: this.c.runId, seq: inc.lastSeq, importedAt: this.nowIso, row: inc.final.row };
  }

  /** A new incident: logged as it first was, then every later state; dates of the first state count from opening. */
  async create(p: Planned, numberValue: number): Promise<void> {
    const { c, batch } = this;
    const { inc, target } = p;
    const id = inc.id && c.matchById ? inc.id : this.newId();
    const number = formatIncidentNumber(numberValue);
    const floor = { t: target.openedAt.getTime() };
    const list: DraftEvent[] = [];
    const incidentSource = (c.sourceGiven && inc.final.source) || 'IMPORT';
    const first = p.states[0];
    const fresh: DbState = {
      ...first,
      status: 'NEW',
      holdReason: null,
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
      resolutionKind: null,
      resolutionCode: null,
      resolutionNotes: null,
      userConfirmed: null,
      problemId: null,
      reopenCount: 0,
      reassignmentCount: first.reassignmentCount,
      verdict: first.verdict,
    };
    const firstData = { import: { source: c.source, ref: inc.key, row: inc.snaps[0].row, runId: c.runId } };
    list.push(...place([c.events.logged(number, inc.key, fresh, inc.snaps[0], inc.externalRef, incidentSource)], floor, firstData));
    let prev = fresh;
    for (let k = 0; k < inc.snaps.length; k++) {
      const s = inc.snaps[k];
      const st = p.states[k];
      list.push(...place(c.events.step(prev, st, s.at, s), floor, null));
      prev = st;
    }
    const sla: SlaEventLike[] = [];
    const lastSeq = this.eventsOf(id, number, target.title, list, 0, sla);
    const policyVersionId = this.clocksOf(id, sla, null, target.serviceId);
    batch.searchIds.push(id);
    this.searchable(id, numberValue, target, inc.externalRef);
    const row = incidentRow(id, numberValue, target, {
      source: incidentSource,
      externalRef: inc.externalRef,
      eventSeq: lastSeq,
      policyVersionId,
      hash: inc.hash,
      meta: this.meta(inc),
      now: c.now,
    });
    if (this.copying) batch.incidentCopy.values(INCIDENT_COLUMNS.map(([n]) => row[n as keyof typeof row]));
    else batch.incidents.push(row);
    batch.created++;
    c.result.changes.push({ ref: inc.key, number: c.writer ? number : null, action: 'create', fields: [] });
    c.result.incidentIds.push(id);
    await this.next(batch.created >= BATCH);
  }

  /** A stored incident: an event log continues from the last row imported; anything else is one step to the new state. */
  async update(p: Planned): Promise<void> {
    const { c, batch } = this;
    const { inc, target } = p;
    const cur = p.ex!;
    const number = formatIncidentNumber(cur.number);
    const floor = { t: target.openedAt.getTime() };
    const list: DraftEvent[] = [];
    const data = (s: Snap) => ({ import: { source: c.source, ref: inc.key, row: s.row, runId: c.runId } });
    const watermark = cur.importMeta?.seq ?? null;
    const fresh = c.eventLog && watermark !== null ? inc.snaps.flatMap((s, k) => (s.seq !== null && s.seq > watermark ? [k] : [])) : [];
    let prev = cur.state;
    for (const k of fresh) {
      const s = inc.snaps[k];
      list.push(...place(c.events.step(prev, p.states[k], s.at, s), floor, data(s)));
      prev = p.states[k];
    }
    if (changedFields(prev, target).length)
      list.push(...place(c.events.step(prev, target, inc.final.at > c.now ? c.now : inc.final.at, inc.final), floor, data(inc.final)));
    const sla: SlaEventLike[] = [];
    const lastSeq = this.eventsOf(cur.id, number, target.title, list, cur.eventSeq, sla);
    const serviceChanged = target.serviceId !== cur.state.serviceId;
    const policyVersionId = this.clocksOf(cur.id, sla, serviceChanged ? null : cur.slaPolicyVersionId, target.serviceId);
    batch.updates.push(
      incidentRow(cur.id, cur.number, target, {
        source: '',
        externalRef: cur.externalRef,
        eventSeq: lastSeq,
        policyVersionId,
        hash: inc.hash,
        meta: this.meta(inc),
        now: c.now,
      }),
    );
    batch.replacedClocks.push(cur.id);
    batch.searchIds.push(cur.id);
    this.searchable(cur.id, cur.number, target, cur.externalRef);
    c.result.changes.push({ ref: inc.key, number, action: 'update', fields: p.fields });
    c.result.incidentIds.push(cur.id);
    await this.next(batch.updates.length >= BATCH);
  }

  /** Hands the last batch to the writer. */
  async finish(): Promise<void> {
    await this.flush(true);
  }

  /** A resolved incident has a search document: its words and its vector computed ahead (search-side.ts). */
  private searchable(id: string, number: number, target: DbState, externalRef: string | null) {
    if (!isResolved(target.status)) return;
    this.c.words?.add(target.title, target.description, target.resolutionNotes);
    if (this.c.side)
      this.batch.sideDocs.push([id, number, target.title, target.description, target.resolutionNotes, externalRef, target.resolutionCode]);
  }

  private async next(full: boolean) {
    this.done++;
    if (full) await this.flush();
    else if (this.done % YIELD_EVERY === 0) await yieldToIo();
  }

  private async flush(last = false) {
    const { c } = this;
    if (c.side && this.batch.sideDocs.length) this.batch.searchPre = c.side.compute(this.batch.sideDocs);
    if (c.writer) await c.writer.write(this.batch);
    this.batch = new Batch();
    this.isoCache.clear();
    c.progress(0.25 + 0.5 * (this.done / Math.max(1, c.total)), last ? 'finishing writes' : 'rebuilding timelines and writing');
    // Let the connection send what is queued while the next batch is built.
    await new Promise((r) => setImmediate(r));
  }

  private eventsOf(incidentId: string, number: string, title: string, list: DraftEvent[], firstSeq: number, sla: SlaEventLike[]) {
    const { batch, c } = this;
    let seq = firstSeq;
    for (const e of list) {
      seq++;
      const t = e.at.getTime();
      let atIso = this.isoCache.get(t);
      if (atIso === undefined) this.isoCache.set(t, (atIso = e.at.toISOString()));
      const actor = e.actor.length > 200 ? e.actor.slice(0, 200) : e.actor;
      if (this.copying) {
        // Written straight in COPY's text format: this is the biggest table of an import.
        batch.eventCopy.line(
          `${this.eventId()}\t${incidentId}\t${seq}\t${atIso}\t${this.nowIso}\t${copyText(actor)}\t${e.kind}\t${copyText(e.summary)}\t` +
            `${copyJson(e.before)}\t${copyJson(e.after)}\t${copyJson(e.data)}\n`,
        );
      } else {
        batch.events.push([incidentId, seq, atIso, this.nowIso, actor, e.kind, e.summary, e.before, e.after, e.data]);
      }
      c.result.events++;
      if (SLA_KINDS.has(e.kind)) sla.push({ kind: e.kind, at: e.at, seq, after: e.after });
      if (e.kind === 'PROBLEM_LINKED' || e.kind === 'PROBLEM_UNLINKED') {
        const linked = e.kind === 'PROBLEM_LINKED';
        c.problemEvents.push({
          id: randomUUID(),
          problem_id: linked ? e.after!.problemId : e.before!.problemId,
          at: e.at,
          actor_name: e.actor.slice(0, 200),
          kind: linked ? 'INCIDENT_LINKED' : 'INCIDENT_UNLINKED',
          summary: `${linked ? 'Linked' : 'Unlinked'} ${number}${linked ? `: ${title}` : ''}`,
          data: { incidentId, ...(e.data ? { import: e.data.import } : {}) },
        });
      }
    }
    return seq;
  }

  private clocksOf(id: string, sla: SlaEventLike[], versionId: string | null, serviceId: string | null): string | null {
    const { book, stored, now } = this.c;
    if (!book) return null;
    const version = (versionId && book.byId(versionId)) || book.currentFor(serviceId);
    const rows = clockRows(id, [...(stored.get(id) ?? []), ...sla], version, now);
    if (this.copying) for (const r of rows) this.batch.clockCopy.values(CLOCK_COLUMNS_LIST.map(([n]) => r[n]));
    else this.batch.clocks.push(...rows);
    return version.version.id;
  }
}
