// Serves one PGlite database to many client connections over the PostgreSQL wire protocol.
// PGlite has a single session, so connections take turns at it, and a turn lasts from a
// connection's first message until PGlite answers ReadyForQuery with the session idle: a whole
// Parse/Bind/Execute/Sync batch, or a whole transaction, runs without another connection's
// messages in between. pglite-socket 0.2.17 took turns per message and only kept a connection
// in while a transaction was open, so two pooled clients' batches interleaved ("unnamed prepared
// statement does not exist") and, once its queue threw, every later query waited for ever
// (electric-sql/pglite#1046; backup.test's embedded case hung on it).
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { nextMessageBytes, ResponseTail, splitFrontendMessages, wireError } from './pglite-wire-frames';

export interface WireServerOptions {
  db: PGlite;
  host?: string;
  port?: number;
  /** Connections served at once; the next one gets "too many clients" (default 20). */
  maxConnections?: number;
  /**
   * How long a connection may hold the session while it sends nothing (idle in a transaction, or
   * between Parse and Sync) before it is closed and its work rolled back, so that one stuck client
   * cannot stop every other (default 5 minutes; PostgreSQL's idle_in_transaction_session_timeout).
   */
  idleHoldMs?: number;
}

/** First come, first served: who holds the session now, and who waits for it. */
class Turns {
  private holder: Connection | null = null;
  private readonly waiting: Array<{ conn: Connection; go: (granted: boolean) => void }> = [];

  /** False when the connection went away while it waited. */
  async take(conn: Connection): Promise<boolean> {
    if (this.holder === conn) return true;
    if (this.holder === null) {
      this.holder = conn;
      return true;
    }
    return new Promise<boolean>((go) => this.waiting.push({ conn, go }));
  }

  release(conn: Connection): void {
    if (this.holder !== conn) return;
    const next = this.waiting.shift();
    this.holder = next?.conn ?? null;
    next?.go(true);
  }

  /** A connection that went away stops waiting (it never got the session). */
  forget(conn: Connection): void {
    const i = this.waiting.findIndex((w) => w.conn === conn);
    if (i >= 0) this.waiting.splice(i, 1)[0]!.go(false);
  }

  holds(conn: Connection): boolean {
    return this.holder === conn;
  }
}

class Connection {
  private buffered: Buffer = Buffer.alloc(0);
  /** Chunks not yet joined: a message that comes in many chunks is copied once, when it is whole. */
  private arrived: Buffer[] = [];
  private arrivedBytes = 0;
  /** One batch at a time per connection, in the order the bytes came. */
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private started = false;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly db: PGlite,
    private readonly turns: Turns,
    private readonly onGone: (conn: Connection) => void,
    private readonly idleHoldMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data) => {
      this.stopIdleClock();
      this.arrived.push(data);
      this.arrivedBytes += data.length;
      this.chain = this.chain.then(() => this.drain()).catch((err) => this.fail(err));
    });
    socket.on('error', () => this.end());
    socket.on('close', () => this.end());
  }

  private async drain(): Promise<void> {
    if (this.closed || !this.arrived.length) return;
    const total = this.buffered.length + this.arrivedBytes;
    // The next message's length is in its first 8 bytes: join only the chunks that hold them.
    const head = [this.buffered];
    let got = this.buffered.length;
    for (const chunk of this.arrived) {
      if (got >= 8) break;
      head.push(chunk);
      got += chunk.length;
    }
    const need = nextMessageBytes(Buffer.concat(head, Math.min(total, 8)), this.started);
    if (need !== undefined && total < need) return; // the rest of the message is still on its way
    this.buffered = Buffer.concat([this.buffered, ...this.arrived]);
    this.arrived = [];
    this.arrivedBytes = 0;
    const { messages, rest, reply, terminate, malformed } = splitFrontendMessages(this.buffered, this.started);
    this.buffered = rest;
    if (reply) this.socket.write(reply);
    if (malformed) throw new Error(malformed);
    // PGlite reads a startup packet only on its own; the messages after it go as one batch.
    const batches = !this.started && messages.length > 1 ? [messages.slice(0, 1), messages.slice(1)] : [messages];
    for (const batch of batches) {
      if (!batch.length) continue;
      this.started = true;
      if (!(await this.turns.take(this)) || this.closed) return;
      const tail = new ResponseTail();
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(Buffer.concat(batch), {
          onRawData: (out) => {
            tail.feed(out);
            if (!this.closed && this.socket.writable) this.socket.write(out);
          },
        }),
      );
      // Idle after a Sync or a simple query: the next connection's turn.
      if (tail.readyStatus === 'I') this.turns.release(this);
    }
    if (terminate) this.end();
    else if (this.turns.holds(this)) this.startIdleClock();
  }

  private startIdleClock(): void {
    this.stopIdleClock();
    this.idle = setTimeout(() => {
      if (this.closed || !this.turns.holds(this)) return;
      const why = 'terminating connection due to idle-in-transaction timeout (embedded database: others were waiting)';
      if (this.socket.writable) this.socket.write(wireError('25P03', why));
      this.end();
    }, this.idleHoldMs);
    this.idle.unref();
  }

  private stopIdleClock(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }

  private fail(err: unknown): void {
    if (!this.closed && this.socket.writable) {
      this.socket.write(wireError('08P01', `protocol error: ${err instanceof Error ? err.message : String(err)}`));
    }
    this.end();
  }

  /** Gone mid-batch or mid-transaction: end PGlite's batch and roll back before the next turn. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopIdleClock();
    this.socket.destroy();
    this.turns.forget(this);
    this.chain = this.chain
      .then(async () => {
        if (!this.turns.holds(this)) return;
        await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC, { onRawData: () => {} }));
        // exec takes PGlite's lock itself (runExclusive is not reentrant).
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
      })
      .catch(() => {})
      .finally(() => {
        this.turns.release(this);
        this.onGone(this);
      });
  }

  /** Resolves once this connection let go of the session. */
  get done(): Promise<void> {
    return this.chain;
  }
}

const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

export class PGliteWireServer {
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly turns = new Turns();

  constructor(private readonly opts: WireServerOptions) {}

  async start(): Promise<{ host: string; port: number }> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the embedded database did not get a TCP port');
    return { host: address.address, port: address.port };
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= (this.opts.maxConnections ?? 20)) {
      socket.on('error', () => {});
      socket.write(wireError('53300', 'sorry, too many clients already (embedded database)'), () => socket.destroy());
      return;
    }
    const conn = new Connection(socket, this.opts.db, this.turns, (c) => this.connections.delete(c), this.opts.idleHoldMs ?? 300_000);
    this.connections.add(conn);
  }

  /** Stops listening, ends every connection (rolling back what they left open) and waits for them. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    const all = [...this.connections];
    for (const conn of all) conn.end();
    await Promise.all(all.map((c) => c.done));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
