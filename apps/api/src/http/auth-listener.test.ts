import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASES, openTestDatabase, type TestDatabase } from '../db/internals/test-db';
import { AUTH_CHANNEL, parseAuthNotice } from '../features/auth/auth-notify';
import type { Authenticated } from '../features/auth/auth.service';
import { AuthCache } from './auth-cache';
import { AuthListener } from './auth-listener';

const TOKEN = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const USER = '6fa459ea-ee8a-3ca4-894e-db77e160355e';
const entry = (tokenId: string, userId: string): Authenticated => ({
  actor: { id: userId, name: 'x', role: 'ENGINEER', authMethod: 'TOKEN' },
  tokenId,
});

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('parseAuthNotice', () => {
  test('reads kind:uuid and nothing else', () => {
    expect(parseAuthNotice(`token:${TOKEN}`)).toEqual({ kind: 'token', id: TOKEN });
    expect(parseAuthNotice(`user:${USER}`)).toEqual({ kind: 'user', id: USER });
    for (const bad of [
      undefined,
      '',
      'token:',
      `token:${TOKEN} `,
      `TOKEN:${TOKEN}`,
      `role:${TOKEN}`,
      `token:${TOKEN}\n`,
      'x'.repeat(8000),
      42,
    ])
      expect(parseAuthNotice(bad), String(bad).slice(0, 20)).toBeNull();
  });
});

describe.each(DATABASES)('AuthListener (%s)', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind, { poolMax: 3 });
  }, 60_000);
  afterAll(() => db?.close());

  const notify = (payload: string) => db.orm.em.getConnection().execute(`select pg_notify('${AUTH_CHANNEL}', ?)`, [payload]);

  if (kind === 'server') {
    test('drops the entries a notice names, ignores any other payload, and empties the cache when it listens again', async () => {
      const cache = new AuthCache(60_000);
      const listener = new AuthListener(db.orm.em, cache, { log: () => {} }).start();
      try {
        await until('listening', () => listener.isListening);
        cache.set('Bearer a', entry(TOKEN, USER));
        cache.set('Bearer b', entry('2b4e28ba-2fa1-11d2-883f-0016d3cca427', USER));
        cache.set('Bearer c', entry('3b4e28ba-2fa1-11d2-883f-0016d3cca427', '7fa459ea-ee8a-3ca4-894e-db77e160355e'));
        for (const junk of ['garbage', `token:${TOKEN}x`, '']) await notify(junk);
        await notify(`token:${TOKEN}`);
        await until('token dropped', () => cache.get('Bearer a') === undefined);
        expect(cache.get('Bearer b')).toBeDefined();
        await notify(`user:${USER}`);
        await until('user dropped', () => cache.get('Bearer b') === undefined);
        expect(cache.get('Bearer c')).toBeDefined();
        // Its connection killed: it comes back, and what it holds is dropped (notices may have been missed).
        await db.orm.em
          .getConnection()
          .execute(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ikb-auth-listener ${process.pid}'`);
        await until('lost', () => !listener.isListening);
        await until('listening again', () => listener.isListening);
        expect(cache.get('Bearer c')).toBeUndefined();
      } finally {
        await listener.stop();
      }
      expect(listener.isListening).toBe(false);
    });
  } else {
    test('gives up cleanly when notifications do not come back to the listening connection', async () => {
      const cache = new AuthCache(60_000);
      const lines: string[] = [];
      const listener = new AuthListener(db.orm.em, cache, { probeMs: 500, log: (l) => lines.push(l) }).start();
      await until('gave up', () => lines.length > 0);
      expect(lines[0]).toMatch(/notifications do not reach this process/);
      expect(listener.isListening).toBe(false);
      // The pool still works, stray notifications and all.
      await notify(`token:${TOKEN}`);
      expect(await db.orm.em.getConnection().execute('select 1 as one')).toEqual([{ one: 1 }]);
      await listener.stop();
    });
  }
});
