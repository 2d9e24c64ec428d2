import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@ikb/api/src/db/embedded-postgres';

/**
 * The embedded database's wire server (apps/api/src/db/pglite-wire.ts) with real pg clients: one
 * PGlite session shared in turns. Concurrent extended-protocol batches from a pool never
 * interleave; a client that dies mid-batch or mid-transaction leaves nothing behind; bytes that
 * are not PostgreSQL's protocol close that connection only.
 */
let db: EmbeddedPostgres;
let url: URL;
// On disk, as the app runs it: PGlite's file system work between messages is what let another
// connection's message in.
const dataDir = mkdtempSync(join(tmpdir(), 'ikb-wire-'));

beforeAll(async () => {
  db = await startEmbeddedPostgres({ dataDir });
  url = new URL(db.url);
  const c = new Client({ connectionString: db.url });
  await c.connect();
  await c.query('create table wire_t (id int primary key, v text not null)');
  await c.end();
}, 60_000);
afterAll(async () => {
  await db?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const stillServes = async () => {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>('select $1::int + 1 as n', [41]);
    expect(rows[0]!.n).toBe(42);
    // Nothing left open by whoever came before.
    expect((await c.query<{ s: string }>(`select current_setting('transaction_isolation') as s`)).rows).toHaveLength(1);
  } finally {
    await c.end();
  }
};

/** Raw bytes to the server; resolves with what came back once it closed the connection (or after `ms`). */
function rawExchange(bytes: Buffer, ms = 2_000): Promise<{ reply: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s: Socket = connect(Number(url.port), url.hostname);
    const done = (closed: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ reply: Buffer.concat(chunks), closed });
    };
    const timer = setTimeout(() => done(false), ms);
    s.on('data', (d) => chunks.push(d));
    s.on('close', () => done(true));
    s.on('error', () => {});
    s.on('connect', () => s.write(bytes));
  });
}

