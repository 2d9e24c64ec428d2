import type { Metadata } from 'next';
import { CreateWorkaroundForm } from '@/components/problem-actions';
import { NotAllowed } from '@/components/ui';
import { may } from '@/lib/server';

export const metadata: Metadata = { title: 'New workaround' };

export default async function NewWorkaroundPage() {
  const allowed = await may('createWorkaround');
  return (
    <>
      <h1>New workaround</h1>
      <p className="lead">Link it to problems from their pages; write it from a resolved incident on that incident&apos;s page.</p>
      {allowed ? (
        <div className="panel">
          <CreateWorkaroundForm />
        </div>
      ) : (
        <NotAllowed what="write workarounds (problem managers and admins can)" />
      )}
    </>
  );
}
