// Incident models whose matching hints fit the incident, with what applying one would set.
import Link from 'next/link';
import { Empty, ErrorBox } from '@/components/ui';
import type { IncidentModelSuggestionsQuery, ModelSuggestionsForFragment } from '@/gql/graphql';
import { formatShare } from '@/lib/format';
import type { Result } from '@/lib/server';
import { ApplyModelButton } from './apply-model-button';

export function ModelSuggestions({
  incident: i,
  suggestions,
  work,
}: {
  incident: ModelSuggestionsForFragment;
  suggestions: Result<IncidentModelSuggestionsQuery> | null;
  work: boolean;
}) {
  return (
    <>
      <h3>Suggested incident models</h3>
      {suggestions?.error ? (
        <ErrorBox title="Model suggestions could not be loaded" message={suggestions.error} />
      ) : suggestions?.data?.suggestIncidentModels.length ? (
        <ul className="card-list">
          {suggestions.data.suggestIncidentModels.map((s) => (
            <li key={s.model.id}>
              <Link href={`/models/${s.model.id}`}>
                <strong>{s.model.name}</strong>
              </Link>{' '}
              <span className="muted small">
                v{s.version.version} · score {s.score} · applied {s.model.effectiveness.timesApplied}× · held{' '}
                {formatShare(s.model.effectiveness.resolvedWithoutReopenShare)}
              </span>{' '}
              {i.model?.model.id === s.model.id ? (
                <span className="muted small">Applied</span>
              ) : work ? (
                <ApplyModelButton incidentId={i.id} modelId={s.model.id} name={s.model.name} />
              ) : null}
              <ul className="reasons" aria-label="Why it is suggested">
                {s.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <p className="small muted">
                Applies: {s.version.defaultImpact ? `impact ${s.version.defaultImpact}` : ''}
                {s.version.defaultUrgency ? `, urgency ${s.version.defaultUrgency}` : ''}
                {s.version.defaultCategory ? `, ${s.version.defaultCategory.name}` : ''}
                {s.version.defaultTeam ? `, team ${s.version.defaultTeam.name}` : ''}
                {s.version.checklist.length ? `, ${s.version.checklist.length} checklist steps` : ''}
                {s.version.workarounds.length ? `, workarounds: ${s.version.workarounds.map((w) => w.title).join(', ')}` : ''}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <Empty>No active incident model fits this incident.</Empty>
      )}
    </>
  );
}
