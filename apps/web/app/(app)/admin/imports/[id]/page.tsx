import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AdminsOnly } from '@/components/imports/admins-only';
import { formatDuration, ranByLabel, refusalLabel } from '@/components/imports/format';
import { LocalTime } from '@/components/imports/local-time';
import { RunOutcome } from '@/components/imports/outcome-badge';
import { RejectsTable } from '@/components/imports/rejects-table';
import { RunCounts } from '@/components/imports/run-counts';
import { RunOptions } from '@/components/imports/run-options';
import { Dl, ErrorBox } from '@/components/ui';
import { AdminImportRunDocument } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { IMPORT_HISTORY_OP } from '@/lib/nav';
import { gql, may, notFoundIfMissing } from '@/lib/server';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Import run' };

export default async function ImportRunPage({ params }: Props) {
  const { id } = await params;
  if (!(await may(IMPORT_HISTORY_OP))) return <AdminsOnly title="Import run" />;
  const res = await gql(AdminImportRunDocument, { id });
  // A malformed id (BAD_USER_INPUT) or an unknown one: the not-found page.
  notFoundIfMissing(res);
  if (res.error !== undefined) return <ErrorBox title="The import run could not be loaded" message={res.error} />;
  const run = res.data.importRun;
  if (!run) notFound();
  return (
    <>
      <div className="page-header">
        <div>
          <div className="eyebrow">
            <Link href="/admin/imports">Imports</Link> / run
          </div>
          <h1>{run.fileName}</h1>
          <div data-testid="run-outcome">
            <RunOutcome outcome={run.outcome} refusalReason={run.refusalReason} />
          </div>
        </div>
      </div>
      {run.message ? (
        <section className="panel" aria-labelledby="message-h">
          <h2 id="message-h">
            {run.outcome === 'FAILED' ? 'Why it failed' : run.outcome === 'REFUSED' ? 'Why it was refused' : 'Message'}
          </h2>
          <pre className="prewrap" data-testid="run-message">
            {run.message}
          </pre>
        </section>
      ) : null}
      <div className="grid-2">
        <div>
          <RunCounts run={run} />
          <RejectsTable
            rejects={run.rejects}
            rowsRejected={run.rowsRejected}
            rejectsStored={run.rejectsStored}
            rejectsFile={run.options.rejectsFile}
          />
        </div>
        <div>
          <section className="panel" aria-labelledby="file-h" data-testid="run-file">
            <h2 id="file-h">Run</h2>
            <Dl
              items={[
                [
                  'Outcome',
                  run.outcome === 'REFUSED' && run.refusalReason
                    ? `Refused: ${refusalLabel(run.refusalReason)} (${run.refusalReason})`
                    : humanize(run.outcome),
                ],
                ['File', run.fileName],
                ['File SHA-256', run.fileSha256 ? <code className="mono small">{run.fileSha256}</code> : 'not read'],
                ['Source', run.source],
                [
                  'Layout',
                  run.shape === 'EVENT_LOG'
                    ? 'Event log (several rows per incident)'
                    : run.shape === 'TABLE'
                      ? 'Table (one row per incident)'
                      : '—',
                ],
                ['Started', <LocalTime key="started" iso={run.startedAt} />],
                ['Finished', <LocalTime key="finished" iso={run.finishedAt} />],
                ['Duration', formatDuration(run.durationMs)],
                ['Ran by', ranByLabel(run)],
                ['Name on the timeline', run.actorName],
              ]}
            />
          </section>
          <RunOptions options={run.options} dateEvidence={run.dateEvidence} />
        </div>
      </div>
    </>
  );
}
