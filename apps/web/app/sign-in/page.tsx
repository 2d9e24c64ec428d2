import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/sign-in-form';
import { ErrorBox } from '@/components/ui';
import { safePath } from '@/lib/safe-path';
import { getMe } from '@/lib/server';

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
  return (
    <main id="main" className="sign-in" tabIndex={-1}>
      <div className="sign-in-card">
        <p className="brand-dark">Incident knowledge base</p>
        <h1>Sign in</h1>
        {me.error !== undefined ? <ErrorBox title="The API cannot be reached" message={me.error} /> : null}
        <SignInForm next={next} />
      </div>
    </main>
  );
}
