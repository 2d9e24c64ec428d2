import type { Metadata } from 'next';
import { CreateProblemForm } from '@/components/problem-actions';
import { ErrorBox } from '@/components/ui';
import { LookupsDocument } from '@/gql/graphql';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'New problem' };

export default async function NewProblemPage() {
  const lookups = await gql(LookupsDocument);
  return (
    <>
      <h1>Open a problem</h1>
      <p className="lead">Record a suspected cause; link incidents to it from their pages. To open one from a resolved incident, use that incident&apos;s page.</p>
      {lookups.error !== undefined ? <ErrorBox title="Options could not be loaded" message={lookups.error} /> : null}
      <CreateProblemForm services={lookups.data?.services ?? []} categories={lookups.data?.categories ?? []} users={lookups.data?.users ?? []} />
    </>
  );
}
