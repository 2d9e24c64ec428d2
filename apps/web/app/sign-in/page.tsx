import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/sign-in-form';
import { ErrorBox } from '@/components/ui';
import { SetupRequiredDocument } from '@/gql/graphql';
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
  const next = safeNext((await searchParams).next);
  const me = await getMe();
  if (me.data?.user) redirect(next);
  // A deployment without an admin yet: say how to make the first one (never with the demo data).
  const setup = me.error === undefined ? await gql(SetupRequiredDocument) : null;
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
        <SignInForm next={next} />
      </div>
    </main>
  );
}
