// The result of a test sign-in: what the provider sent and what a real sign-in would do with it.
import type { SsoTestResultQuery } from '@/gql/graphql';

export function TestResult({ result }: { result: NonNullable<SsoTestResultQuery['ssoTestResult']> }) {
  return (
    <section className="panel" aria-labelledby="test-h" style={{ marginBottom: '1rem' }}>
      <h2 id="test-h">Test sign-in {result.ok ? 'succeeded' : 'failed'}</h2>
      {result.ok ? (
        <p>
          Role: <strong>{result.role}</strong>; account: <strong>{result.account}</strong>; groups: {result.groups.join(', ') || 'none'}. No
          session was opened and no account was changed.
        </p>
      ) : (
        <p className="form-error" role="alert">
          {result.message ?? result.error}
        </p>
      )}
      {result.claims ? (
        <pre aria-label="Claims received" className="claims">
          {JSON.stringify(result.claims, null, 2)}
        </pre>
      ) : null}
    </section>
  );
}
