import type { Metadata } from 'next';
import Link from 'next/link';
import { KnowledgeLifecyclePanel } from '@/components/knowledge/lifecycle-panel';
import { SearchFeedbackPanel } from '@/components/knowledge/search-feedback-panel';
import { one, type SearchParams } from '@/lib/params';
import { notFound } from 'next/navigation';
import { incidentHref } from '@/components/incident-table';
import { EditModelForm, ModelStatusButton } from '@/components/model-actions';
import { Dl, Empty, ErrorBox, PriorityBadge, StatusBadge } from '@/components/ui';
import { ModelDetailDocument } from '@/gql/graphql';
import { formatDate, formatDateTime, formatMinutes, formatShare } from '@/lib/format';
import { loadModelOptions } from '@/lib/model-options';
import { gql, may, notFoundIfMissing } from '@/lib/server';

export const metadata: Metadata = { title: 'Incident model' };

export default async function ModelPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const fromIncident = one(await searchParams, 'fromIncident');
  const [res, opts] = await Promise.all([gql(ModelDetailDocument, { id }), loadModelOptions()]);
  notFoundIfMissing(res);
  if (res.error !== undefined) return <ErrorBox title="The incident model could not be loaded" message={res.error} />;
  const m = res.data.incidentModel;
  if (!m) notFound();
  const cur = m.versions.find((v) => v.isCurrent) ?? m.versions[0];
  const e = m.effectiveness;
  const edit = await may('updateIncidentModel');
  return (
    <>
      <div className="page-header">
        <div>
          <div className="eyebrow">Incident model · version {m.currentVersion}</div>
          <h1>{m.name}</h1>
          <StatusBadge status={m.status} />
        </div>
        <div className="page-actions">{edit ? <ModelStatusButton id={m.id} status={m.status} name={m.name} /> : null}</div>
      </div>
      <div className="grid-2">
        <div>
          {m.knowledge ? <SearchFeedbackPanel kind="MODEL" itemId={m.id} title={m.name} fromIncident={fromIncident} /> : null}
          {m.knowledge ? <KnowledgeLifecyclePanel k={m.knowledge} /> : null}
          {cur ? (
            <section className="panel" aria-labelledby="recipe-h">
              <h2 id="recipe-h">Recipe (v{cur.version})</h2>
              {cur.description ? <p className="prewrap">{cur.description}</p> : null}
              <Dl
                items={[
                  ['Matches service', cur.matchService?.name ?? 'any'],
                  ['Matches category', cur.matchCategory?.name ?? 'any'],
                  ['Keywords', cur.matchKeywords.length ? cur.matchKeywords.join(', ') : '—'],
                  ['Impact × urgency', `${cur.defaultImpact ?? '—'} × ${cur.defaultUrgency ?? '—'}`],
                  ['Team', cur.defaultTeam?.name ?? '—'],
                  ['Category', cur.defaultCategory?.name ?? '—'],
                  ['SLA override', cur.slaPolicy?.name ?? '—'],
                  [
                    'Made from',
                    m.sourceIncident ? <Link href={incidentHref(m.sourceIncident.number)}>{m.sourceIncident.number}</Link> : '—',
                  ],
                ]}
              />
              <h3>Checklist</h3>
              {cur.checklist.length ? (
                <ol>
                  {cur.checklist.map((c, n) => (
                    <li key={n}>{c}</li>
                  ))}
                </ol>
              ) : (
                <p className="muted small">No checklist.</p>
              )}
              <h3>Workarounds</h3>
              {cur.workarounds.length ? (
                <ul>
                  {cur.workarounds.map((w) => (
                    <li key={w.id}>
                      <Link href={`/workarounds/${w.id}`}>{w.title}</Link> <StatusBadge status={w.status} />
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted small">None linked.</p>
              )}
              {cur.reviewTemplate ? (
                <>
                  <h3>Review template</h3>
                  <pre className="prewrap small">{cur.reviewTemplate}</pre>
                </>
              ) : null}
            </section>
          ) : null}
          <section className="panel" aria-labelledby="inc-h">
            <h2 id="inc-h">Incidents that applied it</h2>
            {m.incidents.nodes.length ? (
              <ul className="card-list">
                {m.incidents.nodes.map((i) => (
                  <li key={i.id}>
                    <Link href={incidentHref(i.number)} className="mono">
                      {i.number}
                    </Link>{' '}
                    {i.title} <PriorityBadge priority={i.priority} /> <StatusBadge status={i.status} />{' '}
                    <span className="muted small">{formatDate(i.openedAt)}</span>
                  </li>
                ))}
                {m.incidents.totalCount > m.incidents.nodes.length ? (
                  <li className="muted small">… and {m.incidents.totalCount - m.incidents.nodes.length} more</li>
                ) : null}
              </ul>
            ) : (
              <Empty>Not applied yet.</Empty>
            )}
          </section>
          {edit ? (
            <section className="panel">
              <details className="action">
                <summary>Edit recipe</summary>
                <div className="body">
                  {opts.error ? <p className="form-error">{opts.error}</p> : null}
                  <EditModelForm
                    id={m.id}
                    options={opts.options}
                    recipe={{
                      name: m.name,
                      description: cur?.description,
                      checklist: cur?.checklist,
                      matchKeywords: cur?.matchKeywords,
                      matchServiceId: cur?.matchService?.id,
                      matchCategoryId: cur?.matchCategory?.id,
                      defaultImpact: cur?.defaultImpact,
                      defaultUrgency: cur?.defaultUrgency,
                      defaultTeamId: cur?.defaultTeam?.id,
                      defaultCategoryId: cur?.defaultCategory?.id,
                      slaPolicyId: cur?.slaPolicy?.id,
                      reviewTemplate: cur?.reviewTemplate,
                      workaroundIds: cur?.workarounds.map((w) => w.id),
                    }}
                  />
                </div>
              </details>
            </section>
          ) : null}
        </div>
        <div>
          <section className="panel" aria-labelledby="eff-h">
            <h2 id="eff-h">Effectiveness</h2>
            <Dl
              items={[
                ['Times applied', String(e.timesApplied)],
                ['Incidents', String(e.incidents)],
                ['Resolved after', String(e.resolvedIncidents)],
                ['Held (no reopen)', `${e.resolvedWithoutReopen} (${formatShare(e.resolvedWithoutReopenShare)})`],
                ['In flight', `${e.inFlight} still open, not counted yet`],
                ['Median to resolve', formatMinutes(e.medianMinutesToResolution)],
              ]}
            />
          </section>
          <section className="panel" aria-labelledby="ver-h">
            <h2 id="ver-h">Versions</h2>
            <ol className="timeline" reversed>
              {m.versions.map((v) => (
                <li key={v.id}>
                  <div className="meta">
                    v{v.version} · {formatDateTime(v.createdAt)} {v.isCurrent ? '· current' : ''}
                  </div>
                  <div>{v.note ?? <span className="muted">No note</span>}</div>
                  <div className="changes">
                    {v.checklist.length} steps · {v.workarounds.length} workarounds · keywords {v.matchKeywords.join(', ') || '—'}
                  </div>
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>
    </>
  );
}
