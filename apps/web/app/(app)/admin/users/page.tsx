import type { Metadata } from 'next';
import { CreateUserForm } from '@/components/admin-actions';
import { Empty, ErrorBox } from '@/components/ui';
import { AdminUsersDocument } from '@/gql/graphql';
import { formatDate } from '@/lib/format';
import { ROLE_LABELS } from '@/lib/permissions';
import { gql, may } from '@/lib/server';
import { EditUserForm } from '@/components/admin-edit-forms';
import { IfAllowed } from '@/components/if-allowed';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const res = await gql(AdminUsersDocument);
  if (res.error !== undefined) return <ErrorBox title="Users could not be loaded" message={res.error} />;
  const canEdit = await may('updateUser');
  return (
    <>
      <h1>Users</h1>
      {res.data.users.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption>{res.data.users.length} users, by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Team</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
                {canEdit ? <th scope="col">Edit</th> : null}
              </tr>
            </thead>
            <tbody>
              {res.data.users.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td className="mono small">{u.email}</td>
                  <td>{u.team?.name ?? '—'}</td>
                  <td>
                    {ROLE_LABELS[u.role]}
                    {u.disabled ? <span className="badge">Disabled</span> : null}
                  </td>
                  <td className="small">{formatDate(u.createdAt)}</td>
                  {canEdit ? (
                    <td>
                      <EditUserForm user={{ id: u.id, name: u.name, email: u.email, teamId: u.team?.id }} teams={res.data.teams} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>No users yet.</Empty>
      )}
      <IfAllowed op="createUser" fallback={<p className="read-only-note">Configuration is changed by admins.</p>}>
        <section className="panel" style={{ marginTop: '1rem' }} aria-labelledby="new-h">
          <h2 id="new-h">Add a user</h2>
          <CreateUserForm teams={res.data.teams} />
        </section>
      </IfAllowed>
    </>
  );
}
