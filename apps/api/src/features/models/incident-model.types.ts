import { SUGGESTION_SCORE_DEFINITION, type SuggestionStrength } from '@ikb/domain';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { SuggestionStrengthEnum } from '../shared/suggestion-strength';
import { PageInfo } from '../incidents/incident.types';
import { IncidentModel, IncidentModelVersion } from './incident-model.entity';
import type { IncidentModelPage } from './incident-model.queries';

@ObjectType()
export class IncidentModelEdge {
  @Field(() => String) cursor!: string;
  @Field(() => IncidentModel) node!: IncidentModel;
}

@ObjectType({ description: 'A page of incident models, by name.' })
export class IncidentModelConnection {
  @Field(() => [IncidentModelEdge]) edges!: IncidentModelEdge[];
  @Field(() => [IncidentModel], { description: 'The nodes of edges, for convenience.' }) nodes!: IncidentModel[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  /** Counted only when asked for. */
  page!: IncidentModelPage;
}

@ObjectType({ description: 'An active model that fits an incident, with why.' })
export class IncidentModelSuggestion {
  @Field(() => IncidentModel) model!: IncidentModel;
  @Field(() => IncidentModelVersion, { description: 'The current version, the one applying would use.' }) version!: IncidentModelVersion;
  @Field(() => Int, { description: SUGGESTION_SCORE_DEFINITION })
  score!: number;
  @Field(() => SuggestionStrengthEnum) strength!: SuggestionStrength;
  @Field(() => [String], { description: 'e.g. "title mentions \\"502\\"", "same category: Network", "same service: Payments API".' })
  reasons!: string[];
}

@ObjectType({ description: 'How well a model works, computed by the database from the applications of any of its versions.' })
export class IncidentModelEffectivenessView {
  @Field(() => Int, { description: 'Applications, counting each version applied to an incident.' }) timesApplied!: number;
  @Field(() => Int, { description: 'Distinct incidents it was applied to.' }) incidents!: number;
  @Field(() => Int, { description: 'Of those, resolved after it was first applied.' }) resolvedIncidents!: number;
  @Field(() => Int, { description: 'Of those, never reopened after it was first applied.' }) resolvedWithoutReopen!: number;
  @Field(() => Int, {
    description: 'Incidents it was applied to that are still open, not reopened since: no outcome yet, in neither side of the share.',
  })
  inFlight!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'The success rate: resolvedWithoutReopen / (incidents - inFlight); null while no incident has an outcome.',
  })
  resolvedWithoutReopenShare!: number | null;
  @Field(() => Float, { nullable: true, description: 'Median minutes from first application to resolution.' }) medianMinutesToResolution!:
    number | null;
}
