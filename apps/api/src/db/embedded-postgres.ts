import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { lockDataDir } from './embedded-lock';
import { PGliteWireServer } from './pglite-wire';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves a PGlite database over the PostgreSQL wire protocol so the API uses the same driver,
 * pool and SQL as against a real server. `dataDir` undefined keeps the database in memory.
 */
export async function startEmbeddedPostgres(
  opts: { dataDir?: string; port?: number; idleHoldMs?: number } = {},
): Promise<EmbeddedPostgres> {
  let dataDir: string | undefined;
  let release = () => {};
  if (opts.dataDir) {
    dataDir = join(opts.dataDir, 'pg');
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(opts.dataDir);
  }
  try {
    const db = await PGlite.create({ dataDir, extensions: { pg_trgm } });
    // One session shared in turns: while a batch or a transaction runs, the other connections wait.
    const server = new PGliteWireServer({ db, host: '127.0.0.1', port: opts.port ?? 0, maxConnections: 20, idleHoldMs: opts.idleHoldMs });
    const { host, port } = await server.start();
    return {
      url: `postgres://postgres:postgres@${host}:${port}/postgres`,
      async stop() {
        await server.stop();
        await db.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
