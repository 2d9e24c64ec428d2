import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres } from '../embedded-postgres';
import { migrate, openOrm } from '../orm';

/**
 * For the tests of db/internals (not a test itself): the databases they run on. The DATABASE_URL
 * server when it is set, and the embedded PostgreSQL (PGlite behind its socket server) always.
 */
export type DatabaseKind = 'server' | 'embedded';
export const DATABASES: DatabaseKind[] = [...(process.env.DATABASE_URL ? (['server'] as const) : []), 'embedded'];
/** For what does not depend on the database's kind: the server when there is one. */
export const FIRST_DATABASE: DatabaseKind = DATABASES[0]!;

export interface TestDatabase {
  orm: MikroORM;
  url: string;
  close(): Promise<void>;
}

/** Runs one statement on the server's maintenance database (create and drop database). */
async function onServer(statement: string): Promise<void> {
  const admin = await openOrm(process.env.DATABASE_URL!, { poolMax: 1 });
  try {
    await admin.em.getConnection().execute(statement);
  } finally {
    await admin.close(true);
  }
}

/**
 * An ORM on a database of this kind. `fresh`: a database of its own built by the migrations (a new
 * one on the server, dropped at close); else the server's maintenance database, where the tests
 * write nothing but temporary tables. The embedded database is always a fresh one.
 */
export async function openTestDatabase(kind: DatabaseKind, opts: { fresh?: boolean; poolMax?: number } = {}): Promise<TestDatabase> {
  const poolMax = opts.poolMax ?? 4;
  if (kind === 'embedded') {
    const embedded = await startEmbeddedPostgres();
    const orm = await openOrm(embedded.url, { poolMax });
    if (opts.fresh) await migrate(orm);
    return {
      orm,
      url: embedded.url,
      async close() {
        await orm.close(true);
        await embedded.stop();
      },
    };
  }
  const server = process.env.DATABASE_URL!;
  if (!opts.fresh) {
    const orm = await openOrm(server, { poolMax });
    return { orm, url: server, close: () => orm.close(true) };
  }
  const name = `ikb_internals_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await onServer(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const drop = () => onServer(`drop database if exists ${name} with (force)`);
  const orm = await openOrm(url.toString(), { poolMax });
  try {
    await migrate(orm);
  } catch (err) {
    await orm.close(true);
    await drop();
    throw err;
  }
  return {
    orm,
    url: url.toString(),
    async close() {
      await orm.close(true);
      await drop();
    },
  };
}
