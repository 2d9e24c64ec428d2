/**
 * The shapes of GraphQL answers as the tests read them: what the shared field lists of the
 * factories select (INCIDENT_FIELDS, PROBLEM_FIELDS, REVIEW_FIELDS, ...). A test that selects
 * other fields names their shape at the call (`t.gql<{ incident: { id: string } }>(...)`).
 */

/** A JSON object scalar (an event's before, after and data; an audit row's variables). */
export type Json = Record<string, unknown>;

export interface Ref {
  id: string;
  name: string;
}

export interface NumberRef {
  id: string;
  number: string;
}

/** One entry of an incident's timeline (INCIDENT_FIELDS' `timeline`). */
export interface IncidentEvent {
  id?: string;
  seq: number;
  kind: string;
  summary: string;
  actorName: string | null;
  actor?: { id: string } | null;
  // null where the event's kind has no such payload.
  before: Json | null;
  after: Json | null;
  data: Json | null;
  at: string;
  recordedAt?: string;
}

/** INCIDENT_FIELDS. */
export interface Incident {
  id: string;
  number: string;
  title: string;
  status: string;
  priority: number;
  impact: number;
  urgency: number;
  reopenCount: number;
  reassignmentCount: number;
  major: boolean;
  holdReason: string | null;
  priorityOverridden: boolean;
  priorityOverrideReason: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  openedAt: string;
  resolution: { kind: string | null; code: string | null; notes: string | null; userConfirmed: boolean | null } | null;
  service: Ref | null;
  category: Ref | null;
  team: Ref | null;
  assignee: Ref | null;
  timeline: IncidentEvent[];
}

export interface WorkaroundApplication {
  id: string;
  appliedAt: string;
  appliedByName: string | null;
  note: string | null;
  restoredService: boolean | null;
  appliedBy: { id: string } | null;
  workaround: { id: string };
  incident: { id: string };
}

/** KNOWLEDGE_INCIDENT_FIELDS: an incident with its knowledge links. */
export interface KnowledgeIncident extends Incident {
  problem: NumberRef | null;
  resolvedByWorkaround: { id: string } | null;
  workaroundApplications: WorkaroundApplication[];
}

export interface ProblemEvent {
  kind: string;
  summary: string;
  actorName: string | null;
  before: Json | null;
  after: Json | null;
  data: Json | null;
  at: string;
}

/** PROBLEM_FIELDS. */
export interface Problem {
  id: string;
  number: string;
  title: string;
  description: string | null;
  status: string;
  rootCauseCategory: string | null;
  rootCause: string | null;
  analysisNotes: string | null;
  fixChangeRef: string | null;
  fixDescription: string | null;
  keywords: string[];
  knownErrorAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  isKnownError: boolean;
  incidentCount: number;
  service: Ref | null;
  category: Ref | null;
  owner: Ref | null;
  sourceIncident: NumberRef | null;
  workarounds: { id: string; title: string; status: string }[];
  timeline: ProblemEvent[];
}

export interface Effectiveness {
  timesApplied: number;
  incidents: number;
  resolvedIncidents: number;
  resolvedWithoutReopen: number;
  inFlight: number;
  resolvedWithoutReopenShare: number | null;
  restoredService: number;
  medianMinutesToResolution: number | null;
}

/** WORKAROUND_FIELDS. */
export interface Workaround {
  id: string;
  title: string;
  steps: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  retiredAt: string | null;
  sourceIncident: NumberRef | null;
  problems: NumberRef[];
  effectiveness: Effectiveness;
}

/** ACTION_ITEM_FIELDS. */
export interface ActionItem {
  id: string;
  title: string;
  kind: string;
  priority: number;
  status: string;
  dueDate: string;
  overdue: boolean;
  wontDoReason: string | null;
  doneAt: string | null;
  createdAt: string;
  modelId: string | null;
  recurrencesAfter: number;
  owner: Ref;
  problem: NumberRef | null;
  workaround: { id: string; title: string } | null;
  review: NumberRef;
}

/** FACTOR_FIELDS. */
export interface ContributingFactor {
  id: string;
  description: string;
  evidence: string[];
  createdAt: string;
  category: { key: string; name: string; active: boolean };
}

/** REVIEW_FIELDS. */
export interface Review {
  id: string;
  number: string;
  title: string;
  status: string;
  summary: string | null;
  customerImpact: string | null;
  usersAffected: number | null;
  wentWell: string | null;
  wentBadly: string | null;
  lessons: string | null;
  meetingAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  facilitator: Ref | null;
  participants: { name: string; user: Ref | null }[];
  incidents: { id: string; number: string; status: string; priority: number; major: boolean }[];
  fiveWhys: { why: string; answer: string }[];
  problem: {
    id: string;
    number: string;
    title: string;
    status: string;
    rootCause: string | null;
    rootCauseCategory: string | null;
    analysisNotes: string | null;
    incidentCount: number;
  } | null;
  template: { id: string; name: string; requiredSections: string[] } | null;
  missingSections: string[];
  recurrencesAfterActions: number;
  contributingFactors: ContributingFactor[];
  actionItems: ActionItem[];
  history: { kind: string; summary: string; actorName: string | null; at: string }[];
}

/** A connection page as the list queries return it; `N` is the node as selected. */
export interface Page<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: N[];
  edges: { cursor: string; node: N }[];
}

/** VERSION_FIELDS: one version of an incident model. */
export interface ModelVersion {
  id: string;
  version: number;
  description: string | null;
  matchKeywords: string[];
  defaultImpact: number | null;
  defaultUrgency: number | null;
  checklist: string[];
  workaroundIds: string[];
  reviewTemplate: string | null;
  note: string | null;
  createdAt: string;
  isCurrent: boolean;
  matchService: Ref | null;
  matchCategory: Ref | null;
  defaultCategory: Ref | null;
  defaultTeam: Ref | null;
  slaPolicy: Ref | null;
  workarounds: { id: string; title: string; status: string }[];
}

/** MODEL_FIELDS: an incident model with its current version. */
export interface Model {
  id: string;
  name: string;
  status: string;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  current: ModelVersion;
  versions: { id: string; version: number; checklist: string[] }[];
  sourceIncident: NumberRef | null;
}

export interface ChecklistItem {
  id: string;
  position: number;
  text: string;
  done: boolean;
  doneAt: string | null;
  doneByName: string | null;
  modelVersion: { id: string; version: number } | null;
}

/** APPLIED_FIELDS: an incident after a model was applied. */
export interface ModelledIncident {
  id: string;
  number: string;
  status: string;
  impact: number;
  urgency: number;
  priority: number;
  category: Ref | null;
  team: Ref | null;
  model: { id: string; version: number; model: { id: string; name: string; currentVersion: number } } | null;
  checklist: ChecklistItem[];
  modelApplications: { id: string; appliedAt: string; appliedByName: string | null; modelVersion: { id: string; version: number } }[];
  slaClocks: { target: string; policyName: string; policyVersion: number }[];
  timeline: IncidentEvent[];
}
