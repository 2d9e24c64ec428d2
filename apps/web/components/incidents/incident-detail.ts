// The incident page's data: the generated type of the IncidentDetail query's incident.
import type { IncidentDetailQuery } from '@/gql/graphql';

export type IncidentDetail = NonNullable<IncidentDetailQuery['incidentByNumber']>;
