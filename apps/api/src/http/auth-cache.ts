import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Authenticated } from '../features/auth/auth.service';
import { ruleOf } from '../features/auth/permissions';

/**
 * API-token answers of `authenticate`, kept for a few seconds per API process, so that a client
 * sending many requests does not cost a token lookup each. Only bearer tokens: the answer then
 * depends on the header alone. A mutation handled by this process that may change accounts or
 * tokens clears it (revoking a token, disabling a user or changing a role take effect at once
 * here; see mayChangeCredentials). A change made elsewhere (the CLI, another API instance) arrives
 * as a notification (http/auth-listener.ts), which drops the entries of that token or user; `ttlMs`
 * bounds how long a missed notification can leave an entry (and a database whose notifications do
 * not reach this process, such as the embedded one).
 */
export class AuthCache {
  private readonly entries = new Map<string, { auth: Authenticated; until: number }>();

  constructor(
    private readonly ttlMs = 5000,
    private readonly max = 10_000,
  ) {}

  get(authorization: string | undefined, now = performance.now()): Authenticated | undefined {
    if (!authorization || this.ttlMs <= 0) return undefined;
    const e = this.entries.get(authorization);
    if (!e) return undefined;
    if (e.until > now) return e.auth;
    this.entries.delete(authorization);
    return undefined;
  }

  set(authorization: string | undefined, auth: Authenticated, now = performance.now()): void {
    if (!authorization || !auth.tokenId || this.ttlMs <= 0) return;
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(authorization, { auth, until: now + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops the entries of one token. Returns how many went. */
  forgetToken(tokenId: string): number {
    return this.forget((auth) => auth.tokenId === tokenId);
  }

  /** Drops the entries of every token of one user. */
  forgetUser(userId: string): number {
    return this.forget((auth) => auth.actor.id === userId);
  }

  private forget(match: (auth: Authenticated) => boolean): number {
    let n = 0;
    for (const [key, e] of this.entries) {
      if (match(e.auth)) {
        this.entries.delete(key);
        n++;
      }
    }
    return n;
  }
}

/**
 * Whether a mutation may change what `authenticate` answers. Accounts and tokens are changed only
 * by admin-only mutations (users, roles, tokens) and by a caller's own sign-in, sign-out and
 * password change (PUBLIC / SIGNED_IN rules); mutations open to engineers or problem managers
 * (incident work, knowledge, reviews) never touch them, so they leave cached credentials alone.
 * Anything not plainly a list of fields (fragments at the root) counts as a possible change.
 */
export function mayChangeCredentials(operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'mutation') return false;
  return operation.selectionSet.selections.some((sel) => {
    if (sel.kind !== Kind.FIELD) return true;
    const rule = ruleOf(sel.name.value);
    return !Array.isArray(rule) || rule.every((role) => role === 'ADMIN');
  });
}
