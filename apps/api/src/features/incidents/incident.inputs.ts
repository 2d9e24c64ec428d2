import type { HoldReason, IncidentStatus, PublicState, ResolutionKind } from '@ikb/domain';
import { ArrayMaxSize, IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import {
  EscalationKindEnum,
  HoldReasonEnum,
  IncidentSourceEnum,
  IncidentStatusEnum,
  ResolutionKindEnum,
  type EscalationKind,
  type IncidentSource,
} from './incident.enums';
import { MultiLine } from '../../graphql/text-fields';
import { PublicStateEnum } from '../status-page/status-page.enums';

const TEXT = 20_000; // long enough for a pasted stack trace, short enough to refuse a dump
const NOT_BLANK = /\S/;

@InputType({ description: 'Log a new incident from a user report or a monitoring source.' })
export class LogIncidentInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title!: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  description?: string;

  @Field(() => IncidentSourceEnum, { defaultValue: 'USER_REPORT' })
  source!: IncidentSource;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  serviceId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  @Field(() => Int, { nullable: true, description: '1 high .. 3 low; default 3' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  impact?: number;

  @Field(() => Int, { nullable: true, description: '1 high .. 3 low; default 3' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  urgency?: number;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  reporterId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @Field(() => Boolean, { nullable: true })
  major?: boolean;

  @Field(() => String, { nullable: true, description: 'Reference in another tool; unique.' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(120)
  externalRef?: string;

  @Field(() => Date, { nullable: true, description: 'When impact began; not after openedAt.' })
  detectedAt?: Date;

  @Field(() => Date, { nullable: true, description: 'When it was logged; default now. Not in the future.' })
  openedAt?: Date;
}

@InputType()
export class UpdateIncidentInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  description?: string;

  @Field(() => Boolean, { nullable: true })
  major?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(120)
  externalRef?: string;

  @Field(() => Date, { nullable: true })
  detectedAt?: Date;
}

@InputType({ description: 'Classify or reclassify. Priority is derived from impact x urgency unless overridden with a reason.' })
export class ClassifyIncidentInput {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  impact?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  urgency?: number;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  serviceId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  @Field(() => Int, { nullable: true, description: 'Manual priority 1..5; needs priorityReason.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  priority?: number;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(3)
  @MaxLength(2000)
  priorityReason?: string;

  @Field(() => Boolean, { nullable: true, description: 'Drop a manual priority and derive it again.' })
  clearPriorityOverride?: boolean;
}

@InputType({ description: 'Set assignee and/or team; null clears, omitted keeps.' })
export class AssignIncidentInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  teamId?: string | null;
}

@InputType({ description: 'Move an incident through its lifecycle.' })
export class TransitionIncidentInput {
  @Field(() => IncidentStatusEnum)
  to!: IncidentStatus;

  @Field(() => HoldReasonEnum, { nullable: true, description: 'Required for ON_HOLD.' })
  holdReason?: HoldReason;

  @Field(() => ResolutionKindEnum, { nullable: true, description: 'Required for RESOLVED.' })
  resolutionKind?: ResolutionKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(80)
  resolutionCode?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  resolutionNotes?: string;

  @Field(() => Boolean, { nullable: true, description: 'Required for CLOSED: did the user confirm the resolution?' })
  userConfirmed?: boolean;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'Why (kept on the timeline).' })
  @IsOptional()
  @MaxLength(TEXT)
  note?: string;

  @Field(() => Date, { nullable: true, description: 'When it happened, if earlier than now (not before openedAt).' })
  occurredAt?: Date;

  @Field(() => ID, { nullable: true, description: 'When resolving: the applied workaround that restored service.' })
  @IsOptional()
  @IsUUID()
  workaroundId?: string;
}

@InputType()
export class StakeholderUpdateInput {
  @MultiLine()
  @Field(() => String)
  @MinLength(1)
  @MaxLength(TEXT)
  @Matches(NOT_BLANK, { message: 'message must not be blank' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'Who it went to, e.g. "customers", "executives".' })
  @IsOptional()
  @MaxLength(200)
  audience?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: "Tell the incident's subscribers and channels (the STAKEHOLDER_UPDATE notification); default true.",
  })
  notifySubscribers?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Also post it on the public status page (the message is the public text); default false. Needs publicState.',
  })
  statusPage?: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The incident\'s title on the status page; none: "Service disruption" (the internal title is never shown).',
  })
  @IsOptional()
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'publicTitle must not be blank' })
  publicTitle?: string;

  @Field(() => PublicStateEnum, { nullable: true, description: 'With statusPage: the state the status page shows.' })
  publicState?: PublicState;
}

@InputType()
export class EscalationInput {
  @Field(() => EscalationKindEnum)
  kind!: EscalationKind;

  @MultiLine()
  @Field(() => String)
  @MinLength(1)
  @MaxLength(TEXT)
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  reason!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  toTeamId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  toUserId?: string;
}

@InputType()
export class DisasterRecoveryInput {
  @Field(() => String, { description: 'Name of the DR plan triggered.' })
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'plan must not be blank' })
  plan!: string;

  @MultiLine()
  @Field(() => String)
  @MinLength(1)
  @MaxLength(TEXT)
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  reason!: string;
}

@InputType()
export class ConfigurationChangeInput {
  @Field(() => String, { description: 'The configuration item changed (host, service, setting).' })
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'configurationItem must not be blank' })
  configurationItem!: string;

  @MultiLine()
  @Field(() => String)
  @MinLength(1)
  @MaxLength(TEXT)
  @Matches(NOT_BLANK, { message: 'description must not be blank' })
  description!: string;

  @Field(() => String, { nullable: true, description: 'Change record reference (RFC).' })
  @IsOptional()
  @MaxLength(120)
  changeRef?: string;
}

@InputType()
export class TimeEntryInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(80)
  @Matches(NOT_BLANK, { message: 'activity must not be blank' })
  activity!: string;

  @Field(() => Int, { description: '1 .. 1440 minutes per entry' })
  @IsInt()
  @Min(1)
  @Max(1440)
  minutes!: number;

  @Field(() => Boolean, { defaultValue: false })
  billable!: boolean;

  @Field(() => Int, { nullable: true, description: 'Hourly rate in cents; default 0' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  rateCents?: number;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @MultiLine()
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(TEXT)
  note?: string;

  @Field(() => Date, { nullable: true })
  performedAt?: Date;
}

@InputType({ description: 'Filters of the incident register; all optional and combined with AND.' })
export class IncidentFilter {
  @Field(() => [IncidentStatusEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  status?: IncidentStatus[];

  @Field(() => [Int], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(5, { each: true })
  priority?: number[];

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  serviceId?: string[];

  @Field(() => [ID], { nullable: true, description: 'A category matches its subcategories too.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  categoryId?: string[];

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  teamId?: string[];

  @Field(() => Date, { nullable: true, description: 'openedAt >= openedFrom' })
  openedFrom?: Date;

  @Field(() => Date, { nullable: true, description: 'openedAt < openedTo' })
  openedTo?: Date;

  @MultiLine()
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in number, title or description.' })
  @IsOptional()
  @MaxLength(200)
  text?: string;

  @Field(() => Boolean, { nullable: true })
  major?: boolean;

  @Field(() => [ID], { nullable: true, description: 'Linked to one of these problems.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  problemId?: string[];

  @Field(() => Boolean, { nullable: true, description: 'Assigned to the signed-in user (resolved from the session).' })
  assignedToMe?: boolean;

  @Field(() => Boolean, { nullable: true, description: "Held by the signed-in user's home team (none: matches nothing)." })
  myTeam?: boolean;
}
