// The API tokens of one user (/account) or of everyone (/admin/tokens): server-rendered, with a
// Revoke button (asks first) on the active ones.
import type { TokenRowFragment, TokenRowUserFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { ROLE_LABELS } from '@/lib/permissions';
import { RevokeTokenButton } from './revoke-token-button';

/** A token; `user` where the table shows whose it is (showUser). */
type Token = TokenRowFragment & Partial<TokenRowUserFragment>;

export function TokenStatus({ revokedAt }: { revokedAt?: string | null }) {
  return revokedAt ? <span className="badge status-retired">Revoked</span> : <span className="badge status-active">Active</span>;
}

export function TokenTable({
  tokens,
  caption,
  showUser,
  own,
  canRevoke,
}: {
  tokens: Token[];
  caption: string;
  showUser?: boolean;
  own: boolean;
  canRevoke: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="token-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            {showUser ? <th scope="col">User</th> : null}
            <th scope="col">Role</th>
            <th scope="col">Starts with</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            {canRevoke ? <th scope="col">Revoke</th> : null}
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-token-id={t.id}>
              <td>
                <strong>{t.name}</strong>
              </td>
              {showUser ? (
                <td>
                  {t.user?.name ?? '—'}
                  {t.user ? <div className="mono small muted">{t.user.email}</div> : null}
                </td>
              ) : null}
              <td>{ROLE_LABELS[t.role]}</td>
              <td className="mono small">{t.prefix}…</td>
              <td className="small">{formatDateTime(t.createdAt)}</td>
              <td className="small">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</td>
              <td>
                <TokenStatus revokedAt={t.revokedAt} />
                {t.revokedAt ? <div className="small muted">{formatDateTime(t.revokedAt)}</div> : null}
              </td>
              {canRevoke ? <td>{t.revokedAt ? null : <RevokeTokenButton id={t.id} name={t.name} own={own} />}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
