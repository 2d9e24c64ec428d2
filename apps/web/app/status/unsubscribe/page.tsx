// Opened from a status page mail: a button unsubscribes (the API's GET works for List-Unsubscribe clients).
import type { Metadata } from 'next';
import Link from 'next/link';
import { UnsubscribeForm } from '@/components/status-page/unsubscribe-form';
import '@/components/status-page/status.css';

export const metadata: Metadata = { title: 'Unsubscribe' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UnsubscribePage({ searchParams }: Props) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  return (
    <main id="main" className="status-page" tabIndex={-1}>
      <h1>Unsubscribe from status updates</h1>
      <p>No more mail from the status page will go to this address.</p>
      <UnsubscribeForm token={token} />
      <p>
        <Link href="/status">Back to the status page</Link>
      </p>
    </main>
  );
}
