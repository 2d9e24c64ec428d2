import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/sign-in-form';
import { ErrorBox } from '@/components/ui';
import { ssoErrorSentence } from '@ikb/domain';
import { SetupRequiredDocument, SignInOptionsDocument } from '@/gql/graphql';
import { safePath } from '@/lib/safe-path';
import { getMe, gql } from '@/lib/server';
import { CLI_HINT } from '../setup/cli-hint';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Only same-site paths, and never back to /sign-in itself: see lib/safe-path.ts. */
function safeNext(value: string | string[] | undefined): string {
  const next = safePath(Array.isArray(value) ? value[0] : value);
  return next && !/^\/sign-in(?:[/?#]|$)/.test(next) ? next : '/';
}

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNext(params.next);
  const ssoError = Array.isArray(params.sso_error) ? params.sso_error[0] : params.sso_error;
  const me = await getMe();
  if (me.data?.user) redirect(next);
  // A deployment without an admin yet: say how to make the first one (never with the demo data).
  const setup = me.error === undefined ? await gql(SetupRequiredDocument) : null;
  const options = me.error === undefined ? await gql(SignInOptionsDocument) : null;
  // An API that does not answer this (older, or a proxy's fake) still gets the password form.
  const providers = options?.data?.signInOptions?.providers ?? [];
  const passwordsOff = options?.data?.signInOptions?.passwordSignIn === 'BREAK_GLASS_ONLY';
  return (
    <main id="main" className="sign-in" tabIndex={-1}>
      <div className="sign-in-card">
        <p className="brand-dark">Incident knowledge base</p>
        <h1>Sign in</h1>
        {me.error !== undefined ? <ErrorBox title="The API cannot be reached" message={me.error} /> : null}
        {setup?.data?.setupRequired ? (
          <p className="missing" role="note">
            No admin account yet: open the setup link the API printed when it started, or run <code>{CLI_HINT}</code>.
          </p>
        ) : null}
        {ssoError !== undefined ? (
          <p className="form-error" role="alert">
            {ssoErrorSentence(ssoError)}
          </p>
        ) : null}
        {providers.length ? (
          <ul className="sso-buttons" aria-label="Single sign-on">
            {providers.map((p) => (
              // A plain link: the route handler answers with a redirect to the provider, not a page.
              <li key={p.slug}>
                <a className="btn primary" href={`/auth/sso/${encodeURIComponent(p.slug)}/start?return=${encodeURIComponent(next)}`}>
                  Sign in with {p.displayName}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        {passwordsOff ? <p className="small">Password sign-in is for break-glass admin accounts only.</p> : null}
        <SignInForm next={next} />
      </div>
    </main>
  );
}
