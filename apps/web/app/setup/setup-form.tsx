'use client';
// The first admin: email, name and password (twice), with the setup link's token in a hidden
// field, sent to completeSetup through the same-origin /graphql proxy (no session yet, so no
// Apollo Client and no CSRF token: like the sign-in form). The API signs the new admin in (its
// session cookie comes back through the proxy); the browser then goes to the overview.
import Link from 'next/link';
import { print } from 'graphql';
import { useState, type FormEvent, type ReactNode } from 'react';
import { rateLimitedMessage } from '@/components/sign-in-form';
import { CompleteSetupDocument } from '@/gql/graphql';
import { describeError } from '@/lib/errors';
import { CLI_HINT } from './cli-hint';

type GqlError = { message: string; extensions?: { code?: string; field?: string } };
type Problem = { field?: 'token' | 'email' | 'name' | 'password' | 'password2'; content: ReactNode };

/** The API's refusal in words, and the field it is about. */
export function setupProblem(e: GqlError): Problem {
  const field = e.extensions?.field ?? '';
  const text = e.message.replace(/^(input\.)?\w+: /, '');
  switch (e.extensions?.code) {
    case 'CONFLICT':
      return {
        content: (
          <>
            Setup is already done: an admin account exists. <Link href="/sign-in">Sign in</Link>, or ask an admin for an account.
          </>
        ),
      };
    case 'BAD_USER_INPUT':
      if (/token/.test(field)) {
        return {
          field: 'token',
          content: (
            <>
              This setup link is not valid, was already used, or has expired (a link works for an hour, and only the latest one the API
              printed). Restart the API for a new link, or create the admin on the command line: <code>{CLI_HINT}</code>.
            </>
          ),
        };
      }
      if (/password/.test(field)) return { field: 'password', content: `Password: ${text}.` };
      if (/email/.test(field)) return { field: 'email', content: `Email: ${text}.` };
      if (/name/.test(field)) return { field: 'name', content: `Name: ${text}.` };
      return { content: e.message };
    default:
      return { content: e.message };
  }
}

export function SetupForm({ token }: { token: string }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!email || !name || !password) {
      setProblem({ content: 'Enter an email, a name and a password.' });
      return;
    }
    if (password !== String(form.get('password2') ?? '')) {
      setProblem({ field: 'password2', content: 'The two passwords differ: type the same one twice.' });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          operationName: 'CompleteSetup',
          query: print(CompleteSetupDocument),
          variables: { input: { token: String(form.get('token') ?? ''), email, name, password } },
        }),
      });
      if (res.status === 429) {
        setProblem({ content: rateLimitedMessage(res.headers.get('retry-after')).replace('sign-in attempts', 'attempts') });
        setBusy(false);
        return;
      }
      let body: { data?: { completeSetup?: { user?: { id: string } | null } | null } | null; errors?: GqlError[] };
      try {
        body = await res.json();
      } catch {
        throw new Error(`The server answered ${res.status} ${res.statusText} instead of a GraphQL result. Try again in a moment.`);
      }
      if (body.errors?.length) {
        setProblem(setupProblem(body.errors[0]!));
        setBusy(false);
        return;
      }
      if (!body.data?.completeSetup?.user) throw new Error('The API did not sign you in.');
      window.location.assign('/');
    } catch (err) {
      setProblem({ content: describeError(err) });
      setBusy(false);
    }
  }

  const invalid = (f: Problem['field']) => (problem?.field === f ? true : undefined);
  return (
    <form onSubmit={onSubmit} noValidate className="sign-in-form" aria-describedby={problem ? 'setup-error' : undefined}>
      <input type="hidden" name="token" value={token} />
      <div className="field">
        <label className="field-label" htmlFor="email">
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus aria-invalid={invalid('email')} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="name">
          Name
        </label>
        <input id="name" name="name" type="text" autoComplete="name" required maxLength={120} aria-invalid={invalid('name')} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="password">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby="password-hint"
          aria-invalid={invalid('password')}
        />
        <span className="field-hint" id="password-hint">
          At least 8 characters, not a common one.
        </span>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="password2">
          Password again
        </label>
        <input id="password2" name="password2" type="password" autoComplete="new-password" required aria-invalid={invalid('password2')} />
      </div>
      {problem ? (
        <p className="form-error" role="alert" id="setup-error">
          {problem.content}
        </p>
      ) : null}
      <button type="submit" className="btn primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Creating the admin…' : 'Create the admin account'}
      </button>
    </form>
  );
}
