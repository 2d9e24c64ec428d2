import type { Metadata } from 'next';
import { LogIncidentForm } from '@/components/incidents/log-incident-form';
import { ErrorBox, NotAllowed } from '@/components/ui';
import { LogPriorityMatrixDocument, LookupsDocument } from '@/gql/graphql';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Log incident' };

export default async function NewIncidentPage() {
  if (!(await may('logIncident'))) {
    return (
      <>
        <h1>Log an incident</h1>
        <NotAllowed what="log incidents (engineers, problem managers and admins can)" />
      </>
    );
  }
  const [lookups, matrix] = await Promise.all([gql(LookupsDocument), gql(LogPriorityMatrixDocument)]);
  return (
    <>
      <h1>Log an incident</h1>
      <p className="lead">
        Record it now: a title, and how bad it is (impact and urgency give its priority). Service and category can wait.
      </p>
      {lookups.error !== undefined ? <ErrorBox title="Services, categories and teams could not be loaded" message={lookups.error} /> : null}
      <LogIncidentForm
        services={lookups.data?.services ?? []}
        categories={lookups.data?.categories ?? []}
        teams={lookups.data?.teams ?? []}
        users={lookups.data?.users ?? []}
        matrix={matrix.data?.priorityMatrix.rows ?? null}
      />
    </>
  );
}
