import { createHash } from 'node:crypto';
import { normalizeEmail } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Failures before the account is locked: 1 minute, doubling with each further failure, at most a day. */
export const LOCK_AFTER = 5; // > 1: a first attempt never locks
const MAX_LOCK_MINUTES = 24 * 60;

/** The key an email's attempts are counted under: its normal form, hashed (unknown emails are not kept readable). */
export const throttleKey = (email: string) => createHash('sha256').update(normalizeEmail(email)).digest('hex');

export type Attempt =
  | { locked: true; lockedUntil: Date }
  | {
      locked: false;
      /** The account behind the email, if any: same statement, same time, known or not. */
      user: { id: string; passwordHash: string | null; disabled: boolean } | null;
    };

/**
 * Counts one password attempt for `email` before the password is checked, in one statement that
 * also reads the lock: concurrent attempts each see the count of those before them, so a burst of
 * guesses sent at once gets LOCK_AFTER checks, not one per request (a read-check-write lost the
 * updates of attempts in flight). The attempt that reaches LOCK_AFTER sets the lock and is still
 * checked; later ones are refused unchecked until it runs out. A correct password clears the count
 * (`clearAttempts`). Unknown emails are counted and locked exactly like known ones.
 */
export async function reserveAttempt(em: EntityManager, email: string, now: Date): Promise<Attempt> {
  const rows = await em.execute<
    { counted: boolean; locked_until: Date | null; id: string | null; password_hash: string | null; disabled: boolean | null }[]
  >(
    `with counted as (
       insert into sign_in_throttles as t (key_hash, failed_attempts, locked_until, updated_at)
       values (?, 1, null, ?)
       on conflict (key_hash) do update set
         failed_attempts = t.failed_attempts + 1,
         locked_until = case when t.failed_attempts + 1 >= ${LOCK_AFTER}
           then excluded.updated_at + least(${MAX_LOCK_MINUTES}, power(2, t.failed_attempts + 1 - ${LOCK_AFTER})) * interval '1 minute'
           else t.locked_until end,
         updated_at = excluded.updated_at
       where t.locked_until is null or t.locked_until <= excluded.updated_at
       returning 1
     ),
     -- A few rows of emails nobody tried for a day (and not locked) go with each attempt: the table
     -- stays small under email spraying, at the same cost for every attempt.
     forgotten as (
       delete from sign_in_throttles where key_hash in (
         select key_hash from sign_in_throttles
          where updated_at < ?::timestamptz - interval '1 day' and (locked_until is null or locked_until < ?) limit 5)
     )
     select exists (select 1 from counted) as counted,
            (select locked_until from sign_in_throttles where key_hash = ?) as locked_until,
            u.id, u.password_hash, u.disabled
       from (select 1) one left join users u on u.email = ?`,
    [throttleKey(email), now, now, now, throttleKey(email), normalizeEmail(email)],
  );
  const r = rows[0]!;
  if (!r.counted) {
    // Locked. Read the lock afresh: when this statement waited for a concurrent attempt that set
    // it, its own snapshot still shows the row from before.
    const [lock] = await em.execute<{ locked_until: Date | null }[]>(`select locked_until from sign_in_throttles where key_hash = ?`, [
      throttleKey(email),
    ]);
    return { locked: true, lockedUntil: new Date(lock?.locked_until ?? r.locked_until ?? now) };
  }
  return { locked: false, user: r.id ? { id: r.id, passwordHash: r.password_hash, disabled: !!r.disabled } : null };
}

/** After a correct password: the count starts again. */
export async function clearAttempts(em: EntityManager, email: string): Promise<void> {
  await em.execute(`delete from sign_in_throttles where key_hash = ?`, [throttleKey(email)]);
}
