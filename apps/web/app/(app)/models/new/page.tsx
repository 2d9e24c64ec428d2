import type { Metadata } from 'next';
import { CreateModelForm } from '@/components/model-actions';
import { ErrorBox } from '@/components/ui';
import { loadModelOptions } from '@/lib/model-options';

export const metadata: Metadata = { title: 'New incident model' };

export default async function NewModelPage() {
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
