'use client';
// One provider: its settings, the redirect URI to register at the provider, the connection test
// (each step in words), a test sign-in (the real flow; shows the claims, opens no session), edit, delete.
import { useEffect, useState } from 'react';
import { Disclosure } from '@/components/ui';
import {
  DeleteSsoProviderDocument,
  TestSsoProviderDocument,
  type SsoProviderFieldsFragment,
  type TestSsoProviderMutation,
} from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { ProviderForm } from './provider-form';

export function ProviderCard({ provider: p }: { provider: SsoProviderFieldsFragment }) {
  const test = useAction(TestSsoProviderDocument);
  const del = useAction(DeleteSsoProviderDocument);
  const [result, setResult] = useState<TestSsoProviderMutation['testSsoProvider'] | null>(null);
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);
  return (
    <section className="panel" aria-labelledby={`sso-${p.slug}`} style={{ marginBottom: '1rem' }}>
      <h2 id={`sso-${p.slug}`}>
        {p.displayName} {p.enabled ? null : <span className="badge">off</span>}
      </h2>
      <dl className="dl">
        <dt>Issuer</dt>
        <dd>{p.issuerUrl}</dd>
        <dt>Redirect URI</dt>
        <dd>
          <code>{`${origin}/auth/sso/${p.slug}/callback`}</code>
        </dd>
        <dt>Accounts</dt>
        <dd>{p.provisioning === 'JIT' ? 'Created at first sign-in' : 'Pre-provisioned only'}</dd>
        <dt>Roles</dt>
        <dd>
          {p.groupRoles.length ? p.groupRoles.map((m) => `${m.group} → ${m.role}`).join(', ') : 'No group mapping'}
          {`; otherwise ${p.defaultRole ?? 'refused'}`}
        </dd>
      </dl>
      <div className="actions">
        <button
          type="button"
          className="btn plain"
          disabled={test.busy}
          onClick={async () => {
            const r = await test.run({ id: p.id }, { refresh: false });
            if (r) setResult(r.testSsoProvider);
          }}
        >
          {test.busy ? 'Testing…' : 'Test connection'}
        </button>
        <a className="btn plain" href={`/auth/sso/${encodeURIComponent(p.slug)}/start?test=1`}>
          Test sign-in
        </a>
        <button
          type="button"
          className="btn danger"
          disabled={del.busy}
          onClick={() => {
            if (window.confirm(`Delete ${p.displayName}? People linked to it keep their accounts.`)) void del.run({ id: p.id });
          }}
        >
          Delete
        </button>
      </div>
      {(test.error ?? del.error) ? (
        <p className="form-error" role="alert">
          {test.error ?? del.error}
        </p>
      ) : null}
      {result ? (
        <ul aria-label="Connection test" className="checks">
          {result.steps.map((s) => (
            <li key={s.step}>
              {s.ok ? '✔' : '✘'} <strong>{s.step}</strong>: {s.message}
            </li>
          ))}
          {result.ok ? <li>All steps passed.</li> : null}
        </ul>
      ) : null}
      <Disclosure summary={`Edit ${p.displayName}`}>
        <ProviderForm provider={p} />
      </Disclosure>
    </section>
  );
}
