import type { Metadata } from 'next';
import { ExportLink } from '@/components/export-link';
import { CreateUserForm } from '@/components/users/create-user-form';
import { EditUserForm } from '@/components/users/edit-user-form';
import { IfAllowed } from '@/components/if-allowed';
import { Empty, ErrorBox, PageHeader } from '@/components/ui';
import { DisableUserButton } from '@/components/users/disable-user-button';
import { RoleForm } from '@/components/users/role-form';
import { SetPasswordForm } from '@/components/users/set-password-form';
import { AdminUsersDocument } from '@/gql/graphql';
import { formatDate, formatDateTime } from '@/lib/format';
import { ROLE_LABELS, type Role } from '@/lib/permissions';
import { getMe, gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const res = await gql(AdminUsersDocument);
  if (res.error !== undefined) return <ErrorBox title="Users could not be loaded" message={res.error} />;
  const [canEdit, canRole, canDisable, canPassword, me] = await Promise.all([
    may('updateUser'),
    may('setUserRole'),
    may('setUserDisabled'),
    may('setUserPassword'),
    getMe(),
  ]);
  const myId = me.data?.user?.id;
  const manage = canEdit || canDisable || canPassword;
  const admins = res.data.users.filter((u) => u.role === 'ADMIN' && !u.disabled).length;
  return (
    <>
      <PageHeader
        title="Users"
        lead={
          canRole
            ? 'People: reporters, assignees, reviewers, and who may do what. ' +
              `${admins} enabled admin${admins === 1 ? '' : 's'}: the last one cannot be demoted or disabled.`
            : 'People: reporters, assignees, reviewers.'
        }
      />
      <div className="list-tools">
        <ExportLink list="users" />
      </div>
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
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Since</th>
                {manage ? <th scope="col">Manage</th> : null}
              </tr>
            </thead>
            <tbody>
              {res.data.users.map((u) => {
                const self = u.id === myId;
                return (
                  <tr key={u.id} data-user-email={u.email}>
                    <td>
                      {u.name}
                      {self ? <span className="muted small"> (you)</span> : null}
                    </td>
                    <td className="mono small">{u.email}</td>
                    <td>{u.team?.name ?? '—'}</td>
                    <td>
                      {/* Keyed by role: after a change the control starts from the API's new value. */}
                      {canRole ? (
                        <RoleForm key={u.role} user={{ id: u.id, name: u.name, role: u.role as Role }} />
                      ) : (
                        ROLE_LABELS[u.role as Role]
                      )}
                    </td>
                    <td>
                      {u.disabled ? (
                        <span className="badge status-retired">Disabled</span>
                      ) : (
                        <span className="badge status-active">Enabled</span>
                      )}
                    </td>
                    <td className="small">{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'Never'}</td>
                    <td className="small">{formatDate(u.createdAt)}</td>
                    {manage ? (
                      <td>
                        <div className="actions" style={{ alignItems: 'flex-start' }}>
                          {canEdit ? (
                            <EditUserForm user={{ id: u.id, name: u.name, email: u.email, teamId: u.team?.id }} teams={res.data.teams} />
                          ) : null}
                          {canPassword ? <SetPasswordForm user={{ id: u.id, name: u.name, email: u.email }} self={self} /> : null}
                          {canDisable ? (
                            <DisableUserButton
                              key={String(u.disabled)}
                              user={{ id: u.id, name: u.name, disabled: u.disabled }}
                              self={self}
                            />
                          ) : null}
                        </div>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
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
