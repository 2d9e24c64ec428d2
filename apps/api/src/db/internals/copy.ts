import type { EntityManager } from '@mikro-orm/postgresql';
import { withConnection } from './connection';

/** node-postgres's Connection, as a submittable's handlers get it (pg's protocol layer). */
interface PgWire {
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

/** node-postgres's Client: query() takes a "submittable" (an object with submit and handleX methods). */
interface SubmittableClient {
  query(q: unknown): unknown;
}

const drained = (wire: PgWire) =>
  wire.stream.writableNeedDrain ? new Promise<void>((r) => wire.stream.once('drain', () => r())) : undefined;

/**
 * A pg "submittable": sends the COPY statement, then each chunk as one CopyData message written
 * straight to the socket (its 5-byte header, then the chunk itself: pg's sendCopyFromChunk copies
 * a megabyte chunk twice to frame it), minding backpressure. Resolves with the row count of the
 * server's CommandComplete ("COPY n").
 */
class CopyIn {
  private settled = false;
  private count = 0;
  constructor(
    readonly text: string,
    private readonly chunks: Iterable<Buffer>,
    private readonly done: (err: Error | null, count: number) => void,
  ) {}
  submit(connection: { query(text: string): void }) {
    connection.query(this.text);
  }
  async handleCopyInResponse(wire: PgWire) {
    try {
      for (const chunk of this.chunks) {
        if (!chunk.length) continue;
        const header = Buffer.allocUnsafe(5);
        header[0] = 0x64; // 'd'
        header.writeInt32BE(chunk.length + 4, 1);
        wire.stream.write(header);
        wire.stream.write(chunk);
        await drained(wire);
      }
      wire.endCopyFrom();
    } catch (err) {
      wire.sendCopyFail((err as Error).message);
    }
  }
  private finish(err: Error | null) {
    if (this.settled) return;
    this.settled = true;
    this.done(err, this.count);
  }
  handleError(err: Error) {
    this.finish(err);
  }
  handleReadyForQuery() {
    this.finish(null);
  }
  handleCommandComplete(msg: { text?: string }) {
    const n = /^COPY (\d+)$/.exec(msg?.text ?? '');
    if (n) this.count = Number(n[1]);
  }
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
}

/**
 * Runs `copy ... from stdin` (the statement text) with the data in chunks of COPY's text format
 * (each chunk ends on a line break; made as they are sent when the iterable is lazy), on the
 * connection of the EntityManager's transaction, or on a pooled connection outside one. Resolves
 * with the number of rows the server copied. A chunk iterator that throws fails the COPY (and the
 * promise) with its message. Only on PostgreSQL servers: the embedded PGlite cannot take COPY from
 * a client.
 */
export function copyFrom(em: EntityManager, text: string, chunks: Iterable<Buffer>): Promise<number> {
  return withConnection<number, SubmittableClient>(
    em,
    (client) =>
      new Promise<number>((resolve, reject) => {
        client.query(new CopyIn(text, chunks, (err, count) => (err ? reject(err) : resolve(count))));
      }),
  );
}
