import type { Metadata } from 'next';
import { ssoErrorSentence } from '@ikb/domain';
import { PasswordSignInForm } from '@/components/sso/password-sign-in-form';
import { ProviderCard } from '@/components/sso/provider-card';
import { ProviderForm } from '@/components/sso/provider-form';
import { TestResult } from '@/components/sso/test-result';
import { Empty, ErrorBox, PageHeader } from '@/components/ui';
import { AdminSsoDocument, SsoTestResultDocument } from '@/gql/graphql';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Single sign-on' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SsoPage({ searchParams }: Props) {
  const lead = (
    <>
      OpenID Connect providers (Okta, Microsoft Entra ID, Google Workspace, Keycloak) people sign in with, how their groups map to roles,
      and whether passwords still work. See docs/sso.md for each provider’s settings.
    </>
  );
  if (!(await may('createSsoProvider'))) {
    return (
      <>
        <PageHeader title="Single sign-on" lead={lead} />
        <p className="read-only-note">Single sign-on is managed by admins.</p>
      </>
    );
  }
  const params = await searchParams;
  const key = typeof params.test === 'string' ? params.test : undefined;
  const [res, test] = await Promise.all([gql(AdminSsoDocument), key ? gql(SsoTestResultDocument, { key }) : null]);
  if (res.error !== undefined) return <ErrorBox title="Single sign-on could not be loaded" message={res.error} />;
  const { ssoProviders: providers, passwordSignIn, users } = res.data;
  const admins = users.filter((u) => u.role === 'ADMIN' && !u.disabled);
  const ssoError = typeof params.sso_error === 'string' ? params.sso_error : undefined;
  return (
    <>
      <PageHeader title="Single sign-on" lead={lead} />
      {ssoError ? <ErrorBox title="Test sign-in failed" message={ssoErrorSentence(ssoError)} /> : null}
      {test?.data?.ssoTestResult ? <TestResult result={test.data.ssoTestResult} /> : null}
      {providers.length ? providers.map((p) => <ProviderCard key={p.id} provider={p} />) : <Empty>No providers yet. Add one below.</Empty>}
      <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="new-h">
        <h2 id="new-h">Add a provider</h2>
        <ProviderForm />
      </section>
      <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="pw-h">
        <h2 id="pw-h">Password sign-in</h2>
        <PasswordSignInForm mode={passwordSignIn.mode} breakGlass={passwordSignIn.breakGlassUsers.map((u) => u.id)} admins={admins} />
      </section>
    </>
  );
}
