import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

/** What a person's working hours come from (the fallback order of decision 0009). */
export type CalendarSource = 'PERSON' | 'TEAM' | 'DEFAULT' | 'ALWAYS';

@ObjectType({ description: 'Load figures of one group of work: hours in person-hours, shares 0..1.' })
export class LoadFigures {
  @Field(() => Int, { description: 'Incidents of the range this carries load on.' }) incidents!: number;
  @Field(() => Float, { description: 'Time entries, hours.' }) loggedHours!: number;
  @Field(() => Float, { description: 'Holding time (acknowledged, assigned, active), hours.' }) holdingHours!: number;
  @Field(() => Float, { description: 'Per person and incident the larger of logged and held, summed (metric person-hours).' })
  personHours!: number;
  @Field(() => Float, { description: 'Of personHours, outside working hours (metric outside-hours-share).' }) outsideHours!: number;
  @Field(() => Float, { nullable: true, description: 'outsideHours / personHours; null with no load.' }) outsideShare!: number | null;
}

@ObjectType({ description: "One person's load on the incidents of the range." })
export class PersonLoad extends LoadFigures {
  @Field(() => ID) userId!: string;
  @Field(() => String) name!: string;
  @Field(() => ID, { nullable: true, description: 'Home team.' }) teamId!: string | null;
  @Field(() => String) teamName!: string;
  @Field(() => String, { description: 'PERSON, TEAM, DEFAULT (the default SLA policy calendar) or ALWAYS (around the clock).' })
  calendarSource!: CalendarSource;
  @Field(() => String, { nullable: true }) calendarName!: string | null;
  @Field(() => String, { description: 'Time zone the working hours are read in.' }) timeZone!: string;
}

@ObjectType({ description: "A team's load: its members' loads summed (members by their home team now)." })
export class TeamLoad extends LoadFigures {
  @Field(() => ID, { nullable: true, description: 'Null: people with no team.' }) teamId!: string | null;
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Members with load.' }) people!: number;
}

@ObjectType({ description: 'How much of the load falls on the few (metric load-concentration).' })
export class LoadConcentration {
  @Field(() => ID) metricId!: string;
  @Field(() => Int, { description: 'People with load.' }) people!: number;
  @Field(() => Int, { description: 'ceil(10 % of people).' }) topCount!: number;
  @Field(() => Float, { nullable: true, description: "The top people's share of person-hours." }) topShare!: number | null;
  @Field(() => Float, { nullable: true, description: 'Gini coefficient of person-hours.' }) gini!: number | null;
}

@ObjectType({ description: 'Incidents opened in a bucket and the people on duty for them (metric incidents-per-on-duty).' })
export class OnDutyBucket {
  @Field(() => ID) metricId!: string;
  @Field(() => Date, { description: 'First instant of the local bucket.' }) start!: Date;
  @Field(() => Date, { description: 'First instant after the bucket.' }) end!: Date;
  @Field(() => Int) incidents!: number;
  @Field(() => Int, { description: 'People with load on an incident opened in the bucket.' }) onDuty!: number;
  @Field(() => Float, { nullable: true }) incidentsPerOnDuty!: number | null;
}

@ObjectType({ description: 'Workload figure -> metric definition.' })
export class WorkloadFieldMetric {
  @Field(() => String) field!: string;
  @Field(() => ID) metricId!: string;
}

@ObjectType({ description: 'Workload of people and teams on the incidents opened in [from, to) that match the filter.' })
export class Workload {
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => String) timeZone!: string;
  @Field(() => Date, { description: 'Open holding intervals count up to this instant.' }) evaluatedAt!: Date;
  @Field(() => [WorkloadFieldMetric], { description: 'The metric definition of each figure (see metricDefinitions).' })
  metrics!: WorkloadFieldMetric[];
  @Field(() => Int, { description: 'Incidents of the range and filter.' }) incidentCount!: number;
  @Field(() => LoadFigures, { description: 'All people together.' }) totals!: LoadFigures;
  @Field(() => Int, { description: 'People with load over the range (on duty).' }) onDuty!: number;
  @Field(() => Float, { nullable: true, description: 'incidentCount / onDuty.' }) incidentsPerOnDuty!: number | null;
  @Field(() => Int, { description: 'People with load (people lists at most the first 500).' }) peopleCount!: number;
  @Field(() => [PersonLoad], { description: 'Most person-hours first (then name); at most 500.' }) people!: PersonLoad[];
  @Field(() => [TeamLoad], { description: 'Most person-hours first.' }) teams!: TeamLoad[];
  @Field(() => LoadConcentration) concentration!: LoadConcentration;
  /** Per incident of the range: when it was opened and who carries load on it (for onDutyOverTime). */
  perIncident!: { opened: number; people: readonly string[] }[];
}
