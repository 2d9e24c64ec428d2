// Opened from the confirmation mail: confirms the subscription (double opt-in) and says so.
import type { Metadata } from 'next';
import Link from 'next/link';
import { statusCall } from '@/lib/status-api';
import '@/components/status-page/status.css';

export const metadata: Metadata = { title: 'Confirm subscription' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ConfirmPage({ searchParams }: Props) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  const answer = await statusCall(`/status/confirm?token=${encodeURIComponent(token ?? '')}`, { method: 'GET' });
  return (
    <main id="main" className="status-page" tabIndex={-1}>
      <h1>{answer.ok ? 'Subscription confirmed' : 'This link does not work'}</h1>
      <p className={answer.ok ? 'form-ok' : 'form-error'} role={answer.ok ? 'status' : 'alert'}>
        {answer.message}
      </p>
      <p>
        <Link href="/status">Back to the status page</Link>
      </p>
    </main>
  );
}
