import type { Metadata } from 'next';
import { ExportLink } from '@/components/export-link';
import { CreateCategoryForm } from '@/components/admin/create-category-form';
import { Empty, ErrorBox } from '@/components/ui';
import { AdminCategoriesDocument } from '@/gql/graphql';
import { gql, may } from '@/lib/server';
import { EditCategoryForm } from '@/components/admin/edit-category-form';
import { IfAllowed } from '@/components/if-allowed';

export const metadata: Metadata = { title: 'Categories' };

export default async function CategoriesPage() {
  const res = await gql(AdminCategoriesDocument);
  if (res.error !== undefined) return <ErrorBox title="Categories could not be loaded" message={res.error} />;
  const canEdit = await may('updateCategory');
  // Retired categories can only be parents of retired ones, so moves go under active parents only.
  const parents = res.data.categories.filter((c) => !c.retired).map((c) => ({ id: c.id, name: c.name }));
  const retiredBadge = (retired: boolean) => (retired ? <span className="badge">Retired</span> : null);
  return (
    <>
      <h1>Categories</h1>
      <div className="list-tools">
        <ExportLink list="categories" />
      </div>
      <div className="grid-2">
        <section className="panel" aria-labelledby="tree-h">
          <h2 id="tree-h">Taxonomy</h2>
          {res.data.categories.length ? (
            <ul>
              {res.data.categories.map((c) => (
                <li key={c.id}>
                  <strong>{c.name}</strong> {retiredBadge(c.retired)}
                  {canEdit ? (
                    <EditCategoryForm
                      category={{ id: c.id, name: c.name, parentId: null, retired: c.retired, hasChildren: c.children.length > 0 }}
                      parents={parents}
                    />
                  ) : null}
                  {c.children.length ? (
                    <ul>
                      {c.children.map((ch) => (
                        <li key={ch.id}>
                          {ch.name} {retiredBadge(ch.retired)}
                          {canEdit ? (
                            <EditCategoryForm
                              category={{ id: ch.id, name: ch.name, parentId: c.id, retired: ch.retired, hasChildren: false }}
                              parents={parents}
                            />
                          ) : null}
                        </li>
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
            <CreateCategoryForm parents={parents} />
          </section>
        </IfAllowed>
      </div>
    </>
  );
}
