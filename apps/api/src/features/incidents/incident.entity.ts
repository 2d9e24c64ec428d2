import { randomUUID } from 'node:crypto';
import type { HoldReason, IncidentStatus, ResolutionKind } from '@ikb/domain';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { HoldReasonEnum, IncidentSourceEnum, IncidentStatusEnum, type IncidentSource } from './incident.enums';

export function formatIncidentNumber(n: number): string {
  return `INC-${String(n).padStart(6, '0')}`;
}

@ObjectType({ description: 'An unplanned interruption or reduction in quality of a service.' })
@Entity({ tableName: 'incidents' })
export class Incident {
  @Field(() => ID)
  @PrimaryKey({ type: t.uuid })
  id: string = randomUUID();

  /** Sequence value; shown as INC-000123 through the `number` field resolver. */
  @Property({ type: t.integer, fieldName: 'number' })
  seqNumber!: number;

  @Field(() => String)
  @Property({ type: t.string })
  title!: string;

  @Field(() => String)
  @Property({ type: t.text })
  description: string = '';

  @Property({ type: t.uuid, nullable: true })
  serviceId: string | null = null;

  @Property({ type: t.uuid, nullable: true })
  categoryId: string | null = null;

  @Field(() => Int, { description: '1 high .. 3 low' })
  @Property({ type: t.smallint })
  impact: number = 3;

  @Field(() => Int, { description: '1 high .. 3 low' })
  @Property({ type: t.smallint })
  urgency: number = 3;

  @Field(() => Int, { description: '1 critical .. 5 planning; derived from impact x urgency unless overridden' })
  @Property({ type: t.smallint })
  priority: number = 5;

  @Field(() => String, { nullable: true, description: 'Set when the priority was overridden by hand: why.' })
  @Property({ type: t.text, nullable: true })
  priorityOverrideReason: string | null = null;

  @Field(() => IncidentStatusEnum)
  @Property({ type: t.string })
  status: IncidentStatus = 'NEW';

  @Field(() => HoldReasonEnum, { nullable: true })
  @Property({ type: t.string, nullable: true })
  holdReason: HoldReason | null = null;

  @Field(() => IncidentSourceEnum)
  @Property({ type: t.string })
  source: IncidentSource = 'USER_REPORT';

  @Property({ type: t.uuid, nullable: true })
  reporterId: string | null = null;

  @Property({ type: t.uuid, nullable: true })
  assigneeId: string | null = null;

  @Property({ type: t.uuid, nullable: true })
  teamId: string | null = null;

  @Field(() => Boolean)
  @Property({ type: t.boolean })
  major: boolean = false;

  @Field(() => String, { nullable: true, description: 'Reference in another tool, e.g. a ServiceNow number.' })
  @Property({ type: t.string, nullable: true })
  externalRef: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'The change or record that caused the incident, as the source tool named it (ServiceNow caused_by).',
  })
  @Property({ type: t.string, nullable: true })
  causedByRef: string | null = null;

  @Field(() => String, { nullable: true, description: 'Request for change linked in the source tool (ServiceNow rfc).' })
  @Property({ type: t.string, nullable: true })
  changeRef: string | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'Resolution SLA verdict recorded by the source tool (MET or BREACHED; ServiceNow made_sla); analytics uses it for ' +
      'imported incidents.',
  })
  @Property({ type: t.string, nullable: true })
  recordedResolutionSlaVerdict: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When impact began or was first seen.' })
  @Property({ type: t.datetime, nullable: true })
  detectedAt: Date | null = null;

  @Field(() => Date, { description: 'When the incident was logged.' })
  @Property({ type: t.datetime })
  openedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'First response.' })
  @Property({ type: t.datetime, nullable: true })
  acknowledgedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: t.datetime, nullable: true })
  resolvedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: t.datetime, nullable: true })
  closedAt: Date | null = null;

  @Property({ type: t.string, nullable: true })
  resolutionKind: ResolutionKind | null = null;

  @Property({ type: t.string, nullable: true })
  resolutionCode: string | null = null;

  @Property({ type: t.text, nullable: true })
  resolutionNotes: string | null = null;

  @Property({ type: t.boolean, nullable: true })
  userConfirmed: boolean | null = null;

  @Field(() => Int)
  @Property({ type: t.integer })
  reopenCount: number = 0;

  @Field(() => Int)
  @Property({ type: t.integer })
  reassignmentCount: number = 0;

  /** The SLA policy version its clocks run under; kept when the policy changes unless recomputed. */
  @Property({ type: t.uuid, nullable: true })
  slaPolicyVersionId: string | null = null;

  /** The problem (root cause) this incident is an occurrence of: what recurrence is measured on. */
  @Property({ type: t.uuid, nullable: true })
  problemId: string | null = null;

  /** The workaround that restored service, when the resolution says so. */
  @Property({ type: t.uuid, nullable: true })
  resolutionWorkaroundId: string | null = null;

  /** The incident model version applied to it, if any. */
  @Property({ type: t.uuid, nullable: true })
  modelVersionId: string | null = null;

  /** Last timeline sequence number handed out; events are numbered 1, 2, 3... per incident. */
  @Property({ type: t.integer })
  eventSeq: number = 0;

  @Field(() => Date)
  @Property({ type: t.datetime })
  updatedAt: Date = new Date();

  /** Optimistic lock: two concurrent changes to one incident cannot both win silently. */
  @Property({ type: t.integer, version: true })
  version!: number;
}
