import type { ProblemStatus, RootCauseCategory } from '@ikb/domain';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { incidentHref } from '@/components/incident-table';
import { KnowledgeLifecyclePanel } from '@/components/knowledge/lifecycle-panel';
import { SearchFeedbackPanel } from '@/components/knowledge/search-feedback-panel';
import {
  CreateWorkaroundForm,
  ProblemEditForm,
  ProblemTransitions,
  UnlinkWorkaroundButton,
  WorkaroundLinks,
} from '@/components/problem-actions';
import { Timeline } from '@/components/timeline';
import { Dl, Empty, ErrorBox, NotAllowed, Pager, PriorityBadge, StatusBadge } from '@/components/ui';
import { LookupsDocument, ProblemDetailDocument } from '@/gql/graphql';
import { formatDate, formatDateTime, formatMinutes, humanize } from '@/lib/format';
import { heldText } from '@/lib/held-share';
import { decodeSegment, one, type SearchParams } from '@/lib/params';
import { gql, may, notFoundIfMissing } from '@/lib/server';

type Props = { params: Promise<{ number: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeSegment((await params).number) };
}

export default async function ProblemPage({ params, searchParams }: Props) {
  const number = decodeSegment((await params).number);
  const sp = await searchParams;
  const after = one(sp, 'after');
  const fromIncident = one(sp, 'fromIncident');
  const [res, lookups] = await Promise.all([gql(ProblemDetailDocument, { number, first: 25, after }), gql(LookupsDocument)]);
  notFoundIfMissing(res);
  if (res.error !== undefined) return <ErrorBox title={`Problem ${number} could not be loaded`} message={res.error} />;
  const p = res.data.problemByNumber;
  if (!p) notFound();
  const edit = await may('updateProblem');

  return (
    <>
      <div className="page-header">
        <div>
          <div className="eyebrow">{p.number}</div>
          <h1>{p.title}</h1>
          <div className="actions">
            <StatusBadge status={p.status} />
            {/* The status is shown once; catalog membership is said only where the status does not say it. */}
            {p.isKnownError && p.status !== 'KNOWN_ERROR' ? <span className="badge">In the known-error catalog</span> : null}
            {!p.isKnownError && p.status === 'KNOWN_ERROR' ? (
              <span className="muted small">Not in the known-error catalog yet: it needs an active workaround.</span>
            ) : null}
            <span className="badge">{humanize(p.rootCauseCategory)}</span>
          </div>
        </div>
      </div>
      <div className="grid-2">
        <div>
          {p.knowledge ? <SearchFeedbackPanel kind="KNOWN_ERROR" itemId={p.id} title={p.title} fromIncident={fromIncident} /> : null}
          {p.knowledge ? <KnowledgeLifecyclePanel k={p.knowledge} /> : null}
          <section className="panel" aria-labelledby="rc-h">
            <h2 id="rc-h">Root cause</h2>
            {p.rootCause ? <p className="prewrap">{p.rootCause}</p> : <p className="muted">Not documented yet.</p>}
            {p.description ? (
              <>
                <h3>Description</h3>
                <p className="prewrap">{p.description}</p>
              </>
            ) : null}
            {p.analysisNotes ? (
              <>
                <h3>Analysis notes</h3>
                <p className="prewrap">{p.analysisNotes}</p>
              </>
            ) : null}
            <Dl
              items={[
                ['Service', p.service?.name ?? '—'],
                ['Category', p.category?.name ?? '—'],
                ['Owner', p.owner?.name ?? '—'],
                ['Team', p.team?.name ?? '—'],
                ['Known error since', formatDateTime(p.knownErrorAt)],
                ['Resolved', formatDateTime(p.resolvedAt)],
                ['Closed', formatDateTime(p.closedAt)],
                ['Fix change', p.fixChangeRef ?? '—'],
                ['Fix', p.fixDescription ?? '—'],
                [
                  'Source incident',
                  p.sourceIncident ? <Link href={incidentHref(p.sourceIncident.number)}>{p.sourceIncident.number}</Link> : '—',
                ],
                ['Symptom keywords', p.keywords.length ? p.keywords.join(', ') : '—'],
              ]}
            />
          </section>

          <section className="panel" aria-labelledby="rec-h">
            <h2 id="rec-h">Recurrence</h2>
            <div className="grid-cards">
              <div className="stat">
                <span className="value">{p.incidentCount}</span> incidents linked
              </div>
              <div className="stat" title="Incidents opened after the problem was resolved (null while unresolved)">
                <span className="value">{p.recurrencesSinceFix ?? '—'}</span> since the fix
              </div>
              <div className="stat" title="Incidents opened after the last of its action items was done">
                <span className="value">{p.recurrencesAfterActions ?? '—'}</span> after action items
              </div>
            </div>
          </section>

          <section className="panel" aria-labelledby="inc-h">
            <h2 id="inc-h">Linked incidents</h2>
            {p.incidents.nodes.length ? (
              <>
                <div className="table-wrap">
                  <table className="data">
                    <caption>Incidents of this problem, newest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Number</th>
                        <th scope="col">Title</th>
                        <th scope="col">Priority</th>
                        <th scope="col">Status</th>
                        <th scope="col">Opened</th>
                        <th scope="col">Resolved</th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.incidents.nodes.map((i) => (
                        <tr key={i.id}>
                          <td className="mono">
                            <Link href={incidentHref(i.number)}>{i.number}</Link>
                          </td>
                          <td>{i.title}</td>
                          <td>
                            <PriorityBadge priority={i.priority} />
                          </td>
                          <td>
                            <StatusBadge status={i.status} />
                          </td>
                          <td className="small nowrap">{formatDate(i.openedAt)}</td>
                          <td className="small nowrap">{formatDate(i.resolvedAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager
                  basePath={`/problems/${encodeURIComponent(p.number)}`}
                  params={{}}
                  endCursor={p.incidents.pageInfo.endCursor}
                  hasNextPage={p.incidents.pageInfo.hasNextPage}
                  isFirstPage={!after}
                  shown={p.incidents.nodes.length}
                  total={p.incidents.totalCount}
                />
              </>
            ) : (
              <Empty>No incident is linked yet. Link incidents from their pages.</Empty>
            )}
          </section>

          <section className="panel" aria-labelledby="tl-h">
            <h2 id="tl-h">Timeline</h2>
            <Timeline events={p.timeline} label={`Timeline of ${p.number}`} />
          </section>
        </div>
        <div>
          <section className="panel" aria-labelledby="life-h">
            <h2 id="life-h">Lifecycle</h2>
            {edit ? (
              <ProblemTransitions
                problem={{
                  id: p.id,
                  number: p.number,
                  status: p.status as ProblemStatus,
                  rootCause: p.rootCause ?? null,
                  rootCauseCategory: p.rootCauseCategory as RootCauseCategory,
                  fixChangeRef: p.fixChangeRef ?? null,
                }}
              />
            ) : (
              <NotAllowed what="change a problem's status (problem managers and admins can)" />
            )}
          </section>
          <section className="panel" aria-labelledby="wa-h">
            <h2 id="wa-h">Workarounds</h2>
            {p.workarounds.length ? (
              <ul className="card-list">
                {p.workarounds.map((w) => (
                  <li key={w.id}>
                    <Link href={`/workarounds/${w.id}`}>{w.title}</Link> <StatusBadge status={w.status} />
                    <div className="muted small">
                      applied {w.effectiveness.timesApplied}× on {w.effectiveness.incidents} incidents · held{' '}
                      {heldText(w.effectiveness.resolvedWithoutReopenShare, w.effectiveness.inFlight)} · median{' '}
                      {formatMinutes(w.effectiveness.medianMinutesToResolution)} to resolve
                    </div>
                    {edit ? <UnlinkWorkaroundButton problemId={p.id} workaroundId={w.id} title={w.title} /> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>No workaround linked.</Empty>
            )}
            {edit ? (
              <>
                <details className="action" style={{ marginTop: '0.5rem' }}>
                  <summary>Link an existing workaround</summary>
                  <div className="body">
                    <WorkaroundLinks problemId={p.id} />
                  </div>
                </details>
                <details className="action">
                  <summary>Write a new workaround</summary>
                  <div className="body">
                    <CreateWorkaroundForm problemId={p.id} />
                  </div>
                </details>
              </>
            ) : null}
          </section>
          <section className="panel" aria-labelledby="ai-h">
            <h2 id="ai-h">Action items</h2>
            {p.actionItems.length ? (
              <ul className="card-list">
                {p.actionItems.map((a) => (
                  <li key={a.id}>
                    {a.title} <StatusBadge status={a.status} /> {a.overdue ? <span className="badge priority-1">Overdue</span> : null}
                    <div className="muted small">
                      {humanize(a.kind)} · {a.owner.name} · due {formatDate(a.dueDate)} ·{' '}
                      <Link href={`/reviews/${a.review.id}`}>{a.review.number}</Link>
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>No review action item targets this problem.</Empty>
            )}
          </section>
          {edit ? (
            <section className="panel">
              <details className="action">
                <summary>Edit problem</summary>
                <div className="body">
                  <ProblemEditForm
                    problem={{
                      id: p.id,
                      title: p.title,
                      description: p.description,
                      rootCause: p.rootCause,
                      rootCauseCategory: p.rootCauseCategory,
                      analysisNotes: p.analysisNotes,
                      keywords: p.keywords,
                      fixChangeRef: p.fixChangeRef,
                      fixDescription: p.fixDescription,
                      serviceId: p.service?.id,
                      categoryId: p.category?.id,
                      ownerId: p.owner?.id,
                      teamId: p.team?.id,
                    }}
                    services={lookups.data?.services ?? []}
                    categories={lookups.data?.categories ?? []}
                    users={lookups.data?.users ?? []}
                    teams={lookups.data?.teams ?? []}
                  />
                </div>
              </details>
            </section>
          ) : null}
        </div>
      </div>
    </>
  );
}
