'use client';
// The impact x urgency matrix that derives an incident's priority.
import { FieldErrors, FormError, Saved, Submit, useFieldMessage } from '@/components/forms';
import { SetPriorityMatrixDocument } from '@/gql/graphql';
import type { FieldError } from '@/lib/errors';
import { PRIORITY_LABELS } from '@/lib/format';
import { useAction } from '@/lib/use-action';

const LEVELS = ['1 High', '2 Medium', '3 Low'];

/** The API names a refused cell rows[impact-1][urgency-1]; its select is p-impact-urgency. */
const atCell = (errors: FieldError[]): FieldError[] =>
  errors.map((e) => {
    const m = e.field ? /rows\[(\d)\]\[(\d)\]$/.exec(e.field) : null;
    return m ? { ...e, field: `p-${m[1]}-${m[2]}` } : e;
  });

function Cell({ name, label, value, control }: { name: string; label: string; value: number; control: object }) {
  return (
    <td>
      <select name={name} defaultValue={String(value)} aria-label={label} {...control}>
        {[1, 2, 3, 4, 5].map((p) => (
          <option key={p} value={p}>
            P{p} {PRIORITY_LABELS[p]}
          </option>
        ))}
      </select>
    </td>
  );
}

/**
 * One impact's row; a refused cell is marked and its message spans the row below it, where there
 * is room to read it (a cell is as narrow as its select).
 */
function MatrixRow({ impact: i, values }: { impact: number; values: number[] }) {
  const cells = [useFieldMessage(`p-${i}-0`), useFieldMessage(`p-${i}-1`), useFieldMessage(`p-${i}-2`)];
  return (
    <>
      <tr>
        <th scope="row">{LEVELS[i]}</th>
        {cells.map((c, u) => (
          <Cell
            key={u}
            name={`p-${i}-${u}`}
            label={`Priority for impact ${i + 1}, urgency ${u + 1}`}
            value={values[u] ?? 3}
            control={c.control}
          />
        ))}
      </tr>
      {cells.some((c) => c.invalid) ? (
        <tr className="matrix-error">
          <td />
          <td colSpan={3}>{cells.map((c) => c.message)}</td>
        </tr>
      ) : null}
    </>
  );
}

export function PriorityMatrixForm({ rows }: { rows: number[][] }) {
  const { run, busy, error, errors, done } = useAction(SetPriorityMatrixDocument);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run({ input: { rows: [0, 1, 2].map((i) => [0, 1, 2].map((u) => Number(f.get(`p-${i}-${u}`)))) } });
      }}
    >
      <FieldErrors errors={atCell(errors)}>
        <div className="table-wrap" style={{ maxWidth: '40rem' }}>
          <table className="data matrix">
            <caption>Priority for each impact (rows) and urgency (columns)</caption>
            <thead>
              <tr>
                <th scope="col">Impact \ Urgency</th>
                {LEVELS.map((l) => (
                  <th key={l} scope="col">
                    {l}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {[0, 1, 2].map((i) => (
                <MatrixRow key={i} impact={i} values={rows[i] ?? []} />
              ))}
            </tbody>
          </table>
        </div>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Submit busy={busy}>Save matrix</Submit>
        <Saved done={done} error={error}>
          Saved; applies to incidents classified from now on.
        </Saved>
      </div>
    </form>
  );
}
