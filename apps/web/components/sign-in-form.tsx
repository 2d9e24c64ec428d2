'use client';
// Email and password, sent to the API's signIn mutation through the same-origin /graphql proxy,
// which passes the Set-Cookie of the HttpOnly session cookie through unchanged. On success the
// browser reloads the page it came for, so every server component sees the new session. A 429
// (rate limited) says when to try again, from the Retry-After the proxy passes through.
import { useState, type FormEvent } from 'react';
import { SignInDocument } from '@/gql/graphql';
import { formatDateTime } from '@/lib/dates';
import { describeError, retryAfterSeconds } from '@/lib/errors';
import { safePathOr } from '@/lib/safe-path';
import { print } from 'graphql';

type GqlError = { message: string; extensions?: { code?: string; retryAt?: string; field?: string } };

export function signInMessage(e: GqlError): string {
  switch (e.extensions?.code) {
    case 'ACCOUNT_LOCKED': {
      const at = e.extensions.retryAt ? new Date(e.extensions.retryAt) : null;
      return at && !Number.isNaN(at.getTime())
        ? `This account is locked after too many failed sign-ins. Try again after ${formatDateTime(at)}.`
        : 'This account is locked after too many failed sign-ins. Try again later.';
    }
    case 'INVALID_CREDENTIALS':
      return e.message === 'This account is disabled'
        ? 'This account is disabled. Ask an administrator.'
        : 'The email or the password is wrong.';
    case 'BAD_USER_INPUT':
      return /email/i.test(e.extensions.field ?? '') ? 'Enter a valid email address.' : e.message;
    default:
      return e.message;
  }
}

/** The API (or a balancer in front of it) refused the attempt as one too many from this address. */
export function rateLimitedMessage(retryAfter: string | null): string {
  const seconds = retryAfterSeconds(retryAfter);
  const when = seconds === null ? 'in a minute' : `in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  return `Too many sign-in attempts from your network. Try again ${when}.`;
}

export function SignInForm({ next }: { next: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!email || !password) {
      setError('Enter your email and your password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ operationName: 'SignIn', query: print(SignInDocument), variables: { input: { email, password } } }),
      });
      if (res.status === 429) {
        setError(rateLimitedMessage(res.headers.get('retry-after')));
        setBusy(false);
        return;
      }
      let body: { data?: { signIn?: { user?: { id: string } | null } | null } | null; errors?: GqlError[] };
      try {
        body = await res.json();
      } catch {
        throw new Error(`The server answered ${res.status} ${res.statusText} instead of a GraphQL result. Try again in a moment.`);
      }
      if (body.errors?.length) {
        setError(body.errors.map(signInMessage).join(' '));
        setBusy(false);
        return;
      }
      if (!body.data?.signIn?.user) throw new Error('The API did not sign you in.');
      // The server already checked `next`; checked again here, where the browser is sent.
      window.location.assign(safePathOr(next));
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="sign-in-form" aria-describedby={error ? 'sign-in-error' : undefined}>
      <div className="field">
        <label className="field-label" htmlFor="email">
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus aria-invalid={error ? true : undefined} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="password">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={error ? true : undefined}
        />
      </div>
      {error ? (
        <p className="form-error" role="alert" id="sign-in-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
