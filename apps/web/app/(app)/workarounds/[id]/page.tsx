import type { Metadata } from 'next';
import Link from 'next/link';
import { KnowledgeLifecyclePanel } from '@/components/knowledge/lifecycle-panel';
import { SearchFeedbackPanel } from '@/components/knowledge/search-feedback-panel';
import { one, type SearchParams } from '@/lib/params';
import { notFound } from 'next/navigation';
import { incidentHref } from '@/components/incident-table';
import { Markdown } from '@/components/markdown';
import { Dl, ErrorBox, StatusBadge } from '@/components/ui';
import { ApplyToIncident, WorkaroundEditForm, WorkaroundStatusButtons } from '@/components/workaround-actions';
import { WorkaroundDetailDocument } from '@/gql/graphql';
import { formatDateTime, formatMinutes, formatShare } from '@/lib/format';
import { gql, may, notFoundIfMissing } from '@/lib/server';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export const metadata: Metadata = { title: 'Workaround' };

export default async function WorkaroundPage({ params, searchParams }: Props) {
  const { id } = await params;
  const fromIncident = one(await searchParams, 'fromIncident');
  const res = await gql(WorkaroundDetailDocument, { id });
  notFoundIfMissing(res);
  if (res.error !== undefined) return <ErrorBox title="The workaround could not be loaded" message={res.error} />;
  const w = res.data.workaround;
  if (!w) notFound();
  const e = w.effectiveness;
  const [edit, apply] = await Promise.all([may('updateWorkaround'), may('applyWorkaround')]);
  return (
    <>
      <div className="page-header">
        <div>
          <div className="eyebrow">Workaround</div>
          <h1>{w.title}</h1>
          <StatusBadge status={w.status} />
        </div>
        <div className="page-actions">{edit ? <WorkaroundStatusButtons id={w.id} status={w.status} title={w.title} /> : null}</div>
      </div>
      <div className="grid-2">
        <div>
          <section className="panel" aria-labelledby="steps-h">
            <h2 id="steps-h">Steps</h2>
            <Markdown source={w.steps} />
          </section>
          {edit ? (
            <section className="panel">
              <details className="action">
                <summary>Edit</summary>
                <div className="body">
                  <WorkaroundEditForm id={w.id} title={w.title} steps={w.steps} />
                </div>
              </details>
            </section>
          ) : null}
        </div>
        <div>
          <section className="panel" aria-labelledby="eff-h">
            <h2 id="eff-h">Effectiveness</h2>
            <div className="grid-cards" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
              <div className="stat">
                <span className="value">{e.timesApplied}</span> times applied
              </div>
              <div className="stat">
                <span className="value">{e.incidents}</span> incidents
              </div>
              <div className="stat" title="Of the incidents it was applied to that have an outcome, resolved and never reopened afterwards">
                <span className="value">{formatShare(e.resolvedWithoutReopenShare)}</span> held (no reopen)
              </div>
              <div className="stat" title="Median from first application to resolution">
                <span className="value">{formatMinutes(e.medianMinutesToResolution)}</span> median to resolve
              </div>
            </div>
            <p className="small muted">
              {e.resolvedIncidents} resolved after it was applied, {e.resolvedWithoutReopen} without reopening; the resolution of{' '}
              {e.restoredService} says it restored service. {e.inFlight} in flight (still open since it was applied): counted once they have
              an outcome.
            </p>
          </section>
          {w.status === 'ACTIVE' && !apply ? null : w.status === 'ACTIVE' ? (
            <section className="panel" aria-labelledby="apply-h">
              <h2 id="apply-h">Apply to an open incident</h2>
              <ApplyToIncident workaroundId={w.id} title={w.title} />
            </section>
          ) : (
            <p className="notice small">Only active workarounds can be applied.</p>
          )}
          {w.knowledge ? <SearchFeedbackPanel kind="WORKAROUND" itemId={w.id} title={w.title} fromIncident={fromIncident} /> : null}
          {w.knowledge ? <KnowledgeLifecyclePanel k={w.knowledge} /> : null}
          <section className="panel" aria-labelledby="links-h">
            <h2 id="links-h">Links</h2>
            <Dl
              items={[
                ['Created', formatDateTime(w.createdAt)],
                ['Updated', formatDateTime(w.updatedAt)],
                ['Retired', formatDateTime(w.retiredAt)],
                [
                  'Written from',
                  w.sourceIncident ? <Link href={incidentHref(w.sourceIncident.number)}>{w.sourceIncident.number}</Link> : '—',
                ],
              ]}
            />
            <h3>Problems</h3>
            {w.problems.length ? (
              <ul>
                {w.problems.map((p) => (
                  <li key={p.id}>
                    <Link href={`/problems/${encodeURIComponent(p.number)}`}>
                      {p.number} {p.title}
                    </Link>{' '}
                    <StatusBadge status={p.status} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">Not linked to a problem.</p>
            )}
            <h3>Incident models</h3>
            {w.models.length ? (
              <ul>
                {w.models.map((m) => (
                  <li key={m.id}>
                    <Link href={`/models/${m.id}`}>{m.name}</Link>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">No model links it.</p>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
