'use client';
import { CopyBlock, SecretOnce } from '@/components/secret-once';

/** A new API token's secret, shown once, with a curl call that uses it. */
export function TokenSecret({ secret, title, apiBase, onDone }: { secret: string; title: string; apiBase: string; onDone: () => void }) {
  const curl = [
    `curl -s ${apiBase}/graphql \\`,
    `  -H 'Authorization: Bearer ${secret}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '{"query":"{ me { role user { email } } }"}'`,
  ].join('\n');
  return (
    <SecretOnce title={title} label="API token" secret={secret} onDone={onDone}>
      <CopyBlock
        label="Example call"
        text={curl}
        hint={
          `Send it as Authorization: Bearer <token>. ${apiBase} is the API's address as this web server ` +
          'reaches it (API_URL); behind a proxy or load balancer its public address may differ.'
        }
      />
    </SecretOnce>
  );
}
