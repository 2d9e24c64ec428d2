import { allowedTargets, type IncidentStatus } from '@ikb/domain';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import {
  AcknowledgeButton,
  ApplyModelButton,
  ApplyWorkaroundButton,
  AssignForm,
  ChecklistItem,
  ClassifyForm,
  ConfigChangeForm,
  CreateModelFromIncidentForm,
  CreateProblemFromIncidentForm,
  CreateWorkaroundFromIncidentForm,
  DisasterRecoveryForm,
  EditIncidentForm,
  EscalationForm,
  LifecycleActions,
  ProblemLinkForm,
  StakeholderUpdateForm,
  TimeEntryForm,
} from '@/components/incident-actions';
import { StartReviewButton } from '@/components/review-editor';
import { SlaClockCard } from '@/components/sla-clock';
import { Timeline } from '@/components/timeline';
import { Dl, Empty, ErrorBox, MajorBadge, NotAllowed, PriorityBadge, StatusBadge } from '@/components/ui';
import { IncidentDetailDocument, IncidentModelSuggestionsDocument, LookupsDocument, SimilarIncidentsDocument } from '@/gql/graphql';
import { LEVEL_LABELS, formatCents, formatDate, formatDateTime, formatMinutes, formatShare, humanize } from '@/lib/format';
import { gql, may, notFoundIfMissing } from '@/lib/server';

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: decodeURIComponent(number) };
}

const OPEN = ['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD'];

