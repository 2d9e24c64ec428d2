// Description, classification, people, timestamps, links and the resolution of an incident.
import Link from 'next/link';
import { Dl } from '@/components/ui';
import type { DetailsPanelFragment } from '@/gql/graphql';
import { LEVEL_LABELS, formatDateTime, humanize } from '@/lib/format';

export function DetailsPanel({ incident: i }: { incident: DetailsPanelFragment }) {
  const categoryName = i.category ? (i.category.parent ? `${i.category.parent.name} › ${i.category.name}` : i.category.name) : null;
  return (
    <section className="panel" aria-labelledby="details-h">
      <h2 id="details-h">Details</h2>
      {i.description ? <p className="prewrap">{i.description}</p> : <p className="muted">No description.</p>}
      <Dl
        items={[
          ['Service', i.service?.name ?? '—'],
          ['Category', categoryName ?? '—'],
          ['Impact × urgency', `${i.impact} ${LEVEL_LABELS[i.impact]} × ${i.urgency} ${LEVEL_LABELS[i.urgency]}`],
          ['Team', i.team?.name ?? '—'],
          ['Assignee', i.assignee?.name ?? 'Unassigned'],
          ['Reporter', i.reporter?.name ?? '—'],
          ['Source', humanize(i.source)],
          ['External reference', i.externalRef ?? '—'],
          ['Detected', formatDateTime(i.detectedAt)],
          ['Opened', formatDateTime(i.openedAt)],
          ['Acknowledged', formatDateTime(i.acknowledgedAt)],
          ['Resolved', formatDateTime(i.resolvedAt)],
          ['Closed', formatDateTime(i.closedAt)],
          ['Reassignments', String(i.reassignmentCount)],
          [
            'Problem',
            i.problem ? (
              <Link href={`/problems/${encodeURIComponent(i.problem.number)}`}>
                {i.problem.number} {i.problem.title}
              </Link>
            ) : (
              '—'
            ),
          ],
          [
            'Model applied',
            i.model ? (
              <Link href={`/models/${i.model.model.id}`}>
                {i.model.model.name} v{i.model.version}
              </Link>
            ) : (
              '—'
            ),
          ],
        ]}
      />
      {i.resolution ? (
        <>
          <h3>Resolution</h3>
          <Dl
            items={[
              ['Kind', humanize(i.resolution.kind)],
              ['Code', i.resolution.code ?? '—'],
              [
                'Workaround',
                i.resolvedByWorkaround ? (
                  <Link href={`/workarounds/${i.resolvedByWorkaround.id}`}>{i.resolvedByWorkaround.title}</Link>
                ) : (
                  '—'
                ),
              ],
              ['User confirmed', i.resolution.userConfirmed == null ? '—' : i.resolution.userConfirmed ? 'Yes' : 'No'],
            ]}
          />
          {i.resolution.notes ? <p className="prewrap">{i.resolution.notes}</p> : null}
        </>
      ) : null}
    </section>
  );
}
