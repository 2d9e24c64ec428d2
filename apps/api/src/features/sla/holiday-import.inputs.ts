import type { Weekday } from '@ikb/domain';
import { ArrayMaxSize, IsOptional, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { MultiLine } from '../../graphql/text-fields';
import { WorkingHoursInput } from './sla.inputs';

@InputType({ description: 'A business calendar made from an .ics file; give the file as ics (text) or icsBase64 (its bytes).' })
export class IcsCalendarInput {
  @Field(() => String, { nullable: true, description: 'The file as text.' })
  @IsOptional()
  @MultiLine()
  ics?: string | null;

  @Field(() => String, { nullable: true, description: "The file's bytes in base64 (keeps lines folded inside UTF-8 characters intact)." })
  @IsOptional()
  icsBase64?: string | null;

  @Field(() => String, { nullable: true, description: 'Defaults to the X-WR-CALNAME of the file.' })
  @IsOptional()
  @MaxLength(120)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone; defaults to the X-WR-TIMEZONE of the file.' })
  @IsOptional()
  @MaxLength(64)
  timeZone?: string | null;

  @Field(() => [WorkingHoursInput], { nullable: true, description: 'Defaults to Monday to Friday 09:00-17:00.' })
  @IsOptional()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  weeklyHours?: { day: Weekday; start: string; end: string }[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'The dates to take (YYYY-MM-DD, each a date of the file); default: the DAY_OFF dates.',
  })
  @IsOptional()
  @ArrayMaxSize(5000)
  dates?: string[] | null;
}
