import type { Metadata } from 'next';
import { CreateCategoryForm } from '@/components/admin-actions';
import { Empty, ErrorBox } from '@/components/ui';
import { AdminCategoriesDocument } from '@/gql/graphql';
import { gql } from '@/lib/server';
import { IfAllowed } from '@/components/if-allowed';

export const metadata: Metadata = { title: 'Categories' };

export default async function CategoriesPage() {
  const res = await gql(AdminCategoriesDocument);
  if (res.error !== undefined) return <ErrorBox title="Categories could not be loaded" message={res.error} />;
  return (
    <>
      <h1>Categories</h1>
      <div className="grid-2">
        <section className="panel" aria-labelledby="tree-h">
          <h2 id="tree-h">Taxonomy</h2>
          {res.data.categories.length ? (
            <ul>
              {res.data.categories.map((c) => (
                <li key={c.id}>
                  <strong>{c.name}</strong>
                  {c.children.length ? (
                    <ul>
                      {c.children.map((ch) => (
                        <li key={ch.id}>{ch.name}</li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No categories yet.</Empty>
          )}
        </section>
        <IfAllowed op="createCategory" fallback={<p className="read-only-note">Configuration is changed by admins.</p>}>
          <section className="panel" aria-labelledby="new-h">
            <h2 id="new-h">Add a category</h2>
            <CreateCategoryForm parents={res.data.categories.map((c) => ({ id: c.id, name: c.name }))} />
          </section>
        </IfAllowed>
      </div>
    </>
  );
}
