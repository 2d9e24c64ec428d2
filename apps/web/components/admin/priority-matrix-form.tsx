'use client';
// The impact x urgency matrix that derives an incident's priority.
import { FormError, Submit } from '@/components/forms';
import { SetPriorityMatrixDocument } from '@/gql/graphql';
import { PRIORITY_LABELS } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function PriorityMatrixForm({ rows }: { rows: number[][] }) {
  const { run, busy, error, done } = useAction(SetPriorityMatrixDocument);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ input: { rows: [0, 1, 2].map((i) => [0, 1, 2].map((u) => Number(f.get(`p-${i}-${u}`)))) } });
      }}
    >
      <div className="table-wrap" style={{ maxWidth: '40rem' }}>
        <table className="data matrix">
          <caption>Priority for each impact (rows) and urgency (columns)</caption>
          <thead>
            <tr>
              <th scope="col">Impact \ Urgency</th>
              <th scope="col">1 High</th>
              <th scope="col">2 Medium</th>
              <th scope="col">3 Low</th>
            </tr>
          </thead>
          <tbody>
            {[0, 1, 2].map((i) => (
              <tr key={i}>
                <th scope="row">{['1 High', '2 Medium', '3 Low'][i]}</th>
                {[0, 1, 2].map((u) => (
                  <td key={u}>
                    <select
                      name={`p-${i}-${u}`}
                      defaultValue={String(rows[i]?.[u] ?? 3)}
                      aria-label={`Priority for impact ${i + 1}, urgency ${u + 1}`}
                    >
                      {[1, 2, 3, 4, 5].map((p) => (
                        <option key={p} value={p}>
                          P{p} {PRIORITY_LABELS[p]}
                        </option>
                      ))}
                    </select>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormError error={error} />
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Submit busy={busy}>Save matrix</Submit>
        {done && !error ? (
          <span className="form-ok" role="status">
            Saved; applies to incidents classified from now on.
          </span>
        ) : null}
      </div>
    </form>
  );
}
