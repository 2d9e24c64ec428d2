import { derivePriority, type HoldReason, type IncidentStatus, type Level, type PriorityMatrix, type ResolutionKind } from '@ikb/domain';
import type { OptionalField, Snap } from '../file/assemble';
import type { Directory } from './directory';

/**
 * An incident as the import sees it: the columns it compares and writes, what a source state
 * (a row of the file) becomes in them, and which of them changed between two states.
 */

/** The incident columns an import compares and writes. */

/** The incident columns an import compares and writes. */
export interface DbState {
  title: string;
  description: string;
  status: IncidentStatus;
  holdReason: HoldReason | null;
  impact: number;
  urgency: number;
  priority: number;
  priorityOverrideReason: string | null;
  serviceId: string | null;
  categoryId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  reporterId: string | null;
  major: boolean;
  detectedAt: Date | null;
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  resolutionKind: ResolutionKind | null;
  resolutionCode: string | null;
  resolutionNotes: string | null;
  userConfirmed: boolean | null;
  reopenCount: number;
  reassignmentCount: number;
  problemId: string | null;
  causedByRef: string | null;
  changeRef: string | null;
  verdict: 'MET' | 'BREACHED' | null;
  attributes: Record<string, string>;
}

const sameTime = (a: Date | null, b: Date | null) => a === b || (a !== null && b !== null && a.getTime() === b.getTime());

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** Fields of `next` that differ from `prev` (an empty text and no text are the same). Written out: this runs for every row. */
export function changedFields(a: DbState, b: DbState): (keyof DbState)[] {
  const out: (keyof DbState)[] = [];
  const text = (x: string | null, y: string | null) => x !== y && (x || null) !== (y || null);
  if (text(a.title, b.title)) out.push('title');
  if (text(a.description, b.description)) out.push('description');
  if (a.status !== b.status) out.push('status');
  if (a.holdReason !== b.holdReason) out.push('holdReason');
  if (a.impact !== b.impact) out.push('impact');
  if (a.urgency !== b.urgency) out.push('urgency');
  if (a.priority !== b.priority) out.push('priority');
  if (text(a.priorityOverrideReason, b.priorityOverrideReason)) out.push('priorityOverrideReason');
  if (a.serviceId !== b.serviceId) out.push('serviceId');
  if (a.categoryId !== b.categoryId) out.push('categoryId');
  if (a.teamId !== b.teamId) out.push('teamId');
  if (a.assigneeId !== b.assigneeId) out.push('assigneeId');
  if (a.reporterId !== b.reporterId) out.push('reporterId');
  if (a.major !== b.major) out.push('major');
  if (!sameTime(a.detectedAt, b.detectedAt)) out.push('detectedAt');
  if (!sameTime(a.openedAt, b.openedAt)) out.push('openedAt');
  if (!sameTime(a.acknowledgedAt, b.acknowledgedAt)) out.push('acknowledgedAt');
  if (!sameTime(a.resolvedAt, b.resolvedAt)) out.push('resolvedAt');
  if (!sameTime(a.closedAt, b.closedAt)) out.push('closedAt');
  if (a.resolutionKind !== b.resolutionKind) out.push('resolutionKind');
  if (text(a.resolutionCode, b.resolutionCode)) out.push('resolutionCode');
  if (text(a.resolutionNotes, b.resolutionNotes)) out.push('resolutionNotes');
  if (a.userConfirmed !== b.userConfirmed) out.push('userConfirmed');
  if (a.reopenCount !== b.reopenCount) out.push('reopenCount');
  if (a.reassignmentCount !== b.reassignmentCount) out.push('reassignmentCount');
  if (a.problemId !== b.problemId) out.push('problemId');
  if (text(a.causedByRef, b.causedByRef)) out.push('causedByRef');
  if (text(a.changeRef, b.changeRef)) out.push('changeRef');
  if (a.verdict !== b.verdict) out.push('verdict');
  if (!sameAttributes(a.attributes, b.attributes)) out.push('attributes');
  return out;
}

// Source states -> incident columns

/** Every field counts as given when there is nothing to keep. */
const ALL = { has: (_: OptionalField) => true } as Set<OptionalField>;

export function toDbState(
  s: Snap,
  base: DbState | null,
  provided: Set<OptionalField>,
  dir: Directory,
  matrix: PriorityMatrix,
  source: string,
): DbState {
  const creating = !base;
  const has = creating ? ALL : provided;
  const statusFromFile = provided.has('status') || !base;
  const impact = has.has('impact') ? s.impact : base!.impact;
  const urgency = has.has('urgency') ? s.urgency : base!.urgency;
  const derived = derivePriority(impact as Level, urgency as Level, matrix);
  let priority: number;
  let reason: string | null;
  if (has.has('priority')) {
    priority = s.priority ?? derived;
    reason = priority !== derived ? `Priority as recorded in ${source}` : null;
    // A priority the import leaves as it was keeps the reason it was set with.
    if (base && base.priority === priority) reason = base.priorityOverrideReason;
  } else {
    priority = base!.priority;
    reason = base!.priorityOverrideReason;
  }
  const st = statusFromFile ? s : null;
  const closed = st ? st.status === 'CLOSED' || st.status === 'REVIEWED' : false;
  return {
    title: s.title,
    description: has.has('description') ? s.description : base!.description,
    status: st ? st.status : base!.status,
    holdReason: st ? st.holdReason : base!.holdReason,
    impact,
    urgency,
    priority,
    priorityOverrideReason: reason,
    serviceId: has.has('service') ? dir.service(s.service) : base!.serviceId,
    categoryId: has.has('category') ? dir.category(s.category, s.subcategory) : base!.categoryId,
    teamId: has.has('team') ? dir.team(s.team) : base!.teamId,
    assigneeId: has.has('assignee') ? dir.user(s.assignee) : base!.assigneeId,
    reporterId: has.has('reporter') ? dir.user(s.reporter) : base!.reporterId,
    major: has.has('major') ? s.major : base!.major,
    detectedAt: has.has('detectedAt') ? s.detectedAt : base!.detectedAt,
    openedAt: s.openedAt,
    acknowledgedAt: has.has('acknowledgedAt') ? s.acknowledgedAt : base!.acknowledgedAt,
    resolvedAt: st ? st.resolvedAt : base!.resolvedAt,
    closedAt: st ? st.closedAt : base!.closedAt,
    resolutionKind: st ? st.resolutionKind : base!.resolutionKind,
    resolutionCode: st ? st.resolutionCode : base!.resolutionCode,
    resolutionNotes: st ? st.resolutionNotes : base!.resolutionNotes,
    userConfirmed: provided.has('userConfirmed') || !base ? s.userConfirmed : closed ? base.userConfirmed : st ? null : base.userConfirmed,
    reopenCount: has.has('reopenCount') ? s.reopenCount : base!.reopenCount,
    reassignmentCount: has.has('reassignmentCount') ? s.reassignmentCount : base!.reassignmentCount,
    problemId: has.has('problem') ? dir.problem(s) : base!.problemId,
    causedByRef: has.has('causedBy') ? s.causedBy : base!.causedByRef,
    changeRef: has.has('changeRef') ? s.changeRef : base!.changeRef,
    verdict: has.has('verdict') ? s.verdict : base!.verdict,
    attributes: has.has('attributes') ? s.attributes : base!.attributes,
  };
}
