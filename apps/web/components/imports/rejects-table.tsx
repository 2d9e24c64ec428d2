// The rejected rows of one import run with the importer's reasons, by row number. Only the first
// 1,000 are kept with a run (rowsRejected has the total): the table says so when there were more.
import { Empty } from '@/components/ui';
import type { RejectRowFragment } from '@/gql/graphql';
import { formatCount } from './format';

export function RejectsTable({
  rejects,
  rowsRejected,
  rejectsStored,
  rejectsFile,
}: {
  rejects: RejectRowFragment[];
  rowsRejected: number;
  rejectsStored: number;
  rejectsFile?: string | null;
}) {
  const cut = rowsRejected > rejectsStored;
  return (
    <section className="panel" aria-labelledby="rejects-h" data-testid="run-rejects">
      <h2 id="rejects-h">Rejected rows</h2>
      {cut ? (
        <p className="notice small" role="note" data-testid="rejects-cut">
          First {formatCount(rejectsStored)} of {formatCount(rowsRejected)} kept: a run keeps the first {formatCount(rejectsStored)}{' '}
          rejected rows by row number.
          {rejectsFile ? (
            <>
              {' '}
              All of them were written to <code>{rejectsFile}</code> on the machine that ran the command.
            </>
          ) : null}
        </p>
      ) : null}
      {rejects.length ? (
        <div className="table-wrap">
          <table className="data" data-testid="rejects-table">
            <caption>
              {cut ? `${formatCount(rejects.length)} of ${formatCount(rowsRejected)}` : formatCount(rejects.length)} rejected{' '}
              {rowsRejected === 1 ? 'row' : 'rows'}, by row number (the header is row 1).
            </caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Row
                </th>
                <th scope="col">Reasons</th>
              </tr>
            </thead>
            <tbody>
              {rejects.map((r, i) => (
                <tr key={`${r.row}-${i}`} data-row={r.row}>
                  <th scope="row" className="num" style={{ fontWeight: 'normal' }}>
                    {r.row}
                  </th>
                  <td data-stat="reasons">
                    <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
                      {r.reasons.map((reason, j) => (
                        <li key={j} className="prewrap">
                          {reason}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>{rowsRejected ? 'The rejected rows were not kept with this run.' : 'No rows were rejected.'}</Empty>
      )}
    </section>
  );
}
