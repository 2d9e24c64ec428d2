import type { Metadata } from 'next';
import Link from 'next/link';
import { apiBase } from '@/components/tokens/api-base';
import { CreateUserTokenForm } from '@/components/tokens/create-user-token-form';
import { TokenTable } from '@/components/tokens/token-table';
import { Empty, ErrorBox, PageHeader } from '@/components/ui';
import { AdminApiTokensDocument } from '@/gql/graphql';
import { one, type SearchParams } from '@/lib/params';
import type { Role } from '@/lib/permissions';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'API tokens' };

const FILTERS = [
  { key: 'active', label: 'Active' },
  { key: 'revoked', label: 'Revoked' },
  { key: 'all', label: 'All' },
] as const;
type FilterKey = (typeof FILTERS)[number]['key'];

export default async function TokensPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const wanted = one(await searchParams, 'status');
  const status: FilterKey = FILTERS.some((f) => f.key === wanted) ? (wanted as FilterKey) : 'active';
  if (!(await may('revokeApiToken'))) {
    return (
      <>
        <PageHeader title="API tokens" />
        <p className="read-only-note">
          Everyone&apos;s tokens are managed by admins. Your own are on <Link href="/account">your account</Link>.
        </p>
      </>
    );
  }
  const res = await gql(AdminApiTokensDocument);
  if (res.error !== undefined) return <ErrorBox title="API tokens could not be loaded" message={res.error} />;
  const all = res.data.apiTokens;
  const count = (k: FilterKey) => (k === 'all' ? all.length : all.filter((t) => (k === 'revoked') === Boolean(t.revokedAt)).length);
  const shown = status === 'all' ? all : all.filter((t) => (status === 'revoked') === Boolean(t.revokedAt));
  const users = res.data.users.filter((u) => !u.disabled).map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role as Role }));
  return (
    <>
      <PageHeader
        title="API tokens"
        lead={
          "Every token, whose it is and when it was last used. A token acts as its user with at most the user's role; " +
          'revoking one stops it at once. Disabling a user revokes all of theirs.'
        }
      />
      <nav aria-label="Filter tokens" className="tabs">
        <ul>
          {FILTERS.map((f) => (
            <li key={f.key}>
              <Link
                href={f.key === 'active' ? '/admin/tokens' : `/admin/tokens?status=${f.key}`}
                aria-current={f.key === status ? 'page' : undefined}
              >
                {f.label} ({count(f.key)})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {shown.length ? (
        <TokenTable
          tokens={shown.map((t) => ({ ...t, role: t.role as Role }))}
          caption={`${shown.length} ${status === 'all' ? '' : `${status} `}${shown.length === 1 ? 'token' : 'tokens'}, newest first`}
          showUser
          own={false}
          canRevoke
        />
      ) : (
        <Empty>{status === 'revoked' ? 'No revoked tokens.' : status === 'active' ? 'No active tokens.' : 'No tokens yet.'}</Empty>
      )}
      <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="new-h">
        <h2 id="new-h">Create a token for a user</h2>
        <p className="small muted">
          For a service account or someone without access to the web app. People can make their own on{' '}
          <Link href="/account">their account page</Link>.
        </p>
        {users.length ? <CreateUserTokenForm users={users} apiBase={apiBase()} /> : <Empty>No enabled users.</Empty>}
      </section>
    </>
  );
}
