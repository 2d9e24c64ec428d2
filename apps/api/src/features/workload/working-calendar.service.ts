// Who works when: a person's or a team's working calendar for the workload's outside-hours share.
// A person may set their own; an admin anyone's and any team's (decision 0009).

import { checkTimeZoneName } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, assertUuid, badInput, notFound } from '../../errors';
import type { Actor } from '../../graphql/actor';
import type { WorkingCalendarInput } from './workload.inputs';

export interface WorkingCalendarRow {
  userId: string | null;
  teamId: string | null;
  calendarId: string | null;
  timeZone: string | null;
}

export async function setWorkingCalendar(em: EntityManager, actor: Actor, input: WorkingCalendarInput): Promise<WorkingCalendarRow> {
  if (!actor.id) throw new AppError('UNAUTHENTICATED', 'Sign in first: working hours are per person.');
  // An empty string is a malformed id, not "none": only null and an omitted field mean that.
  const id = (field: string, v: string | null | undefined) => (typeof v === 'string' ? assertUuid(field, v).toLowerCase() : null);
  const givenTeam = id('input.teamId', input.teamId);
  const givenUser = id('input.userId', input.userId);
  const givenCalendar = id('input.calendarId', input.calendarId);
  if (givenUser && givenTeam) throw badInput('input.teamId', 'give a person or a team, not both');
  const teamId = givenTeam;
  const userId = teamId ? null : (givenUser ?? actor.id);
  if ((teamId || userId !== actor.id) && actor.role !== 'ADMIN')
    throw new AppError('FORBIDDEN', 'Only an admin may set the working hours of someone else or of a team.');
  if (givenCalendar) {
    const found = await em.execute<{ id: string }[]>(`select id from business_calendars where id = ?`, [givenCalendar]);
    if (!found.length) throw notFound('input.calendarId', 'calendar', givenCalendar);
  }
  let zone: string | null | undefined = input.timeZone;
  if (zone !== undefined && zone !== null) {
    if (teamId) throw badInput('input.timeZone', 'a team has no time zone of its own: its calendar’s is used');
    const checked = checkTimeZoneName(zone);
    if (!checked.ok) throw badInput('input.timeZone', checked.message);
    zone = checked.value;
  }
  const cal = input.calendarId === undefined ? undefined : givenCalendar;
  if (teamId) {
    const rows = await em.execute<{ id: string; calendar_id: string | null }[]>(
      `update teams set calendar_id = case when ? then ?::uuid else calendar_id end where id = ? returning id, calendar_id`,
      [cal !== undefined, cal ?? null, teamId],
    );
    if (!rows.length) throw notFound('input.teamId', 'team', teamId);
    return { userId: null, teamId, calendarId: rows[0]!.calendar_id, timeZone: null };
  }
  const rows = await em.execute<{ id: string; calendar_id: string | null; time_zone: string | null }[]>(
    `update users set calendar_id = case when ? then ?::uuid else calendar_id end,
                      time_zone = case when ? then ?::text else time_zone end
      where id = ? returning id, calendar_id, time_zone`,
    [cal !== undefined, cal ?? null, zone !== undefined, zone ?? null, userId],
  );
  if (!rows.length) throw notFound('input.userId', 'user', userId!);
  return { userId, teamId: null, calendarId: rows[0]!.calendar_id, timeZone: rows[0]!.time_zone };
}
