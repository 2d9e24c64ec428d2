import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { apiBase } from '@/components/tokens/api-base';
import { TokenTable } from '@/components/tokens/token-table';
import { Dl, Empty, ErrorBox, PageHeader } from '@/components/ui';
import { WorkingHoursForm } from '@/components/account/working-hours-form';
import { AccountPageDocument } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Your account' };

// Any signed-in role: your password and your own API tokens.
export default async function AccountPage() {
  const res = await gql(AccountPageDocument);
  if (res.error !== undefined) return <ErrorBox title="Your account could not be loaded" message={res.error} />;
  const { me, myApiTokens, businessCalendars } = res.data;
  const user = me.user;
  if (!user) return <ErrorBox title="Not signed in" message="Sign in again to see your account." />;
  const role = user.role as Role;
  const session = me.authMethod === 'SESSION';
  const active = myApiTokens.filter((t) => !t.revokedAt).length;
  return (
    <>
      <PageHeader title="Your account" lead="Your password and the API tokens scripts and tools use to act as you." />
      <section className="panel" aria-labelledby="who-h">
        <h2 id="who-h">Signed in as</h2>
        <Dl
          items={[
            ['Name', user.name],
            [
              'Email',
              <span key="email" className="mono">
                {user.email}
              </span>,
            ],
            ['Role', ROLE_LABELS[role]],
            ['Last sign-in', formatDateTime(user.lastLoginAt)],
          ]}
        />
        <p className="small muted" style={{ marginBottom: 0 }}>
          Your name, email, team and role are changed by an admin.
        </p>
      </section>

      <section className="panel" aria-labelledby="hours-h">
        <h2 id="hours-h">Your working hours</h2>
        <p className="small muted">The workload counts time on incidents outside these hours as outside working hours.</p>
        <WorkingHoursForm
          calendars={businessCalendars}
          calendarId={user.workingCalendarId ?? null}
          timeZone={user.workingTimeZone ?? null}
        />
      </section>

      <section className="panel" aria-labelledby="pw-h">
        <h2 id="pw-h">Change your password</h2>
        {session ? (
          <ChangePasswordForm email={user.email} />
        ) : (
          <p className="read-only-note">Passwords are changed only in a signed-in session, not with an API token.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="tokens-h">
        <div className="panel-head">
          <h2 id="tokens-h">Your API tokens</h2>
          <span className="muted small">
            {active} active of {myApiTokens.length}
          </span>
        </div>
        <p className="small muted">
          A token acts as you, with at most your role, until it is revoked (or your account is disabled). Send it as{' '}
          <code>Authorization: Bearer …</code> (the README&apos;s “A first GraphQL call” has examples).
        </p>
        {myApiTokens.length ? (
          <TokenTable
            tokens={myApiTokens}
            caption={`${myApiTokens.length} ${myApiTokens.length === 1 ? 'token' : 'tokens'} of yours, newest first`}
            own
            canRevoke
          />
        ) : (
          <Empty>No tokens yet.</Empty>
        )}
        <h3 id="new-token-h">Create a token</h3>
        {session ? (
          <CreateTokenForm role={role} apiBase={apiBase()} />
        ) : (
          <p className="read-only-note">Tokens are created only in a signed-in session: a token cannot make tokens.</p>
        )}
      </section>
    </>
  );
}
