import { allowedTargets, isOpen, isReadOnly, type IncidentStatus } from '@ikb/domain';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ChecklistPanel } from '@/components/incidents/checklist-panel';
import { DetailsPanel } from '@/components/incidents/details-panel';
import { DiagnosisPanel } from '@/components/incidents/diagnosis-panel';
import { IncidentHeader } from '@/components/incidents/incident-header';
import { KnowledgePanel } from '@/components/incidents/knowledge-panel';
import { LifecyclePanel } from '@/components/incidents/lifecycle-panel';
import { NotificationsPanel } from '@/components/incidents/notifications-panel';
import { SlaClocksPanel } from '@/components/incidents/sla-clocks-panel';
import { TimeCostPanel } from '@/components/incidents/time-cost-panel';
import { WorkPanel } from '@/components/incidents/work-panel';
import { Timeline } from '@/components/timeline';
import { ErrorBox } from '@/components/ui';
import {
  IncidentDetailDocument,
  IncidentModelSuggestionsDocument,
  IncidentNotificationsDocument,
  LookupsDocument,
  SimilarIncidentsDocument,
} from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { decodeSegment } from '@/lib/params';
import { gql, may, notFoundIfMissing } from '@/lib/server';

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: decodeSegment(number) };
}

export default async function IncidentPage({ params }: Props) {
  const number = decodeSegment((await params).number);
  const [res, lookups] = await Promise.all([gql(IncidentDetailDocument, { number }), gql(LookupsDocument)]);
  notFoundIfMissing(res);
  if (res.error !== undefined) return <ErrorBox title={`Incident ${number} could not be loaded`} message={res.error} />;
  const i = res.data.incidentByNumber;
  if (!i) notFound();

  const status = i.status as IncidentStatus;
  const open = isOpen(status);
  const readOnly = isReadOnly(status);
  const [suggestions, similar, notices] = open
    ? await Promise.all([
        gql(IncidentModelSuggestionsDocument, { incidentId: i.id }),
        gql(SimilarIncidentsDocument, { incidentId: i.id, first: 5 }),
        gql(IncidentNotificationsDocument, { id: i.id }),
      ])
    : [null, null, await gql(IncidentNotificationsDocument, { id: i.id })];
  const targets = allowedTargets(status);
  // What the signed-in role may do here (the API enforces it; hidden controls only spare a refusal).
  const [work, knowledge, review] = await Promise.all([may('transitionIncident'), may('createProblemFromIncident'), may('createReview')]);
  const services = lookups.data?.services ?? [];
  const categories = lookups.data?.categories ?? [];
  const teams = lookups.data?.teams ?? [];
  const users = lookups.data?.users ?? [];
  const applied = [
    ...new Map(i.workaroundApplications.map((a) => [a.workaround.id, { id: a.workaround.id, name: a.workaround.title }])).values(),
  ];
  const appliedIds = new Set(applied.map((a) => a.id));

  return (
    <>
      <IncidentHeader incident={i} canAcknowledge={open && !i.acknowledgedAt && work} />
      {lookups.error !== undefined ? <ErrorBox title="Services, teams and users could not be loaded" message={lookups.error} /> : null}

      <div className="grid-2">
        <div>
          <SlaClocksPanel incident={i} />
          <DetailsPanel incident={i} />
          {open ? <DiagnosisPanel incident={i} similar={similar} suggestions={suggestions} work={work} appliedIds={appliedIds} /> : null}
          {i.checklist.length ? <ChecklistPanel incident={i} readOnly={readOnly || !work} /> : null}
          <section className="panel" aria-labelledby="timeline-h">
            <h2 id="timeline-h">Timeline</h2>
            <Timeline events={i.timeline} label={`Timeline of ${i.number}`} />
          </section>
        </div>

        <div>
          <LifecyclePanel incident={i} work={work} targets={targets} applied={applied} />
          {!readOnly && work ? (
            <WorkPanel incident={i} services={services} categories={categories} teams={teams} users={users} />
          ) : !readOnly ? null : (
            <p className="notice small">
              This incident is {humanize(i.status).toLowerCase()}: it is read-only except for reopening and reviews.
            </p>
          )}
          <TimeCostPanel incident={i} canAdd={!readOnly && work} users={users} />
          {notices.error === undefined ? <NotificationsPanel incident={i} data={notices.data.incidentNotifications} /> : null}
          <KnowledgePanel incident={i} open={open} work={work} knowledge={knowledge} review={review} />
        </div>
      </div>
    </>
  );
}
