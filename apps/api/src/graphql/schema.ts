import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { BoundedDateTime } from './date-scalar';
import { buildSchema } from 'type-graphql';
import { CategoryResolver, DirectoryResolver, ServiceResolver, UserResolver } from '../features/directory/directory.resolver';
import { IncidentConnectionResolver, IncidentResolver } from '../features/incidents/incident.resolver';
import { IncidentBulkResolver } from '../features/incidents/incident-bulk.resolver';
import { ProblemBulkResolver } from '../features/problems/problem-bulk.resolver';
import { SavedViewResolver } from '../features/saved-views/saved-view.resolver';
import { IncidentEventResolver } from '../features/incidents/incident-event.resolver';
import { TimeEntryResolver } from '../features/incidents/time-entry.resolver';
import { SettingsResolver } from '../features/settings/settings.resolver';
import { AuthResolver } from '../features/auth/auth.resolver';
import { ApiTokenResolver } from '../features/auth/api-token.resolver';
import { SsoResolver } from '../features/sso/sso.resolver';
import { SetupResolver } from '../features/setup/setup.resolver';
import {
  IncidentKnowledgeFeedbackResolver,
  KnowledgeResolver,
  ModelKnowledgeResolver,
  SearchHitKnowledgeResolver,
  ProblemKnowledgeResolver,
  WorkaroundKnowledgeResolver,
} from '../features/knowledge/knowledge.resolver';
import { guardSchema } from '../features/auth/guard.middleware';
import { validateArgs } from './validate-args';
import { DuplicatesResolver } from '../features/search/duplicates.resolver';
import { SearchResolver } from '../features/search/search.resolver';
import { SearchSynonymResolver } from '../features/search-synonyms/search-synonym.resolver';
import { SearchAnalyticsResolver, SearchBoostResolver } from '../features/search-log/search-log.resolver';
import { NotificationResolver } from '../features/notifications/notification.resolver';
import { MyNotificationsResolver } from '../features/notifications/my-notifications.resolver';
import { ReviewInvitationResolver } from '../features/notifications/review-invitation.resolver';
import {
  ActionItemResolver,
  ContributingFactorResolver,
  IncidentReviewResolver,
  ProblemRecurrenceResolver,
  ReviewConnectionResolver,
  ReviewResolver,
} from '../features/reviews/review.resolver';
import {
  IncidentProblemResolver,
  ProblemConnectionResolver,
  ProblemResolver,
  WorkaroundProblemResolver,
} from '../features/problems/problem.resolver';
import {
  IncidentWorkaroundResolver,
  WorkaroundApplicationResolver,
  WorkaroundConnectionResolver,
  WorkaroundResolver,
} from '../features/workarounds/workaround.resolver';
import {
  BusinessCalendarResolver,
  IncidentSlaResolver,
  ServiceSlaResolver,
  SlaClockResolver,
  SlaPolicyResolver,
  SlaPolicyVersionResolver,
} from '../features/sla/sla.resolver';
import { IncidentAlertsResolver } from '../features/ingest/ingest.resolver';
import { AlertSourceResolver } from '../features/ingest/alert-source.resolver';
import { ImportRunConnectionResolver, ImportRunResolver } from '../features/imports/import-run.resolver';
import { ActionItemTrackerResolver, TrackerResolver } from '../features/trackers/tracker.resolver';
import { ANALYTICS_RESOLVERS } from '../features/analytics/analytics.resolver';
import { WORKLOAD_RESOLVERS } from '../features/workload/workload.resolver';
import {
  ChecklistItemResolver,
  IncidentModelApplicationResolver,
  IncidentModelConnectionResolver,
  IncidentModelIncidentResolver,
  IncidentModelResolver,
  IncidentModelVersionResolver,
  WorkaroundModelsResolver,
} from '../features/models/incident-model.resolver';

export const RESOLVERS = [
  TrackerResolver,
  ActionItemTrackerResolver,
  AuthResolver,
  ApiTokenResolver,
  SsoResolver,
  SetupResolver,
  KnowledgeResolver,
  IncidentKnowledgeFeedbackResolver,
  SearchHitKnowledgeResolver,
  WorkaroundKnowledgeResolver,
  ModelKnowledgeResolver,
  ProblemKnowledgeResolver,
  DirectoryResolver,
  CategoryResolver,
  ServiceResolver,
  UserResolver,
  IncidentResolver,
  IncidentBulkResolver,
  SavedViewResolver,
  IncidentConnectionResolver,
  TimeEntryResolver,
  IncidentEventResolver,
  SettingsResolver,
  BusinessCalendarResolver,
  SlaPolicyResolver,
  SlaPolicyVersionResolver,
  IncidentSlaResolver,
  SlaClockResolver,
  ServiceSlaResolver,
  ProblemResolver,
  ProblemBulkResolver,
  ProblemConnectionResolver,
  IncidentProblemResolver,
  WorkaroundProblemResolver,
  WorkaroundResolver,
  WorkaroundConnectionResolver,
  WorkaroundApplicationResolver,
  IncidentWorkaroundResolver,
  ReviewResolver,
  SearchResolver,
  DuplicatesResolver,
  SearchSynonymResolver,
  SearchAnalyticsResolver,
  SearchBoostResolver,
  NotificationResolver,
  MyNotificationsResolver,
  ReviewInvitationResolver,
  ReviewConnectionResolver,
  ContributingFactorResolver,
  ActionItemResolver,
  ProblemRecurrenceResolver,
  IncidentReviewResolver,
  ChecklistItemResolver,
  IncidentModelApplicationResolver,
  IncidentModelConnectionResolver,
  IncidentModelIncidentResolver,
  IncidentModelResolver,
  IncidentModelVersionResolver,
  WorkaroundModelsResolver,
  IncidentAlertsResolver,
  AlertSourceResolver,
  ImportRunResolver,
  ImportRunConnectionResolver,
  ...ANALYTICS_RESOLVERS,
  ...WORKLOAD_RESOLVERS,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** Built from code; needs no database, so the schema file can be emitted anywhere. */
export function schema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS as unknown as [Function, ...Function[]],
    scalarsMap: [{ type: Date, scalar: BoundedDateTime }],
    validateFn: validateArgs,
  }).then(guardSchema);
  return built;
}

export const SCHEMA_HEADER = `# Generated by \`pnpm schema:emit\` from the API's code. Do not edit: change the resolvers and emit again.\n`;

export async function schemaSdl(): Promise<string> {
  return `${SCHEMA_HEADER}\n${printSchema(lexicographicSortSchema(await schema()))}\n`;
}
