import type { Metadata } from 'next';
import { PriorityMatrixForm } from '@/components/admin/priority-matrix-form';
import { ErrorBox } from '@/components/ui';
import { AdminPriorityMatrixDocument } from '@/gql/graphql';
import { gql } from '@/lib/server';
import { IfAllowed } from '@/components/if-allowed';
import { PRIORITY_LABELS } from '@/lib/format';

export const metadata: Metadata = { title: 'Priority matrix' };

export default async function PriorityMatrixPage() {
  const res = await gql(AdminPriorityMatrixDocument);
  if (res.error !== undefined) return <ErrorBox title="The priority matrix could not be loaded" message={res.error} />;
  return (
    <>
      <h1>Priority matrix</h1>
      <p className="lead">
        Priority is derived from impact × urgency unless an incident overrides it with a reason. Changes apply to incidents classified from
        now on.
      </p>
      <section className="panel" style={{ marginTop: '1rem' }}>
        <IfAllowed op="setPriorityMatrix" fallback={<MatrixTable rows={res.data.priorityMatrix.rows} />}>
          <PriorityMatrixForm rows={res.data.priorityMatrix.rows} />
        </IfAllowed>
      </section>
    </>
  );
}

/** Read-only view for roles that may not change the matrix. */
function MatrixTable({ rows }: { rows: number[][] }) {
  return (
    <table className="data matrix">
      <caption>Priority by impact (rows) and urgency (columns); changed by admins</caption>
      <thead>
        <tr>
          <th scope="col">Impact \ urgency</th>
          {rows[0]?.map((_, u) => (
            <th scope="col" key={u}>
              {u + 1}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            <th scope="row">{i + 1}</th>
            {row.map((p, u) => (
              <td key={u}>
                P{p} {PRIORITY_LABELS[p]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
