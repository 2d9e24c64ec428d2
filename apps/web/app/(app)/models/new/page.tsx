import type { Metadata } from 'next';
import { CreateModelForm } from '@/components/model-actions';
import { ErrorBox, NotAllowed } from '@/components/ui';
import { may } from '@/lib/server';
import { loadModelOptions } from '@/lib/model-options';

export const metadata: Metadata = { title: 'New incident model' };

export default async function NewModelPage() {
  if (!(await may('createIncidentModel'))) {
    return (
      <>
        <h1>New incident model</h1>
        <NotAllowed what="write incident models (problem managers and admins can)" />
      </>
    );
  }
  const { options, error } = await loadModelOptions();
  return (
    <>
      <h1>New incident model</h1>
      <p className="lead">Version 1 holds this recipe; later edits make new versions, and incidents keep the version they applied.</p>
      {error ? <ErrorBox title="Options could not be loaded" message={error} /> : null}
      <CreateModelForm options={options} />
    </>
  );
}
