import type { Metadata } from 'next';
import { PriorityMatrixForm } from '@/components/admin-actions';
import { ErrorBox } from '@/components/ui';
import { AdminPriorityMatrixDocument } from '@/gql/graphql';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Priority matrix' };

export default async function PriorityMatrixPage() {
  const res = await gql(AdminPriorityMatrixDocument);
  if (res.error !== undefined) return <ErrorBox title="The priority matrix could not be loaded" message={res.error} />;
  return (
    <>
      <h1>Priority matrix</h1>
      <p className="lead">Priority is derived from impact × urgency unless an incident overrides it with a reason. Changes apply to incidents classified from now on.</p>
      <section className="panel" style={{ marginTop: '1rem' }}>
        <PriorityMatrixForm rows={res.data.priorityMatrix.rows} />
      </section>
    </>
  );
}
