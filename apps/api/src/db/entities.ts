import { Category } from '../features/directory/category.entity';
import { Service } from '../features/directory/service.entity';
import { Team } from '../features/directory/team.entity';
import { User } from '../features/directory/user.entity';
import { IncidentEvent } from '../features/incidents/incident-event.entity';
import { Incident } from '../features/incidents/incident.entity';
import { TimeEntry } from '../features/incidents/time-entry.entity';
import { AppSetting } from '../features/settings/app-setting.entity';
import { ApiToken, AuditEntry, Session } from '../features/auth/auth.entity';
import {
  ActionItem,
  ContributingFactor,
  FactorCategory,
  Review,
  ReviewEvent,
  ReviewTemplate,
  ReviewTimelineEntry,
} from '../features/reviews/review.entity';
import { Problem, ProblemEvent } from '../features/problems/problem.entity';
import { Workaround, WorkaroundApplication } from '../features/workarounds/workaround.entity';
import { BusinessCalendarRecord } from '../features/sla/business-calendar.entity';
import { SlaClockRecord } from '../features/sla/sla-clock.entity';
import { SlaPolicyRecord, SlaPolicyVersion } from '../features/sla/sla-policy.entity';
import { SearchSynonym } from '../features/search-synonyms/search-synonym.entity';
import { SavedView } from '../features/saved-views/saved-view.entity';
import { StatusUpdate } from '../features/status-page/status-update.entity';
import { ChecklistItem, IncidentModel, IncidentModelApplication, IncidentModelVersion } from '../features/models/incident-model.entity';
import { SsoProvider } from '../features/sso/sso-provider.entity';

/** Listed by hand: discovery by file glob differs between tsx, vitest and a build. */
export const ENTITIES = [
  Session,
  ApiToken,
  AuditEntry,
  Team,
  User,
  Service,
  Category,
  Incident,
  IncidentEvent,
  TimeEntry,
  AppSetting,
  BusinessCalendarRecord,
  SlaPolicyRecord,
  SlaPolicyVersion,
  SlaClockRecord,
  Problem,
  ProblemEvent,
  Workaround,
  WorkaroundApplication,
  IncidentModel,
  IncidentModelVersion,
  IncidentModelApplication,
  ChecklistItem,
  Review,
  ReviewEvent,
  ReviewTimelineEntry,
  FactorCategory,
  ContributingFactor,
  ActionItem,
  ReviewTemplate,
  SearchSynonym,
  SavedView,
  StatusUpdate,
  SsoProvider,
];
