import { LookupsDocument, ModelFormOptionsDocument } from '@/gql/graphql';
import type { ModelOptions } from '@/components/model-actions';
import { gql } from './server';

export async function loadModelOptions(): Promise<{ options: ModelOptions; error?: string }> {
  const [l, m] = await Promise.all([gql(LookupsDocument), gql(ModelFormOptionsDocument)]);
  return {
    options: {
      services: l.data?.services ?? [],
      categories: l.data?.categories ?? [],
      teams: l.data?.teams ?? [],
      workarounds: (m.data?.workarounds.nodes ?? []).map((w) => ({
        id: w.id,
        name: w.status === 'DRAFT' ? `${w.title} (draft)` : w.title,
      })),
      slaPolicies: m.data?.slaPolicies ?? [],
    },
    error: l.error ?? m.error,
  };
}
