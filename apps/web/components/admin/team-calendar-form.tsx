'use client';
// A team's working hours (decision 0009): the business calendar the workload reads its members'
// outside-hours share in, unless a member set their own; empty falls back to the default SLA calendar.
import { FormError, Saved, Submit, str } from '@/components/forms';
import { SetTeamWorkingCalendarDocument } from '@/gql/graphql';
import { DEFAULT_WORKING_HOURS } from '@/lib/teams';
import { useAction } from '@/lib/use-action';

export function TeamCalendarForm({
  team,
  calendars,
}: {
  team: { id: string; name: string; workingCalendarId?: string | null };
  calendars: { id: string; name: string; timeZone: string }[];
}) {
  const { run, busy, error, done } = useAction(SetTeamWorkingCalendarDocument);
  const id = `team-cal-${team.id}`;
  return (
    <form
      className="inline-form"
      aria-label={`Working hours of ${team.name}`}
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        await run({ input: { teamId: team.id, calendarId: str(f, 'calendarId') ?? null } });
      }}
    >
      <label className="visually-hidden" htmlFor={id}>
        Working calendar of {team.name}
      </label>
      <select id={id} name="calendarId" defaultValue={team.workingCalendarId ?? ''} style={{ width: 'auto' }}>
        <option value="">{DEFAULT_WORKING_HOURS}</option>
        {calendars.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.timeZone})
          </option>
        ))}
      </select>{' '}
      <Submit busy={busy}>Save hours</Submit> <Saved done={done} error={error} />
      <FormError error={error} />
    </form>
  );
}
