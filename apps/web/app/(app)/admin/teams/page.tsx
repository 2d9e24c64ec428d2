import type { Metadata } from 'next';
import Link from 'next/link';
import { ExportLink } from '@/components/export-link';
import { CreateTeamForm } from '@/components/admin/create-team-form';
import { Empty, ErrorBox } from '@/components/ui';
import { AdminTeamsDocument } from '@/gql/graphql';
import { gql, may } from '@/lib/server';
import { teamFacts } from '@/lib/teams';
import { EditTeamForm } from '@/components/admin/edit-team-form';
import { TeamCalendarForm } from '@/components/admin/team-calendar-form';
import { IfAllowed } from '@/components/if-allowed';

export const metadata: Metadata = { title: 'Teams' };

export default async function TeamsPage() {
  const res = await gql(AdminTeamsDocument);
  if (res.error !== undefined) return <ErrorBox title="Teams could not be loaded" message={res.error} />;
  const canEdit = await may('updateTeam');
  const facts = teamFacts(res.data);
  return (
    <>
      <h1>Teams</h1>
      <div className="list-tools">
        <ExportLink list="teams" />
      </div>
      <p className="muted small">
        Working hours: the calendar the <Link href="/dashboard/workload">workload</Link> uses to count a team&apos;s work outside working
        hours. A member&apos;s own calendar, when set, comes first; with none, the default SLA calendar.
      </p>
      {res.data.teams.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption>{res.data.teams.length} teams</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col" className="num">
                  Members
                </th>
                <th scope="col">Work</th>
                <th scope="col">Working hours</th>
                {canEdit ? <th scope="col">Edit</th> : null}
              </tr>
            </thead>
            <tbody>
              {res.data.teams.map((t) => (
                <tr key={t.id}>
                  <td>
                    <strong>{t.name}</strong>
                    {t.description ? <div className="muted small">{t.description}</div> : null}
                  </td>
                  <td className="num">{facts.get(t.id)!.members}</td>
                  <td>
                    <Link href={`/incidents/queue?team=${t.id}`}>Work queue</Link>
                  </td>
                  <td>{canEdit ? <TeamCalendarForm team={t} calendars={res.data.businessCalendars} /> : facts.get(t.id)!.workingHours}</td>
                  {canEdit ? (
                    <td>
                      <EditTeamForm team={t} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>No teams yet.</Empty>
      )}
      <IfAllowed op="createTeam" fallback={<p className="read-only-note">Configuration is changed by admins.</p>}>
        <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="new-h">
          <h2 id="new-h">Add a team</h2>
          <CreateTeamForm />
        </section>
      </IfAllowed>
    </>
  );
}
