import type { Metadata } from 'next';
import { CreateProblemForm } from '@/components/problem-actions';
import { ErrorBox, NotAllowed } from '@/components/ui';
import { LookupsDocument } from '@/gql/graphql';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'New problem' };

export default async function NewProblemPage() {
  if (!(await may('createProblem'))) {
    return (
      <>
        <h1>Open a problem</h1>
        <NotAllowed what="open problems (problem managers and admins can)" />
      </>
    );
  }
  const lookups = await gql(LookupsDocument);
  return (
    <>
      <h1>Open a problem</h1>
      <p className="lead">
        Record a suspected cause; link incidents to it from their pages. To open one from a resolved incident, use that incident&apos;s
        page.
      </p>
      {lookups.error !== undefined ? <ErrorBox title="Options could not be loaded" message={lookups.error} /> : null}
      <CreateProblemForm
        services={lookups.data?.services ?? []}
        categories={lookups.data?.categories ?? []}
        users={lookups.data?.users ?? []}
        teams={lookups.data?.teams ?? []}
      />
    </>
  );
}
