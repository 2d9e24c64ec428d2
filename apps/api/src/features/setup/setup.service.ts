import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors';
import { AuthService } from '../auth/auth.service';
import type { User } from '../directory/user.entity';

/**
 * The first admin of a deployment without the demo data. While no enabled admin exists, the API
 * makes a one-time setup link at boot (a random token, valid for an hour, stored hashed) that
 * opens the web app's /setup page; INITIAL_ADMIN_EMAIL / INITIAL_ADMIN_PASSWORD do the same
 * unattended; `pnpm cli user create --role ADMIN` works at any time.
 */

export const SETUP_TOKEN_HOURS = 1;
const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export async function hasEnabledAdmin(em: EntityManager): Promise<boolean> {
  const rows = await em.execute(`select 1 from users where role = 'ADMIN' and not disabled limit 1`);
  return rows.length > 0;
}

/** A new setup token (earlier unused ones stop working); returns the token, shown once. */
export async function createSetupToken(em: EntityManager, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await em.execute(`delete from setup_tokens where used_at is null`);
  await em.execute(`insert into setup_tokens (id, token_hash, created_at, expires_at) values (?, ?, ?, ?)`, [
    randomUUID(),
    hash(token),
    now,
    new Date(now.getTime() + SETUP_TOKEN_HOURS * 3_600_000),
  ]);
  return token;
}

export interface FirstAdminOptions {
  initialAdmin?: { email: string; password: string };
  publicWebUrl: string;
  log: (line: string) => void;
}

/**
 * At boot, after migrations (and the demo seed, whose admin makes this a no-op): nothing when an
 * enabled admin exists; else the admin from INITIAL_ADMIN_*, or a setup link printed to the log.
 * A weak INITIAL_ADMIN_PASSWORD stops the boot with the reason.
 */
export async function ensureFirstAdmin(em: EntityManager, opts: FirstAdminOptions): Promise<void> {
  if (await hasEnabledAdmin(em)) return;
  if (opts.initialAdmin) {
    const { email, password } = opts.initialAdmin;
    try {
      await new AuthService(em).createUserAccount({ email, name: email.split('@')[0]!, role: 'ADMIN', password });
    } catch (err) {
      const message = err instanceof AppError ? err.message : String(err);
      throw new Error(`INITIAL_ADMIN_EMAIL / INITIAL_ADMIN_PASSWORD: ${message}`);
    }
    opts.log(`created the first admin ${email} (from INITIAL_ADMIN_EMAIL); sign in at ${opts.publicWebUrl}/sign-in`);
    return;
  }
  const token = await createSetupToken(em);
  opts.log(
    `no admin account yet. Open ${opts.publicWebUrl}/setup?token=${token} within ${SETUP_TOKEN_HOURS} hour to create the first admin ` +
      `(a new link at each start until then), or run \`pnpm cli user create --email <email> --name <name> --role ADMIN\`.`,
  );
}

/**
 * Creates the first admin with a setup token. One at a time (an advisory lock), and only while
 * no enabled admin exists: a second use of the link, or one after `user create`, is refused.
 */
export async function completeSetup(
  em: EntityManager,
  input: { token: string; email: string; name: string; password: string },
  now = new Date(),
): Promise<User> {
  return em.transactional(async (tem) => {
    await tem.execute(`select pg_advisory_xact_lock(hashtext('ikb:first-admin'))`);
    if (await hasEnabledAdmin(tem))
      throw new AppError('CONFLICT', 'Setup is done: an admin account exists. Sign in, or ask an admin for an account.');
    const rows = await tem.execute<{ id: string }[]>(
      `update setup_tokens set used_at = ? where token_hash = ? and used_at is null and expires_at > ? returning id`,
      [now, hash(input.token), now],
    );
    if (!rows.length) {
      throw new AppError(
        'BAD_USER_INPUT',
        'token: the setup link is not valid, was used, or has expired (restart the API for a new one, or run `pnpm cli user create ' +
          '--role ADMIN`)',
        { field: 'token' },
      );
    }
    return new AuthService(tem).createUserAccount({ email: input.email, name: input.name, role: 'ADMIN', password: input.password });
  });
}
