import type { Metadata } from 'next';
import { CreateWorkaroundForm } from '@/components/problem-actions';

export const metadata: Metadata = { title: 'New workaround' };

export default function NewWorkaroundPage() {
  return (
    <>
      <h1>New workaround</h1>
      <p className="lead">Link it to problems from their pages; write it from a resolved incident on that incident&apos;s page.</p>
      <div className="panel">
        <CreateWorkaroundForm />
      </div>
    </>
  );
}
