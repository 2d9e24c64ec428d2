'use client';
// One alert source in the table: what it received, and its actions. A second, full-width row
// opens below it for the rules editor or for a freshly rotated token (shown once).
import { useState } from 'react';
import type { SourceRowFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { EditRulesForm } from './edit-rules-form';
import { RevokeSourceButton } from './revoke-source-button';
import { RotateTokenButton } from './rotate-token-button';
import { SourceToken } from './source-token';

export const SOURCE_COLUMNS = 9;

export function SourceRow({ source, apiBase, canManage }: { source: SourceRowFragment; apiBase: string; canManage: boolean }) {
  const [detail, setDetail] = useState<{ kind: 'rules' } | { kind: 'token'; token: string } | null>(null);
  const revoked = Boolean(source.revokedAt);
  const ruleCount = Array.isArray(source.rules.rules) ? source.rules.rules.length : 0;
  const hasRules = Object.keys(source.rules).length > 0;
  return (
    <>
      <tr data-source={source.name}>
        <th scope="row" style={{ fontWeight: 'normal' }}>
          <strong>{source.name}</strong>
          <div className="mono small muted">{source.tokenPrefix}…</div>
        </th>
        <td>
          {revoked ? <span className="badge status-retired">Revoked</span> : <span className="badge status-active">Active</span>}
          <div className="small muted">
            {revoked
              ? formatDateTime(source.revokedAt)
              : source.lastUsedAt
                ? `Token last used ${formatDateTime(source.lastUsedAt)}`
                : 'Token not used yet'}
          </div>
        </td>
        <td className="num" data-stat="alertsReceived">
          {source.alertsReceived}
        </td>
        <td className="num" data-stat="distinctAlerts">
          {source.distinctAlerts}
        </td>
        <td className="num" data-stat="incidents">
          {source.incidents}
        </td>
        <td className="num" data-stat="firing">
          {source.firing}
        </td>
        <td className="small" data-stat="lastAlertAt">
          {source.lastAlertAt ? formatDateTime(source.lastAlertAt) : 'None yet'}
        </td>
        <td className="small">
          {hasRules ? `${ruleCount} rule${ruleCount === 1 ? '' : 's'}${source.rules.defaults ? ', defaults' : ''}` : 'Severity and models'}
        </td>
        {canManage ? (
          <td>
            <div className="actions" style={{ alignItems: 'flex-start' }}>
              <button
                type="button"
                className="btn plain small"
                aria-expanded={detail?.kind === 'rules'}
                aria-label={`Edit rules of ${source.name}`}
                onClick={() => setDetail(detail?.kind === 'rules' ? null : { kind: 'rules' })}
              >
                Rules
              </button>
              <RotateTokenButton
                source={{ id: source.id, name: source.name, revoked }}
                onRotated={(token) => setDetail({ kind: 'token', token })}
              />
              {revoked ? null : <RevokeSourceButton source={{ id: source.id, name: source.name }} />}
            </div>
          </td>
        ) : null}
      </tr>
      {detail ? (
        <tr>
          <td colSpan={canManage ? SOURCE_COLUMNS : SOURCE_COLUMNS - 1}>
            {detail.kind === 'rules' ? (
              <EditRulesForm source={source} onSaved={() => setDetail(null)} />
            ) : (
              <SourceToken title={`New token for ${source.name}`} token={detail.token} apiBase={apiBase} onDone={() => setDetail(null)} />
            )}
          </td>
        </tr>
      ) : null}
    </>
  );
}