describe('embedded database wire server', () => {
  it('keeps each batch whole: 8 pooled clients, 800 parameterised queries at once (some of 200 KB), each answer its own', async () => {
    const pool = new Pool({ connectionString: db.url, max: 8 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 800 }, async (_, i) => {
          // Different statements, shapes and types, so a crossed Bind would fail or answer wrongly.
          if (i % 3 === 0) return (await pool.query<{ x: number }>('select $1::int * 2 as x', [i])).rows[0]!.x === i * 2;
          // A parameter larger than a socket read: its Bind arrives in pieces, after its Parse.
          if (i % 10 === 1)
            return (await pool.query<{ n: number }>('select length($1::text) as n', ['x'.repeat(200_000 + i)])).rows[0]!.n === 200_000 + i;
          if (i % 3 === 1)
            return (await pool.query<{ t: string }>('select $1::text || $2::text as t', [`a${i}`, 'b'])).rows[0]!.t === `a${i}b`;
          await pool.query('insert into wire_t (id, v) values ($1, $2) on conflict (id) do update set v = excluded.v', [i, `v${i}`]);
          return (await pool.query<{ v: string }>('select v from wire_t where id = $1', [i])).rows[0]!.v === `v${i}`;
        }),
      );
      expect(answers.filter((ok) => !ok)).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('runs a transaction alone: another connection waits for its commit and sees all of it or none', async () => {
    const a = new Client({ connectionString: db.url });
    const b = new Client({ connectionString: db.url });
    await a.connect();
    await b.connect();
    try {
      await a.query('begin');
      await a.query('insert into wire_t (id, v) values (10001, $1)', ['in tx']);
      let seen: number | undefined;
      const reader = b.query<{ n: number }>('select count(*)::int as n from wire_t where id = 10001').then((r) => (seen = r.rows[0]!.n));
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toBeUndefined(); // waiting for a's turn to end
      await a.query('insert into wire_t (id, v) values (10002, $1)', ['in tx']);
      await a.query('commit');
      await reader;
      expect(seen).toBe(1);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('rolls back the transaction of a client that vanished, and serves the others', async () => {
    const a = new Client({ connectionString: db.url });
    a.on('error', () => {}); // its own connection, cut below
    await a.connect();
    await a.query('begin');
    await a.query('insert into wire_t (id, v) values (20001, $1)', ['never committed']);
    (a as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
    await stillServes();
    const c = new Client({ connectionString: db.url });
    await c.connect();
    expect((await c.query('select 1 from wire_t where id = 20001')).rowCount).toBe(0);
    await c.end();
  });

  it('ends the batch of a client that vanished between Parse and Sync', async () => {
    const parse = frame('P', Buffer.concat([cstr(''), cstr('select 1'), Buffer.from([0, 0])]));
    const { closed } = await rawExchange(Buffer.concat([startup(), parse]), 500);
    expect(closed).toBe(false); // the server waited for the rest of the batch; we hung up instead
    await stillServes();
  });

  it('closes a connection that holds the session idle past the limit, rolls it back and serves the one waiting', async () => {
    const short = await startEmbeddedPostgres({ idleHoldMs: 400 });
    try {
      const a = new Client({ connectionString: short.url });
      a.on('error', () => {}); // told, then cut
      await a.connect();
      await a.query('create table held (n int)');
      await a.query('begin');
      await a.query('insert into held values (1)');
      const started = Date.now();
      // b's startup already waits for a's turn to end.
      const b = new Client({ connectionString: short.url });
      await b.connect();
      const { rows } = await b.query<{ n: number }>('select count(*)::int as n from held');
      expect(rows[0]!.n).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      await expect(a.query('select 1')).rejects.toThrow();
      await b.end();
    } finally {
      await short.stop();
    }
  });

  it('answers an SSL request with N and then serves the connection', async () => {
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    const query = frame('Q', cstr('select 7 as seven'));
    const { reply } = await rawExchange(Buffer.concat([ssl, startup(), query, frame('X', Buffer.alloc(0))]));
    expect(reply.subarray(0, 1).toString()).toBe('N');
    expect(reply.includes(Buffer.from('seven'))).toBe(true);
  });

  it('closes a connection that sends no protocol, a huge length or an unknown version, and serves the rest', async () => {
    const badLength = Buffer.concat([startup(), Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff])]);
    const version2 = Buffer.alloc(8);
    version2.writeInt32BE(8, 0);
    version2.writeInt32BE(0x00020000, 4);
    for (const bytes of [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), badLength, version2, Buffer.from([0, 0, 0, 1, 0, 0, 0, 0])]) {
      const { closed } = await rawExchange(bytes);
      expect(closed, bytes.toString('hex').slice(0, 40)).toBe(true);
    }
    await stillServes();
  });

  it('survives 300 connections of random bytes after a valid startup, each alone or three at once', async () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const junk = () => {
      const b = Buffer.alloc(1 + Math.floor(rand() * 64));
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(rand() * 256);
      // Now and then a plausible type byte and a small length, so PGlite itself reads garbage.
      if (rand() < 0.5) {
        b[0] = 'PBDEQSHCd'.charCodeAt(Math.floor(rand() * 9));
        if (b.length >= 5) b.writeInt32BE(4 + Math.min(b.length - 5, Math.floor(rand() * 16)), 1);
      }
      return Buffer.concat([startup(), b]);
    };
    for (let round = 0; round < 100; round++) await Promise.all([junk(), junk(), junk()].map((b) => rawExchange(b, 150)));
    await stillServes();
  }, 120_000);

  it('refuses the connection past its limit with "too many clients", and takes new ones once some close', async () => {
    // The junk connections above are let go as their close events arrive.
    await new Promise((r) => setTimeout(r, 300));
    const clients = Array.from({ length: 20 }, () => new Client({ connectionString: db.url }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const extra = new Client({ connectionString: db.url });
      await expect(extra.connect()).rejects.toThrow(/too many clients/);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    await new Promise((r) => setTimeout(r, 100));
    await stillServes();
  });
});

function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

function frame(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

function startup(): Buffer {
  const body = Buffer.concat([cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), Buffer.from([0])]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, body]);
}