export default async function IncidentPage({ params }: Props) {
  const number = decodeURIComponent((await params).number);
  const [res, lookups] = await Promise.all([gql(IncidentDetailDocument, { number }), gql(LookupsDocument)]);
  notFoundIfMissing(res);
  if (res.error !== undefined) return <ErrorBox title={`Incident ${number} could not be loaded`} message={res.error} />;
  const i = res.data.incidentByNumber;
  if (!i) notFound();

  const open = OPEN.includes(i.status);
  const readOnly = i.status === 'CLOSED' || i.status === 'REVIEWED';
  const [suggestions, similar] = open
    ? await Promise.all([gql(IncidentModelSuggestionsDocument, { incidentId: i.id }), gql(SimilarIncidentsDocument, { incidentId: i.id, first: 5 })])
    : [null, null];
  const targets = allowedTargets(i.status as IncidentStatus);
  // What the signed-in role may do here (the API enforces it; hidden controls only spare a refusal).
  const [work, knowledge, review] = await Promise.all([may('transitionIncident'), may('createProblemFromIncident'), may('createReview')]);
  const services = lookups.data?.services ?? [];
  const categories = lookups.data?.categories ?? [];
  const teams = lookups.data?.teams ?? [];
  const users = lookups.data?.users ?? [];
  const applied = [...new Map(i.workaroundApplications.map((a) => [a.workaround.id, { id: a.workaround.id, name: a.workaround.title }])).values()];
  const appliedIds = new Set(applied.map((a) => a.id));
  const acknowledged = !!i.acknowledgedAt;
  const categoryName = i.category ? (i.category.parent ? `${i.category.parent.name} › ${i.category.name}` : i.category.name) : null;

  return (
    <>
      <div className="page-header">
        <div>
          <div className="eyebrow">{i.number}</div>
          <h1>{i.title}</h1>
          <div className="actions">
            <StatusBadge status={i.status} />
            <PriorityBadge priority={i.priority} />
            {i.priorityOverridden ? (
              <span className="badge" title={i.priorityOverrideReason ?? ''}>
                Priority overridden: {i.priorityOverrideReason}
              </span>
            ) : null}
            {i.major ? <MajorBadge /> : null}
            {i.holdReason && i.status === 'ON_HOLD' ? <span className="badge">{humanize(i.holdReason)}</span> : null}
            {i.reopenCount ? <span className="badge">Reopened {i.reopenCount}×</span> : null}
          </div>
        </div>
        <div className="page-actions">{open && !acknowledged && work ? <AcknowledgeButton id={i.id} /> : null}</div>
      </div>
      {lookups.error !== undefined ? <ErrorBox title="Services, teams and users could not be loaded" message={lookups.error} /> : null}

      <div className="grid-2">
        <div>
          <section className="panel" aria-labelledby="sla-h">
            <h2 id="sla-h">SLA clocks</h2>
            {i.slaClocks.length ? (
              <div className="clocks">
                {i.slaClocks.map((c) => (
                  <SlaClockCard key={c.target} clock={c} />
                ))}
              </div>
            ) : (
              <Empty>No SLA clocks: no policy applies to this incident.</Empty>
            )}
          </section>

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
                    ['Workaround', i.resolvedByWorkaround ? <Link href={`/workarounds/${i.resolvedByWorkaround.id}`}>{i.resolvedByWorkaround.title}</Link> : '—'],
                    ['User confirmed', i.resolution.userConfirmed == null ? '—' : i.resolution.userConfirmed ? 'Yes' : 'No'],
                  ]}
                />
                {i.resolution.notes ? <p className="prewrap">{i.resolution.notes}</p> : null}
              </>
            ) : null}
          </section>

          {open ? (
            <section className="panel" aria-labelledby="diag-h">
              <h2 id="diag-h">Diagnosis</h2>
              <h3 id="similar-h">Similar past incidents and what fixed them</h3>
              {similar?.error ? (
                <ErrorBox title="Similar incidents could not be loaded" message={similar.error} />
              ) : similar?.data?.similarIncidents.length ? (
                <ul className="card-list similar" aria-labelledby="similar-h">
                  {similar.data.similarIncidents.map((m) => (
                    <li key={m.incident.id}>
                      <Link href={`/incidents/${encodeURIComponent(m.incident.number)}`} className="mono">
                        {m.incident.number}
                      </Link>{' '}
                      <strong>{m.incident.title}</strong> <PriorityBadge priority={m.incident.priority} />{' '}
                      <span className="muted small">
                        {[m.incident.service?.name, m.incident.resolvedAt ? `resolved ${formatDate(m.incident.resolvedAt)}` : null, `score ${m.score.toFixed(2)}`]
                          .filter(Boolean)
                          .join(' · ')}
                      </span>
                      <div className="fix small">
                        <strong>Fixed by:</strong>{' '}
                        {m.incident.resolution ? humanize(m.incident.resolution.kind) : 'Unknown'}
                        {m.incident.resolution?.code ? ` (${m.incident.resolution.code})` : ''}
                        {m.workaround ? (
                          <>
                            {' · workaround '}
                            <Link href={`/workarounds/${m.workaround.id}`}>{m.workaround.title}</Link>{' '}
                            {m.workaround.status !== 'ACTIVE' ? <StatusBadge status={m.workaround.status} /> : null}
                            {m.workaround.status === 'ACTIVE' && work ? (
                              appliedIds.has(m.workaround.id) ? (
                                <span className="muted small"> Applied</span>
                              ) : (
                                <>
                                  {' '}
                                  <ApplyWorkaroundButton incidentId={i.id} workaroundId={m.workaround.id} title={m.workaround.title} />
                                </>
                              )
                            ) : null}
                          </>
                        ) : null}
                        {m.problem ? (
                          <>
                            {' · root cause '}
                            <Link href={`/problems/${encodeURIComponent(m.problem.number)}`}>
                              {m.problem.number} {m.problem.title}
                            </Link>
                          </>
                        ) : null}
                      </div>
                      {m.fix ? <p className="small prewrap clamp">{m.fix}</p> : null}
                      <ul className="reasons" aria-label="Why it is similar">
                        {m.reasons.map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              ) : (
                <Empty>No resolved incident looks like this one yet.</Empty>
              )}
              <p className="small">
                <Link href={`/search?q=${encodeURIComponent(i.title)}`}>Search the solution catalog for “{i.title}”</Link>
              </p>

              <h3>Matching known errors</h3>
              {i.matchingKnownErrors.length ? (
                <ul className="card-list">
                  {i.matchingKnownErrors.map((m) => (
                    <li key={m.problem.id}>
                      <Link href={`/problems/${encodeURIComponent(m.problem.number)}`} className="mono">
                        {m.problem.number}
                      </Link>{' '}
                      <strong>{m.problem.title}</strong> <StatusBadge status={m.problem.status} />
                      <ul className="reasons" aria-label="Why it matched">
                        {m.reasons.map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                      {m.problem.rootCause ? <p className="small">Root cause: {m.problem.rootCause}</p> : null}
                      {m.problem.workarounds.length ? (
                        <table className="data">
                          <caption>Workarounds</caption>
                          <thead>
                            <tr>
                              <th scope="col">Workaround</th>
                              <th scope="col" className="num">
                                Applied
                              </th>
                              <th scope="col" className="num">
                                Held (no reopen)
                              </th>
                              <th scope="col" className="num">
                                Median to resolve
                              </th>
                              <th scope="col">
                                <span className="visually-hidden">Action</span>
                              </th>
                            </tr>
                          </thead>
                          <tbody>
                            {m.problem.workarounds.map((w) => (
                              <tr key={w.id}>
                                <td>
                                  <Link href={`/workarounds/${w.id}`}>{w.title}</Link> {w.status !== 'ACTIVE' ? <StatusBadge status={w.status} /> : null}
                                </td>
                                <td className="num">{w.effectiveness.timesApplied}</td>
                                <td className="num">{formatShare(w.effectiveness.resolvedWithoutReopenShare)}</td>
                                <td className="num">{formatMinutes(w.effectiveness.medianMinutesToResolution)}</td>
                                <td>
                                  {w.status === 'ACTIVE' && work ? (
                                    appliedIds.has(w.id) ? (
                                      <span className="muted small">Applied</span>
                                    ) : (
                                      <ApplyWorkaroundButton incidentId={i.id} workaroundId={w.id} title={w.title} />
                                    )
                                  ) : null}
                                </td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      ) : (
                        <p className="muted small">No workaround linked.</p>
                      )}
                    </li>
                  ))}
                </ul>
              ) : (
                <Empty>No known error matches this incident&apos;s service, category or text.</Empty>
              )}

              <h3>Suggested incident models</h3>
              {suggestions?.error ? (
                <ErrorBox title="Model suggestions could not be loaded" message={suggestions.error} />
              ) : suggestions?.data?.suggestIncidentModels.length ? (
                <ul className="card-list">
                  {suggestions.data.suggestIncidentModels.map((s) => (
                    <li key={s.model.id}>
                      <Link href={`/models/${s.model.id}`}>
                        <strong>{s.model.name}</strong>
                      </Link>{' '}
                      <span className="muted small">
                        v{s.version.version} · score {s.score} · applied {s.model.effectiveness.timesApplied}× · held{' '}
                        {formatShare(s.model.effectiveness.resolvedWithoutReopenShare)}
                      </span>{' '}
                      {i.model?.model.id === s.model.id ? <span className="muted small">Applied</span> : work ? <ApplyModelButton incidentId={i.id} modelId={s.model.id} name={s.model.name} /> : null}
                      <ul className="reasons" aria-label="Why it is suggested">
                        {s.reasons.map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                      <p className="small muted">
                        Applies: {s.version.defaultImpact ? `impact ${s.version.defaultImpact}` : ''}
                        {s.version.defaultUrgency ? `, urgency ${s.version.defaultUrgency}` : ''}
                        {s.version.defaultCategory ? `, ${s.version.defaultCategory.name}` : ''}
                        {s.version.defaultTeam ? `, team ${s.version.defaultTeam.name}` : ''}
                        {s.version.checklist.length ? `, ${s.version.checklist.length} checklist steps` : ''}
                        {s.version.workarounds.length ? `, workarounds: ${s.version.workarounds.map((w) => w.title).join(', ')}` : ''}
                      </p>
                    </li>
                  ))}
                </ul>
              ) : (
                <Empty>No active incident model fits this incident.</Empty>
              )}
            </section>
          ) : null}

          {i.checklist.length ? (
            <section className="panel" aria-labelledby="check-h">
              <h2 id="check-h">Checklist</h2>
              <ul className="card-list">
                {i.checklist.map((c) => (
                  <li key={c.id}>
                    <ChecklistItem itemId={c.id} done={c.done} text={c.text} readOnly={readOnly || !work} />
                    <span className="muted small">
                      {c.modelVersion.model.name} v{c.modelVersion.version}
                      {c.done && c.doneByName ? ` · done by ${c.doneByName} ${formatDateTime(c.doneAt)}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <section className="panel" aria-labelledby="timeline-h">
            <h2 id="timeline-h">Timeline</h2>
            <Timeline events={i.timeline} label={`Timeline of ${i.number}`} />
          </section>
        </div>

        <div>
          <section className="panel" aria-labelledby="life-h">
            <h2 id="life-h">Lifecycle</h2>
            {!work ? (
              <NotAllowed what="move incidents through their lifecycle" />
            ) : targets.length ? (
              <LifecycleActions id={i.id} number={i.number} status={i.status} targets={targets} appliedWorkarounds={applied} />
            ) : (
              <p className="muted">No further lifecycle move from {humanize(i.status)}.</p>
            )}
            {i.status === 'NEW' ? <p className="muted small">Classifying a new incident triages it.</p> : null}
          </section>

          {!readOnly && work ? (
            <section className="panel" aria-labelledby="work-h">
              <h2 id="work-h">Work on it</h2>
              <details className="action" open={i.status === 'NEW'}>
                <summary>Classify</summary>
                <div className="body">
                  <ClassifyForm
                    id={i.id}
                    serviceId={i.service?.id}
                    categoryId={i.category?.id}
                    impact={i.impact}
                    urgency={i.urgency}
                    priority={i.priority}
                    overridden={i.priorityOverridden}
                    overrideReason={i.priorityOverrideReason}
                    services={services}
                    categories={categories}
                  />
                </div>
              </details>
              <details className="action">
                <summary>Assign</summary>
                <div className="body">
                  <AssignForm id={i.id} teamId={i.team?.id} assigneeId={i.assignee?.id} teams={teams} users={users} />
                </div>
              </details>
              <details className="action">
                <summary>Stakeholder update</summary>
                <div className="body">
                  <StakeholderUpdateForm id={i.id} />
                </div>
              </details>
              <details className="action">
                <summary>Escalate</summary>
                <div className="body">
                  <EscalationForm id={i.id} teams={teams} users={users} />
                </div>
              </details>
              <details className="action">
                <summary>Configuration change</summary>
                <div className="body">
                  <ConfigChangeForm id={i.id} />
                </div>
              </details>
              <details className="action">
                <summary>Disaster-recovery plan</summary>
                <div className="body">
                  <DisasterRecoveryForm id={i.id} />
                </div>
              </details>
              <details className="action">
                <summary>Edit title, description, flags</summary>
                <div className="body">
                  <EditIncidentForm id={i.id} title={i.title} description={i.description} major={i.major} externalRef={i.externalRef} />
                </div>
              </details>
            </section>
          ) : !readOnly ? null : (
            <p className="notice small">This incident is {humanize(i.status).toLowerCase()}: it is read-only except for reopening and reviews.</p>
          )}

          <section className="panel" aria-labelledby="time-h">
            <div className="panel-head">
              <h2 id="time-h">Time and cost</h2>
              <span className="small">
                {formatMinutes(i.cost.minutes)} · billable {formatMinutes(i.cost.billableMinutes)} · cost <strong>{formatCents(i.cost.costCents)}</strong>
              </span>
            </div>
            {i.timeEntries.length ? (
              <div className="table-wrap">
                <table className="data">
                  <caption className="visually-hidden">Time entries</caption>
                  <thead>
                    <tr>
                      <th scope="col">Activity</th>
                      <th scope="col">Who</th>
                      <th scope="col" className="num">
                        Time
                      </th>
                      <th scope="col" className="num">
                        Cost
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {i.timeEntries.map((t) => (
                      <tr key={t.id}>
                        <td>
                          {t.activity}
                          {t.billable ? <span className="tag">billable</span> : null}
                          {t.note ? <div className="muted small">{t.note}</div> : null}
                        </td>
                        <td className="small">
                          {t.user?.name ?? '—'}
                          <div className="muted">{formatDateTime(t.performedAt)}</div>
                        </td>
                        <td className="num">{formatMinutes(t.minutes)}</td>
                        <td className="num" title={`rate ${formatCents(t.rateCents)}/h`}>
                          {formatCents(t.costCents)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <Empty>No time recorded yet.</Empty>
            )}
            {!readOnly && work ? (
              <details className="action" style={{ marginTop: '0.5rem' }}>
                <summary>Add time entry</summary>
                <div className="body">
                  <TimeEntryForm incidentId={i.id} users={users} />
                </div>
              </details>
            ) : null}
          </section>

          <section className="panel" aria-labelledby="know-h">
            <h2 id="know-h">Knowledge</h2>
            <h3>Workarounds applied</h3>
            {i.workaroundApplications.length ? (
              <ul className="card-list">
                {i.workaroundApplications.map((a) => (
                  <li key={a.id}>
                    <Link href={`/workarounds/${a.workaround.id}`}>{a.workaround.title}</Link>
                    <div className="muted small">
                      {formatDateTime(a.appliedAt)} by {a.appliedByName}
                      {a.restoredService == null ? '' : a.restoredService ? ' · restored service' : ' · did not restore service'}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">None yet.</p>
            )}
            <h3>Problem</h3>
            {i.problem ? (
              <p>
                <Link href={`/problems/${encodeURIComponent(i.problem.number)}`}>
                  {i.problem.number} {i.problem.title}
                </Link>{' '}
                <StatusBadge status={i.problem.status} />
              </p>
            ) : (
              <p className="muted small">Not linked to a problem.</p>
            )}
            {work ? (
              <details className="action">
                <summary>{i.problem ? 'Change problem link' : 'Link to a problem'}</summary>
                <div className="body">
                  <ProblemLinkForm incidentId={i.id} linked={!!i.problem} />
                </div>
              </details>
            ) : null}
            {!open && knowledge ? (
              <>
                <details className="action">
                  <summary>Open a problem from this incident</summary>
                  <div className="body">
                    <CreateProblemFromIncidentForm incidentId={i.id} />
                  </div>
                </details>
                <details className="action">
                  <summary>Write a workaround from this incident</summary>
                  <div className="body">
                    <CreateWorkaroundFromIncidentForm incidentId={i.id} />
                  </div>
                </details>
                <details className="action">
                  <summary>Make an incident model from this incident</summary>
                  <div className="body">
                    <CreateModelFromIncidentForm incidentId={i.id} />
                  </div>
                </details>
              </>
            ) : null}
            <h3>Reviews</h3>
            {i.reviews.length ? (
              <ul>
                {i.reviews.map((r) => (
                  <li key={r.id}>
                    <Link href={`/reviews/${r.id}`}>
                      {r.number} {r.title}
                    </Link>{' '}
                    <StatusBadge status={r.status} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">No review covers it.</p>
            )}
            {!open && review && !i.reviews.some((r) => r.status !== 'PUBLISHED') ? <StartReviewButton incidentId={i.id} title={`Review of ${i.number}: ${i.title}`} /> : null}
          </section>
        </div>
      </div>
    </>
  );
}
