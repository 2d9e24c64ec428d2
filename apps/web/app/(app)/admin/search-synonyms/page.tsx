import { DEFAULT_SYNONYM_GROUPS } from '@ikb/domain';
import type { Metadata } from 'next';
import { CreateSynonymGroupForm } from '@/components/search-synonyms/create-synonym-group-form';
import { RestoreDefaultsButton } from '@/components/search-synonyms/restore-defaults-button';
import { SynonymList } from '@/components/search-synonyms/synonym-list';
import { TryQuery } from '@/components/search-synonyms/try-query';
import { ErrorBox, PageHeader } from '@/components/ui';
import { AdminSearchSynonymsDocument } from '@/gql/graphql';
import { gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Search synonyms' };

export default async function SearchSynonymsPage() {
  const res = await gql(AdminSearchSynonymsDocument);
  if (res.error !== undefined) return <ErrorBox title="The synonym list could not be loaded" message={res.error} />;
  const canManage = await may('createSearchSynonymGroup');
  const groups = res.data.searchSynonyms;
  const builtIn = groups.filter((g) => g.builtIn);
  const deleted = Math.max(0, DEFAULT_SYNONYM_GROUPS.length - builtIn.length);
  const modified = builtIn.filter((g) => g.modified).length;
  return (
    <>
      <PageHeader
        title="Search synonyms"
        lead={
          <>
            Terms the solution catalog search treats as the same: a search for one also finds the others (db finds database, and database
            finds db). Whole words only; plurals and other endings are matched by the search itself. Changes reach every search within 5
            seconds.
          </>
        }
        actions={canManage ? <RestoreDefaultsButton deleted={deleted} modified={modified} /> : null}
      />
      <div className="grid-2">
        <section className="panel" aria-labelledby="try-h">
          <h2 id="try-h">Try a query</h2>
          <TryQuery groups={groups.map((g) => ({ id: g.id, terms: g.terms }))} />
        </section>
        {canManage ? (
          <section className="panel" aria-labelledby="new-h">
            <h2 id="new-h">Add a group</h2>
            <CreateSynonymGroupForm />
          </section>
        ) : (
          <p className="read-only-note">The list is kept by admins.</p>
        )}
      </div>
      <section aria-labelledby="list-h" style={{ marginTop: '1rem' }}>
        <h2 id="list-h">The list</h2>
        <p className="small muted">
          {builtIn.length} built-in {builtIn.length === 1 ? 'group' : 'groups'}
          {modified ? ` (${modified} edited)` : ''}
          {deleted ? `, ${deleted} deleted` : ''}, {groups.length - builtIn.length} added here.
        </p>
        <SynonymList groups={groups} canManage={canManage} />
      </section>
    </>
  );
}
