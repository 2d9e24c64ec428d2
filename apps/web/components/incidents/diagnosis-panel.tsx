// Diagnosis of an open incident: what helped before on similar incidents, known errors, incident models.
import type { DiagnosisPanelFragment, IncidentModelSuggestionsQuery, SimilarIncidentsQuery } from '@/gql/graphql';
import type { Result } from '@/lib/server';
import { KnownErrors } from './known-errors';
import { ModelSuggestions } from './model-suggestions';
import { SimilarIncidents } from './similar-incidents';

export function DiagnosisPanel({
  incident: i,
  similar,
  suggestions,
  work,
  appliedIds,
}: {
  incident: DiagnosisPanelFragment;
  similar: Result<SimilarIncidentsQuery> | null;
  suggestions: Result<IncidentModelSuggestionsQuery> | null;
  /** The signed-in role may work on incidents (apply workarounds and models). */
  work: boolean;
  /** Workarounds already applied to this incident. */
  appliedIds: ReadonlySet<string>;
}) {
  return (
    <section className="panel" aria-labelledby="diag-h">
      <h2 id="diag-h">Diagnosis</h2>
      <SimilarIncidents incident={i} similar={similar} work={work} appliedIds={appliedIds} />

      <KnownErrors incident={i} work={work} appliedIds={appliedIds} />

      <ModelSuggestions incident={i} suggestions={suggestions} work={work} />
    </section>
  );
}
