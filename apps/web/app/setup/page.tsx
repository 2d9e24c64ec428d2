import type { Metadata } from 'next';
import Link from 'next/link';
import { ErrorBox } from '@/components/ui';
import { SetupRequiredDocument } from '@/gql/graphql';
import { gql } from '@/lib/server';
import { CLI_HINT } from './cli-hint';
import { SetupForm } from './setup-form';

export const metadata: Metadata = { title: 'Set up' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The page the API's one-time setup link opens (/setup?token=…), printed at start while no
 * enabled admin exists. Outside the signed-in pages (proxy.ts lets it through): it creates the
 * first admin and signs them in. Once an admin exists it only says so.
 */
export default async function SetupPage({ searchParams }: Props) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  const res = await gql(SetupRequiredDocument);
  return (
    <main id="main" className="sign-in" tabIndex={-1}>
      <div className="sign-in-card" style={{ maxWidth: '30rem' }}>
        <p className="brand-dark">Incident knowledge base</p>
        <h1>Set up</h1>
        {res.error !== undefined ? (
          <ErrorBox title="The API cannot be reached" message={res.error} />
        ) : !res.data.setupRequired ? (
          <div className="ok-box" role="status">
            <p style={{ margin: 0 }}>
              Setup is done: an admin account exists, so this link no longer works. <Link href="/sign-in">Sign in</Link>, or ask an admin
              for an account.
            </p>
          </div>
        ) : !token ? (
          <div className="missing">
            <p style={{ marginTop: 0 }}>No admin account yet, and this address has no setup token.</p>
            <p style={{ marginBottom: 0 }}>
              Open the setup link the API printed when it started (<code>/setup?token=…</code>; restarting the API prints a new one), or
              create the admin on the command line: <code>{CLI_HINT}</code>.
            </p>
          </div>
        ) : (
          <>
            <p className="muted">
              Create the first admin account. You are signed in as this admin when it is done; the link then stops working. Further people
              are added on the Users admin page.
            </p>
            <SetupForm token={token} />
          </>
        )}
      </div>
    </main>
  );
}
