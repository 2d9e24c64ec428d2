import type { HoldReason, Weekday } from '@ikb/domain';
import { ArrayMaxSize, IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { HoldReasonEnum } from '../incidents/incident.enums';
import { WeekdayEnum } from './sla.enums';
import { MultiLine } from '../../graphql/text-fields';

const NOT_BLANK = /\S/;
const MAX_TARGET = 525_600; // a year of minutes

@InputType({ description: 'Working hours on one weekday, local time "HH:MM" to "HH:MM" (end may be "24:00").' })
export class WorkingHoursInput {
  @Field(() => WeekdayEnum)
  day!: Weekday;

  @Field(() => String)
  @Matches(/^\d{2}:\d{2}$/, { message: 'start must be HH:MM' })
  start!: string;

  @Field(() => String)
  @Matches(/^\d{2}:\d{2}$/, { message: 'end must be HH:MM' })
  end!: string;
}

@InputType()
export class HolidayInput {
  @Field(() => String, { description: 'Local date YYYY-MM-DD.' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

@InputType({ description: 'A business calendar. No working hours at all is refused; use the 24x7 calendar for round-the-clock service.' })
export class BusinessCalendarInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => String, { description: 'IANA time zone, e.g. Europe/Berlin.' })
  @MinLength(1)
  @MaxLength(64)
  timeZone!: string;

  @Field(() => [WorkingHoursInput])
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  weeklyHours!: WorkingHoursInput[];

  @Field(() => [HolidayInput], { defaultValue: [] })
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  holidays!: HolidayInput[];
}

@InputType()
export class PriorityTargetInput {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(5)
  priority!: number;

  @Field(() => Int, { description: 'Business minutes to acknowledge.' })
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET)
  responseMinutes!: number;

  @Field(() => Int, { description: 'Business minutes to resolve.' })
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET)
  resolutionMinutes!: number;
}

@InputType({ description: 'Targets for priorities 1..5 in business minutes of a calendar, and the hold reasons that pause the clocks.' })
export class SlaPolicyTermsInput {
  @Field(() => ID)
  @IsUUID()
  calendarId!: string;

  @Field(() => [PriorityTargetInput])
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  targets!: PriorityTargetInput[];

  @Field(() => [HoldReasonEnum], { description: 'Clocks pause while on hold for one of these reasons.' })
  @ArrayMaxSize(10)
  pauseHoldReasons!: HoldReason[];
}

@InputType()
export class CreateSlaPolicyInput extends SlaPolicyTermsInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Make it the default policy (the previous default stops being one).' })
  isDefault!: boolean;
}

@InputType()
export class UpdateSlaPolicyInput extends SlaPolicyTermsInput {
  @MultiLine()
  @Field(() => String, { nullable: true, description: 'Why it changed; kept on the new version.' })
  @IsOptional()
  @MaxLength(2000)
  note?: string;
}

@InputType()
export class RecomputeSlaInput {
  @Field(() => [ID])
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  incidentIds!: string[];

  @Field(() => Boolean, { defaultValue: false, description: 'Move the incidents to the current version of their policy first.' })
  useLatestPolicyVersion!: boolean;
}
