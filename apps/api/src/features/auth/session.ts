import { AppError } from '../../errors';
import type { Context } from '../../graphql/context';
import { AuthService } from './auth.service';
import { sessionCookie, type Me } from './auth.types';
import { writeAudit } from './guard.middleware';
import { throttleKey } from './sign-in-throttle';

const SESSION_SECONDS = 14 * 86_400;

/**
 * Signs `email` in and sets the session cookie on the answer, with the audit row of `operation`
 * in the transaction that opens the session. signIn's own limits (per client address and per
 * account) come first, before any password is hashed.
 */
export async function openSession(
  ctx: Context,
  email: string,
  password: string,
  operation: string,
  variables: Record<string, unknown>,
): Promise<Me> {
  const wait = Math.max(
    ...(await Promise.all([ctx.limits.signInByAddress.take(ctx.clientAddress), ctx.limits.signInByAccount.take(throttleKey(email))])),
  );
  if (wait > 0) throw new AppError('RATE_LIMITED', `Too many sign-in attempts; retry in ${wait} s`, { retryAfter: wait });
  const { user, cookie, session } = await new AuthService(ctx.em).signIn(email, password, {
    userAgent: ctx.userAgent,
    previousSessionId: ctx.auth.sessionId,
    onSignedIn: async (em, u) =>
      writeAudit(
        em,
        ctx,
        { id: u.id, name: u.name, role: u.role, authMethod: 'SESSION' },
        {
          operation,
          targetType: 'users',
          targetId: u.id,
          variables,
          before: null,
          after: { table: 'users', id: u.id },
        },
      ),
  });
  ctx.setCookies.push(sessionCookie(cookie, SESSION_SECONDS));
  return { user, role: user.role, csrfToken: session.csrfToken, authMethod: 'SESSION' };
}
