// Incident models whose matching hints fit the incident, with how strongly, why, and what applying one would set.
import Link from 'next/link';
import { EffectivenessLine } from '@/components/knowledge/effectiveness-line';
import { Empty, ErrorBox } from '@/components/ui';
import type { IncidentModelSuggestionsQuery, ModelSuggestionsForFragment } from '@/gql/graphql';
import { heldText } from '@/lib/held-share';
import type { Result } from '@/lib/server';
import { ApplyModelButton } from './apply-model-button';
import { reasonsText, strengthWords, SuggestionStrengthBadge } from './suggestion-strength';

type Suggestion = IncidentModelSuggestionsQuery['suggestIncidentModels'][number];

/** "impact 2, urgency 1, category Network, team Platform SRE, 3 checklist steps, workarounds: ..." */
function changesOf(v: Suggestion['version']): string {
  return [
    v.defaultImpact ? `impact ${v.defaultImpact}` : null,
    v.defaultUrgency ? `urgency ${v.defaultUrgency}` : null,
    v.defaultCategory ? `category ${v.defaultCategory.name}` : null,
    v.defaultTeam ? `team ${v.defaultTeam.name}` : null,
    v.checklist.length ? `${v.checklist.length} checklist steps added` : null,
    v.workarounds.length ? `workarounds linked: ${v.workarounds.map((w) => w.title).join(', ')}` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

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
      <h3 id="model-suggestions-h">Suggested incident models</h3>
      {suggestions?.error ? (
        <ErrorBox title="Model suggestions could not be loaded" message={suggestions.error} />
      ) : suggestions?.data?.suggestIncidentModels.length ? (
        <ul className="card-list" aria-labelledby="model-suggestions-h">
          {suggestions.data.suggestIncidentModels.map((s) => (
            <li key={s.model.id}>
              <Link href={`/models/${s.model.id}`}>
                <strong>{s.model.name}</strong>
              </Link>{' '}
              <SuggestionStrengthBadge strength={s.strength} score={s.score} />{' '}
              <span className="muted small">
                v{s.version.version} · applied {s.model.effectiveness.timesApplied}× · held{' '}
                {heldText(s.model.effectiveness.resolvedWithoutReopenShare, s.model.effectiveness.inFlight)}
              </span>{' '}
              {i.model?.model.id === s.model.id ? (
                <span className="muted small">Applied</span>
              ) : work ? (
                <ApplyModelButton
                  incidentId={i.id}
                  incidentNumber={i.number}
                  modelId={s.model.id}
                  name={s.model.name}
                  changes={changesOf(s.version)}
                  why={`${strengthWords(s.strength, s.score)}: ${reasonsText(s.reasons)}.`}
                />
              ) : null}
              <p className="small why">
                <span className="muted">Why: </span>
                {reasonsText(s.reasons)}
              </p>
              <p className="small muted">Applies: {changesOf(s.version) || 'nothing beyond recording its use'}</p>
              {s.model.knowledge ? <EffectivenessLine e={s.model.knowledge.effectiveness} compact /> : null}
            </li>
          ))}
        </ul>
      ) : (
        <Empty>No active incident model fits this incident with evidence beyond its service.</Empty>
      )}
    </>
  );
}
