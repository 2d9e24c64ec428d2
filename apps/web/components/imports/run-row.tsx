// One import run in the history table (/admin/imports): when, how it ended, the file, the counts.
// The file name opens the run's page with everything else (options, message, rejected rows).
import Link from 'next/link';
import type { RunRowFragment } from '@/gql/graphql';
import { formatCount, formatDuration, ranByLabel } from './format';
import { LocalTime } from './local-time';
import { RunOutcome } from './outcome-badge';

export const RUN_COLUMNS = 11;

export function runHref(id: string): string {
  return `/admin/imports/${encodeURIComponent(id)}`;
}

export function RunRow({ run }: { run: RunRowFragment }) {
  return (
    <tr data-run-id={run.id} data-outcome={run.outcome}>
      <td className="small nowrap" data-stat="startedAt">
        <LocalTime iso={run.startedAt} />
      </td>
      <td data-stat="outcome">
        <RunOutcome outcome={run.outcome} refusalReason={run.refusalReason} />
      </td>
      <th scope="row" className="title-cell" style={{ fontWeight: 'normal' }} data-stat="fileName">
        <Link href={runHref(run.id)}>{run.fileName}</Link>
      </th>
      <td className="small" data-stat="source">
        {run.source}
        <div className="mono muted">{run.kind}</div>
      </td>
      <td className="num" data-stat="rows">
        {formatCount(run.rows)}
      </td>
      <td className="num" data-stat="created">
        {formatCount(run.incidentsCreated)}
      </td>
      <td className="num" data-stat="updated">
        {formatCount(run.incidentsUpdated)}
      </td>
      <td className="num" data-stat="unchanged">
        {formatCount(run.incidentsUnchanged)}
      </td>
      <td className="num" data-stat="rejected">
        {formatCount(run.rowsRejected)}
      </td>
      <td className="num nowrap" data-stat="duration">
        {formatDuration(run.durationMs)}
      </td>
      <td className="small" data-stat="ranBy">
        {ranByLabel(run)}
      </td>
    </tr>
  );
}
