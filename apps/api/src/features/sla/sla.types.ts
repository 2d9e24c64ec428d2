import type { ClockState, ClockVerdict, HoldReason, SlaTarget, Weekday } from '@ikb/domain';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { HoldReasonEnum } from '../incidents/incident.enums';
import { ClockStateEnum, ClockVerdictEnum, SegmentStateEnum, SlaTargetEnum, WeekdayEnum } from './sla.enums';

@ObjectType()
export class WorkingHoursView {
  @Field(() => WeekdayEnum) day!: Weekday;
  @Field(() => String) start!: string;
  @Field(() => String) end!: string;
}

@ObjectType()
export class HolidayView {
  @Field(() => String) date!: string;
  @Field(() => String) name!: string;
}

@ObjectType()
export class PriorityTargetView {
  @Field(() => Int) priority!: number;
  @Field(() => Int) responseMinutes!: number;
  @Field(() => Int) resolutionMinutes!: number;
}

@ObjectType('SlaTargetIssue', {
  description: 'A rule between targets that a policy version breaks (versions saved before the rule stay usable).',
})
export class SlaTargetIssueView {
  @Field(() => Int) priority!: number;
  @Field(() => SlaTargetEnum) target!: SlaTarget;
  @Field(() => Boolean, { description: 'true: new versions like this are refused; false: a warning only.' }) refused!: boolean;
  @Field(() => String, { description: 'In words, e.g. "P1: the response target (2 h) is longer than the resolution target (1 h)".' })
  message!: string;
}

@ObjectType({ description: 'A stretch of an SLA clock: running, or paused (with the hold reason).' })
export class SlaClockSegmentView {
  @Field(() => SegmentStateEnum) state!: 'RUNNING' | 'PAUSED';
  @Field(() => HoldReasonEnum, { nullable: true }) holdReason!: HoldReason | null;
  @Field(() => Date) from!: Date;
  @Field(() => Date, { nullable: true, description: 'Null while it is still going.' }) to!: Date | null;
}

@ObjectType({ description: 'One SLA clock of an incident, evaluated now from its stored segments.' })
export class SlaClock {
  @Field(() => SlaTargetEnum) target!: SlaTarget;
  @Field(() => ID) policyVersionId!: string;
  /** The policy's name, resolved only when asked for (see SlaClockResolver). */
  policyId!: string;
  @Field(() => Int) policyVersion!: number;
  @Field(() => Int, { description: 'The priority whose target applies.' }) priority!: number;
  @Field(() => Int, { description: 'Target in business minutes.' }) targetMinutes!: number;
  @Field(() => ClockStateEnum) state!: ClockState;
  @Field(() => Int, { description: 'Business minutes consumed.' }) elapsedMinutes!: number;
  @Field(() => Int, { description: 'Business minutes left (0 once breached).' }) remainingMinutes!: number;
  @Field(() => Float, { description: 'Share of the target consumed, in %; above 100 once breached.' }) percentConsumed!: number;
  @Field(() => Int, { description: 'Highest threshold reached: 0, 50, 75 or 90.' }) warningLevel!: number;
  @Field(() => Date, { nullable: true, description: 'When the target runs out (null while paused).' }) dueAt!: Date | null;
  @Field(() => Date, { nullable: true }) breachedAt!: Date | null;
  @Field(() => Date, { nullable: true }) stoppedAt!: Date | null;
  @Field(() => ClockVerdictEnum) verdict!: ClockVerdict;
  @Field(() => [SlaClockSegmentView]) segments!: SlaClockSegmentView[];
}

@ObjectType({ description: 'Compliance of one priority: what a proposed policy would have given, against what was recorded.' })
export class SlaWhatIfRow {
  @Field(() => Int) priority!: number;
  @Field(() => Int) incidents!: number;
  @Field(() => Int) met!: number;
  @Field(() => Int) breached!: number;
  @Field(() => Int, { description: 'Clocks still running: no verdict yet.' }) pending!: number;
  @Field(() => Float, { nullable: true, description: 'met / (met + breached); null without verdicts.' }) ratio!: number | null;
  @Field(() => Int) currentMet!: number;
  @Field(() => Int) currentBreached!: number;
  @Field(() => Float, { nullable: true }) currentRatio!: number | null;
}

@ObjectType()
export class SlaWhatIfResult {
  @Field(() => Int, { description: 'Incidents opened in the range that have clocks.' }) incidents!: number;
  @Field(() => [SlaWhatIfRow]) response!: SlaWhatIfRow[];
  @Field(() => [SlaWhatIfRow]) resolution!: SlaWhatIfRow[];
}

@ObjectType()
export class RecomputeSlaResult {
  @Field(() => Int) recomputed!: number;
  @Field(() => Int, { description: 'Clocks whose verdict changed.' }) verdictsChanged!: number;
}
