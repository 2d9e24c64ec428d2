// What the Teams page and its CSV say of each team besides its own fields: members, and the
// working hours the workload reads its members' outside share in (decision 0009).
import type { AdminTeamsQuery } from '@/gql/graphql';

/** A team without a calendar of its own works the default SLA policy's. */
export const DEFAULT_WORKING_HOURS = 'Default SLA calendar';

export interface TeamFacts {
  members: number;
  workingHours: string;
}

export function teamFacts(d: AdminTeamsQuery): Map<string, TeamFacts> {
  const calendars = new Map(d.businessCalendars.map((c) => [c.id, c.name]));
  const out = new Map<string, TeamFacts>(
    d.teams.map((t) => [t.id, { members: 0, workingHours: calendars.get(t.workingCalendarId ?? '') ?? DEFAULT_WORKING_HOURS }]),
  );
  for (const u of d.users) {
    const team = u.team && out.get(u.team.id);
    if (team) team.members += 1;
  }
  return out;
}
