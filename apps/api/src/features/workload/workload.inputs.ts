import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({
  description:
    'Working hours for the workload (outside-hours share): a person’s own (userId, or yourself when both ids are left out) ' +
    'or a team’s (teamId, admins). Omitted fields stay; null clears.',
})
export class WorkingCalendarInput {
  @Field(() => ID, { nullable: true, description: 'Another person (admins only).' }) @IsOptional() userId?: string | null;
  @Field(() => ID, { nullable: true, description: 'A team (admins only).' }) @IsOptional() teamId?: string | null;
  @Field(() => ID, { nullable: true, description: 'A business calendar; null: fall back to the team or the default.' })
  @IsOptional()
  calendarId?: string | null;
  @Field(() => String, { nullable: true, description: "IANA name the calendar's hours are read in (people only); null: the calendar's." })
  @IsOptional()
  @MaxLength(64)
  timeZone?: string | null;
}
