import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { normalizeEmail, textProblem, valueInSentence, valuesInWords } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, assertUuid, badInput, fieldMessage, notFound } from '../../errors';
import type { Actor } from '../../graphql/actor';
import { ROLES, User, type Role } from '../directory/user.entity';
import { ApiToken, Session } from './auth.entity';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';
import { notifyAuthChange } from './auth-notify';
import { clearAttempts, reserveAttempt, throttleKey } from './sign-in-throttle';
import { refuseIfPasswordsOff } from '../sso/password-sign-in';

export const lockedError = (until: Date) =>
  new AppError('ACCOUNT_LOCKED', `Too many failed sign-ins: try again after ${until.toISOString()}`, { retryAt: until.toISOString() });

export const SESSION_COOKIE = 'ikb_session';
const SESSION_DAYS = 14;
const RANK: Record<Role, number> = { ADMIN: 4, PROBLEM_MANAGER: 3, ENGINEER: 2, VIEWER: 1 };

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** The lower of two roles: a token never gives more than its user has now. */
export const lowerRole = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);

export interface Authenticated {
  actor: Actor;
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
}

export class AuthError extends Error {}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // Not percent-encoding ("%E0%A4%A"): not a cookie this API set, so no session.
    }
  }
  return out;
}

/** Reads the credentials of a request; no credentials at all is anonymous, bad ones are an error. */
export async function authenticate(
  em: EntityManager,
  headers: { authorization?: string; cookie?: string },
  now = new Date(),
): Promise<Authenticated> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (headers.authorization && !bearer) throw new AuthError('Authorization header must be "Bearer <token>"');
  if (bearer) {
    const rows = await em.execute<
      {
        id: string;
        role: Role;
        user_id: string;
        name: string;
        user_role: Role;
        disabled: boolean;
        revoked_at: string | null;
        last_used_at: string | null;
      }[]
    >(
      `select t.id, t.role, t.user_id, t.revoked_at, t.last_used_at, u.name, u.role as user_role, u.disabled from api_tokens t join users u
        on u.id = t.user_id where t.token_hash = ?`,
      [sha256(bearer)],
    );
    const t = rows[0];
    if (!t || t.revoked_at || t.disabled) throw new AuthError('The API token is unknown, revoked, or its user is disabled');
    if (!t.last_used_at || now.getTime() - new Date(t.last_used_at).getTime() > 60_000) {
      await em.execute(`update api_tokens set last_used_at = ? where id = ?`, [now, t.id]);
    }
    return { actor: { id: t.user_id, name: t.name, role: lowerRole(t.role, t.user_role), authMethod: 'TOKEN' }, tokenId: t.id };
  }
  const cookie = parseCookies(headers.cookie)[SESSION_COOKIE];
  if (cookie) {
    const rows = await em.execute<
      {
        id: string;
        csrf_token: string;
        user_id: string;
        name: string;
        role: Role;
        disabled: boolean;
        expires_at: string;
        revoked_at: string | null;
      }[]
    >(
      `select s.id, s.csrf_token, s.user_id, s.expires_at, s.revoked_at, u.name, u.role, u.disabled from sessions s join users u
        on u.id = s.user_id where s.token_hash = ?`,
      [sha256(cookie)],
    );
    const s = rows[0];
    // An expired or ended session is simply not signed in (the browser may still hold the cookie).
    if (s && !s.revoked_at && !s.disabled && new Date(s.expires_at) > now) {
      return { actor: { id: s.user_id, name: s.name, role: s.role, authMethod: 'SESSION' }, sessionId: s.id, csrfToken: s.csrf_token };
    }
  }
  return { actor: { id: null, name: 'anonymous', role: null, authMethod: null } };
}

