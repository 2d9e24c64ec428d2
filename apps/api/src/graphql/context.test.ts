import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { expect, test } from 'vitest';
import type { Authenticated } from '../features/auth/auth.service';
import { createContext } from './context';

/** A stand-in ORM that counts forks and records which EntityManager ran a raw statement. */
function fakeOrm() {
  const calls = { forks: 0, executedOn: [] as string[] };
  const em = (name: string) => ({ name, execute: async () => calls.executedOn.push(name) }) as unknown as EntityManager;
  const orm = {
    em: {
      fork: () => (calls.forks++, em(`fork${calls.forks}`)),
      getConnection: () => ({ execute: async () => calls.executedOn.push('pool') }),
    },
    getMetadata: () => ({}),
  } as unknown as MikroORM;
  return { orm, calls, em };
}

/** What Apollo Server does with the context of every request (ApolloServer.js, cloneObject). */
const apolloCopy = <T extends object>(o: T): T => Object.assign(Object.create(Object.getPrototypeOf(o)), o);

const auth = { actor: { id: 'u1' } } as unknown as Authenticated;

test("Apollo's per-request copy of the context neither forks an EntityManager nor makes loaders", async () => {
  const { orm, calls } = fakeOrm();
  const ctx = apolloCopy(createContext(orm, { requestId: 'r1', auth }));
  expect(calls.forks).toBe(0);
  expect(ctx.requestId).toBe('r1');
  expect(await ctx.actor()).toBe(auth.actor);
  // A read that only runs raw SQL stays on the pool.
  await ctx.sql('select 1');
  expect(calls.forks).toBe(0);
  expect(calls.executedOn).toEqual(['pool']);
  // The first use forks once; the loaders reuse that fork.
  const first = ctx.em;
  expect(calls.forks).toBe(1);
  expect(ctx.em).toBe(first);
  void ctx.loaders;
  expect(calls.forks).toBe(1);
});

test("the copy keeps the em setter: a mutation's transaction EntityManager is what sql() and em use", async () => {
  const { orm, calls, em } = fakeOrm();
  const ctx = apolloCopy(createContext(orm, { requestId: 'r2', auth }));
  const tx = em('tx');
  ctx.em = tx;
  expect(ctx.em).toBe(tx);
  // Passed around unbound, as the search service receives it.
  const { sql } = ctx;
  await sql('select 1');
  expect(calls.executedOn).toEqual(['tx']);
  expect(calls.forks).toBe(0);
});
