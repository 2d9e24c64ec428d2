import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, assertUuid, badInput, notFound } from '../../errors';
import type { Actor } from '../../graphql/actor';
import { ROLES, User, type Role } from '../directory/user.entity';
import { ApiToken, Session } from './auth.entity';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';

export const SESSION_COOKIE = 'ikb_session';
const SESSION_DAYS = 14;
const LOCK_AFTER = 5;
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
export async function authenticate(em: EntityManager, headers: { authorization?: string; cookie?: string }, now = new Date()): Promise<Authenticated> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (headers.authorization && !bearer) throw new AuthError('Authorization header must be "Bearer <token>"');
  if (bearer) {
    const rows = await em.execute<{ id: string; role: Role; user_id: string; name: string; user_role: Role; disabled: boolean; revoked_at: string | null; last_used_at: string | null }[]>(
      `select t.id, t.role, t.user_id, t.revoked_at, t.last_used_at, u.name, u.role as user_role, u.disabled from api_tokens t join users u on u.id = t.user_id where t.token_hash = ?`,
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
    const rows = await em.execute<{ id: string; csrf_token: string; user_id: string; name: string; role: Role; disabled: boolean; expires_at: string; revoked_at: string | null }[]>(
      `select s.id, s.csrf_token, s.user_id, s.expires_at, s.revoked_at, u.name, u.role, u.disabled from sessions s join users u on u.id = s.user_id where s.token_hash = ?`,
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

export class AuthService {
  constructor(private readonly em: EntityManager) {}

  /** Checks the password; locks the account for a while after repeated failures. */
  async signIn(
    email: string,
    password: string,
    opts: { userAgent?: string; previousSessionId?: string; now?: Date; onSignedIn?: (em: EntityManager, user: User, session: Session) => Promise<void> | void } = {},
  ): Promise<{ user: User; cookie: string; session: Session }> {
    const now = opts.now ?? new Date();
    const user = await this.em.findOne(User, { email: email.trim().toLowerCase() });
    if (user?.lockedUntil && user.lockedUntil > now) {
      throw new AppError('ACCOUNT_LOCKED', `Too many failed sign-ins: try again after ${user.lockedUntil.toISOString()}`, { retryAt: user.lockedUntil.toISOString() });
    }
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !ok || user.disabled) {
      if (user && !ok) {
        await this.em.transactional(async (em) => {
          const u = await em.findOneOrFail(User, { id: user.id });
          u.failedLogins += 1;
          if (u.failedLogins >= LOCK_AFTER) {
            // 1, 2, 4 ... minutes, at most a day: slows guessing without locking people out for long.
            const minutes = Math.min(24 * 60, 2 ** (u.failedLogins - LOCK_AFTER));
            u.lockedUntil = new Date(now.getTime() + minutes * 60_000);
          }
        });
      }
      throw new AppError('INVALID_CREDENTIALS', user?.disabled && ok ? 'This account is disabled' : 'The email or the password is wrong');
    }
    const cookie = secret('');
    const session = await this.em.transactional(async (em) => {
      const u = await em.findOneOrFail(User, { id: user.id });
      u.failedLogins = 0;
      u.lockedUntil = null;
      u.lastLoginAt = now;
      // Rotation: whatever session this browser had before is ended, and a new id is issued.
      if (opts.previousSessionId) await em.execute(`update sessions set revoked_at = ? where id = ? and revoked_at is null`, [now, opts.previousSessionId]);
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
    if (sessionId) await this.em.execute(`update sessions set revoked_at = now() where id = ? and revoked_at is null`, [sessionId]);
  }

  async createUserAccount(input: { email: string; name: string; role: Role; password?: string; teamId?: string }): Promise<User> {
    if (!ROLES.includes(input.role)) throw badInput('role', `must be one of ${ROLES.join(', ')}`);
    if (input.password) {
      const problem = passwordProblem(input.password, input.email);
      if (problem) throw badInput('password', problem);
    }
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.em.transactional(async (em) => {
      if (await em.findOne(User, { email: input.email.trim().toLowerCase() })) throw new AppError('CONFLICT', 'email: a user with this email already exists', { field: 'email' });
      const user = em.create(User, { email: input.email.trim().toLowerCase(), name: input.name.trim(), role: input.role, passwordHash, teamId: input.teamId ?? null } as User);
      em.persist(user);
      return user;
    });
  }

  /** Sets a new password and ends the account's sessions (all but `keepSessionId`, the caller's own). */
  async setPassword(userId: string, password: string, opts: { field?: string; keepSessionId?: string } = {}): Promise<User> {
    assertUuid('userId', userId);
    const user = await this.em.findOne(User, { id: userId });
    if (!user) throw notFound('userId', 'user', userId);
    const problem = passwordProblem(password, user.email);
    if (problem) throw badInput(opts.field ?? 'password', problem);
    const passwordHash = await hashPassword(password);
    return this.em.transactional(async (em) => {
      const u = await em.findOneOrFail(User, { id: userId });
      u.passwordHash = passwordHash;
      u.failedLogins = 0;
      u.lockedUntil = null;
      // A new password ends every session of the account (but the one that changed it).
      await em.execute(`update sessions set revoked_at = now() where user_id = ? and revoked_at is null and id is distinct from ?`, [userId, opts.keepSessionId ?? null]);
      return u;
    });
  }

  async setRole(userId: string, role: Role): Promise<User> {
    assertUuid('userId', userId);
    return this.em.transactional(async (em) => {
      const u = await em.findOne(User, { id: userId });
      if (!u) throw notFound('userId', 'user', userId);
      u.role = role;
      return u;
    });
  }

  /** Disabling ends the account's sessions and revokes its tokens at once. */
  async setDisabled(userId: string, disabled: boolean): Promise<User> {
    assertUuid('userId', userId);
    return this.em.transactional(async (em) => {
      const u = await em.findOne(User, { id: userId });
      if (!u) throw notFound('userId', 'user', userId);
      u.disabled = disabled;
      if (disabled) {
        await em.execute(`update sessions set revoked_at = now() where user_id = ? and revoked_at is null`, [userId]);
        await em.execute(`update api_tokens set revoked_at = now() where user_id = ? and revoked_at is null`, [userId]);
      }
      return u;
    });
  }

  /** Returns the token's secret: it is stored hashed and cannot be shown again. */
  async createToken(user: { id?: string; email?: string }, role: Role, name: string): Promise<{ token: ApiToken; secret: string }> {
    if (!ROLES.includes(role)) throw badInput('role', `must be one of ${ROLES.join(', ')}`);
    if (user.id) assertUuid('userId', user.id);
    const u = user.id ? await this.em.findOne(User, { id: user.id }) : await this.em.findOne(User, { email: (user.email ?? '').toLowerCase() });
    if (!u) throw notFound(user.id ? 'userId' : 'user', 'user', user.id ?? user.email ?? '');
    if (u.disabled) throw badInput('user', 'the user is disabled');
    if (lowerRole(role, u.role) !== role) throw badInput('role', `${u.email} is ${u.role}; a token cannot have more rights (${role}) than its user`);
    const value = secret('ikb_');
    const token = this.em.create(ApiToken, { userId: u.id, role, name: name.trim() || 'API token', tokenHash: sha256(value), prefix: value.slice(0, 10) } as ApiToken);
    await this.em.transactional(async (em) => em.persist(token));
    return { token, secret: value };
  }

  async revokeToken(id: string): Promise<ApiToken> {
    assertUuid('id', id);
    return this.em.transactional(async (em) => {
      const t = await em.findOne(ApiToken, { id });
      if (!t) throw notFound('id', 'API token', id);
      t.revokedAt ??= new Date();
      return t;
    });
  }
}