export function csrfMatches(expected: string | undefined, given: string | undefined): boolean {
  if (!expected || !given || expected.length !== given.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/**
 * Refuses a change that would leave no enabled admin: nobody could then manage accounts without
 * the database. The admins' rows are locked, so two admins demoting each other at once cannot both
 * pass the check.
 */
async function keepAnAdmin(em: EntityManager, user: User, field: string): Promise<void> {
  if (user.role !== 'ADMIN' || user.disabled) return;
  const admins = await em.execute<{ id: string }[]>(`select id from users where role = 'ADMIN' and not disabled order by id for update`);
  if (admins.every((a) => a.id === user.id)) {
    throw new AppError('CONFLICT', fieldMessage(field, `${user.email} is the last enabled admin; make another user admin first`), {
      field,
    });
  }
}

export class AuthService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Checks the password; locks the email for a while after repeated failures. Known and unknown
   * emails take the same statements and the same password hashing, and lock alike, so neither the
   * answers nor their timing tell which emails have accounts.
   */
  async signIn(
    email: string,
    password: string,
    opts: {
      userAgent?: string;
      previousSessionId?: string;
      now?: Date;
      onSignedIn?: (em: EntityManager, user: User, session: Session) => Promise<void> | void;
    } = {},
  ): Promise<{ user: User; cookie: string; session: Session }> {
    const now = opts.now ?? new Date();
    await refuseIfPasswordsOff(this.em, email);
    const attempt = await reserveAttempt(this.em, email, now);
    if (attempt.locked) throw lockedError(attempt.lockedUntil);
    const ok = await verifyPassword(attempt.user?.passwordHash ?? null, password);
    if (!attempt.user || !ok || attempt.user.disabled) {
      throw new AppError(
        'INVALID_CREDENTIALS',
        attempt.user?.disabled && ok ? 'This account is disabled' : 'The email or the password is wrong',
      );
    }
    await clearAttempts(this.em, email);
    return this.startSession(attempt.user.id, { ...opts, now });
  }

  /**
   * Opens a session for a user already proven to be who they say (a checked password, or a single
   * sign-on): the one place a session cookie is made, so both ways behave alike.
   */
  async startSession(
    userId: string,
    opts: {
      userAgent?: string;
      previousSessionId?: string;
      now?: Date;
      onSignedIn?: (em: EntityManager, user: User, session: Session) => Promise<void> | void;
    } = {},
  ): Promise<{ user: User; cookie: string; session: Session }> {
    const now = opts.now ?? new Date();
    const user = await this.em.findOneOrFail(User, { id: userId });
    const cookie = secret('');
    const session = await this.em.transactional(async (em) => {
      const u = await em.findOneOrFail(User, { id: user.id });
      u.lastLoginAt = now;
      // Rotation: whatever session this browser had before is ended, and a new id is issued.
      if (opts.previousSessionId) {
        await em.execute(`update sessions set revoked_at = ? where id = ? and revoked_at is null`, [now, opts.previousSessionId]);
        await notifyAuthChange(em, 'session', opts.previousSessionId);
      }
      const s = em.create(Session, {
        tokenHash: sha256(cookie),
        userId: user.id,
        csrfToken: randomBytes(24).toString('base64url'),
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
        userAgent: opts.userAgent?.slice(0, 300) ?? null,
      } as Session);
      em.persist(s);
      // The audit row of the sign-in goes into the same transaction as the session it opens.
      if (opts.onSignedIn) {
        await em.flush();
        await opts.onSignedIn(em, u, s);
      }
      return s;
    });
    return { user, cookie, session };
  }

  async signOut(sessionId: string | undefined): Promise<void> {
    if (!sessionId) return;
    // In the mutation's transaction (the guard's): the notice goes out when the sign-out commits.
    await this.em.execute(`update sessions set revoked_at = now() where id = ? and revoked_at is null`, [sessionId]);
    await notifyAuthChange(this.em, 'session', sessionId);
  }

  async createUserAccount(input: { email: string; name: string; role: Role; password?: string; teamId?: string }): Promise<User> {
    if (!ROLES.includes(input.role)) throw badInput('role', `must be one of ${valuesInWords(ROLES)}`);
    // The CLI and the first-admin setup come here without the GraphQL edge's checks.
    const emailWhy =
      textProblem(input.email, { singleLine: true, max: 254 }) ??
      (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalizeEmail(input.email)) ? null : 'is not an email address');
    if (emailWhy) throw badInput('email', emailWhy);
    const name = input.name.trim();
    const nameWhy = !name ? 'must not be blank' : textProblem(name, { singleLine: true, max: 120 });
    if (nameWhy) throw badInput('name', nameWhy);
    if (input.password) {
      const problem = passwordProblem(input.password, input.email);
      if (problem) throw badInput('password', problem);
    }
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.em.transactional(async (em) => {
      const email = normalizeEmail(input.email);
      if (await em.findOne(User, { email }))
        throw new AppError('CONFLICT', 'email: a user with this email already exists', { field: 'email' });
      const user = em.create(User, {
        email,
        name: input.name.trim(),
        role: input.role,
        passwordHash,
        teamId: input.teamId ?? null,
      } as User);
      em.persist(user);
      return user;
    });
  }

  /**
   * A user changing their own password. Only from a signed-in session: an API token (perhaps a
   * read-only one handed to a script) must not be a way to take over its owner's account. A wrong
   * current password counts toward the same lockout as sign-in, taken before the check and kept
   * when the change is refused: so this runs outside the guard's per-mutation transaction (which
   * would roll the count back) and writes its audit row itself, with the change (`onChanged`).
   */
  async changeOwnPassword(
    auth: Authenticated,
    currentPassword: string,
    newPassword: string,
    opts: { now?: Date; onChanged?: (em: EntityManager, user: User) => Promise<void> } = {},
  ): Promise<User> {
    const id = auth.actor.id;
    if (!id) throw new AppError('UNAUTHENTICATED', 'Sign in first');
    if (!auth.sessionId)
      throw new AppError('FORBIDDEN', 'changePassword works only in a signed-in session, not with an API token', {
        field: 'currentPassword',
      });
    const user = await this.em.findOneOrFail(User, { id });
    const attempt = await reserveAttempt(this.em, user.email, opts.now ?? new Date());
    if (attempt.locked) throw lockedError(attempt.lockedUntil);
    if (!(await verifyPassword(user.passwordHash, currentPassword))) throw badInput('currentPassword', 'is wrong');
    return this.setPassword(id, newPassword, { field: 'newPassword', keepSessionId: auth.sessionId, onChanged: opts.onChanged });
  }

  /** Sets a new password and ends the account's sessions (all but `keepSessionId`, the caller's own). */
  async setPassword(
    userId: string,
    password: string,
    opts: { field?: string; keepSessionId?: string; onChanged?: (em: EntityManager, user: User) => Promise<void> } = {},
  ): Promise<User> {
    assertUuid('userId', userId);
    const user = await this.em.findOne(User, { id: userId });
    if (!user) throw notFound('userId', 'user', userId);
    const problem = passwordProblem(password, user.email);
    if (problem) throw badInput(opts.field ?? 'password', problem);
    const passwordHash = await hashPassword(password);
    return this.em.transactional(async (em) => {
      const u = await em.findOneOrFail(User, { id: userId });
      u.passwordHash = passwordHash;
      // A password set by an admin (or changed by its owner) unlocks the account.
      await em.execute(`delete from sign_in_throttles where key_hash = ?`, [throttleKey(u.email)]);
      // A new password ends every session of the account (but the one that changed it).
      await em.execute(`update sessions set revoked_at = now() where user_id = ? and revoked_at is null and id is distinct from ?`, [
        userId,
        opts.keepSessionId ?? null,
      ]);
      await notifyAuthChange(em, 'user', userId);
      await opts.onChanged?.(em, u);
      return u;
    });
  }

  async setRole(userId: string, role: Role): Promise<User> {
    assertUuid('userId', userId);
    return this.em.transactional(async (em) => {
      const u = await em.findOne(User, { id: userId });
      if (!u) throw notFound('userId', 'user', userId);
      if (role !== 'ADMIN') await keepAnAdmin(em, u, 'role');
      u.role = role;
      await notifyAuthChange(em, 'user', userId);
      return u;
    });
  }

  /** Disabling ends the account's sessions and revokes its tokens at once. */
  async setDisabled(userId: string, disabled: boolean): Promise<User> {
    assertUuid('userId', userId);
    return this.em.transactional(async (em) => {
      const u = await em.findOne(User, { id: userId });
      if (!u) throw notFound('userId', 'user', userId);
      if (disabled) await keepAnAdmin(em, u, 'disabled');
      u.disabled = disabled;
      if (disabled) {
        await em.execute(`update sessions set revoked_at = now() where user_id = ? and revoked_at is null`, [userId]);
        await em.execute(`update api_tokens set revoked_at = now() where user_id = ? and revoked_at is null`, [userId]);
      }
      // Enabling too: every change of an account is told, one rule whatever the caches hold.
      await notifyAuthChange(em, 'user', userId);
      return u;
    });
  }

  /** Returns the token's secret: it is stored hashed and cannot be shown again. */
  async createToken(user: { id?: string; email?: string }, role: Role, name: string): Promise<{ token: ApiToken; secret: string }> {
    if (!ROLES.includes(role)) throw badInput('role', `must be one of ${valuesInWords(ROLES)}`);
    if (user.id) assertUuid('userId', user.id);
    const u = user.id
      ? await this.em.findOne(User, { id: user.id })
      : await this.em.findOne(User, { email: normalizeEmail(user.email ?? '') });
    if (!u) throw notFound(user.id ? 'userId' : 'user', 'user', user.id ?? user.email ?? '');
    if (u.disabled) throw badInput('user', 'the user is disabled');
    if (lowerRole(role, u.role) !== role)
      throw badInput(
        'role',
        `${u.email} has the role ${valueInSentence(u.role)}; a token cannot have more rights (${valueInSentence(role)}) than its user`,
      );
    // The CLI comes here without the GraphQL edge's checks: the same rules for the label.
    const label = name.trim() || 'API token';
    const why = label.length > 120 ? 'must be at most 120 characters' : textProblem(label, { singleLine: true });
    if (why) throw badInput('name', why);
    const value = secret('ikb_');
    const token = this.em.create(ApiToken, {
      userId: u.id,
      role,
      name: label,
      tokenHash: sha256(value),
      prefix: value.slice(0, 10),
    } as ApiToken);
    await this.em.transactional(async (em) => em.persist(token));
    return { token, secret: value };
  }

  /** With `ownerId`, only that user's token: someone else's is not found (not forbidden, which would say it exists). */
  async revokeToken(id: string, opts: { ownerId?: string } = {}): Promise<ApiToken> {
    assertUuid('id', id);
    return this.em.transactional(async (em) => {
      const t = await em.findOne(ApiToken, { id });
      if (!t || (opts.ownerId && t.userId !== opts.ownerId)) throw notFound('id', 'API token', id);
      t.revokedAt ??= new Date();
      await notifyAuthChange(em, 'token', t.id);
      return t;
    });
  }
}
