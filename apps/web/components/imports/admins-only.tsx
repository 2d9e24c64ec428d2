// What /admin/imports and a run's page show to the roles that may not read the import history
// (the API refuses importRuns and importRun to them): the page's title and who may, nothing else.
import { PageHeader } from '@/components/ui';

export function AdminsOnly({ title }: { title: string }) {
  return (
    <>
      <PageHeader title={title} />
      <p className="read-only-note">The import history is read by admins.</p>
    </>
  );
}
