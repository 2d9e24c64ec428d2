'use client';
// The e-mail log: the latest mails (people's notifications and digests, status page mail, meeting
// invitations), how the mail server answered each try, and sending the failed ones again.
import { ConfirmButton } from '@/components/confirm-button';
import { ReplayNotificationMailsDocument, type MailRowFragment } from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';

const STATUS: Record<MailRowFragment['status'], { label: string; badge: string }> = {
  DELIVERED: { label: 'Sent', badge: 'status-active' },
  PENDING: { label: 'Waiting', badge: 'status-draft' },
  DEAD: { label: 'Failed', badge: 'status-retired' },
};

const tries = (m: MailRowFragment) =>
  m.tries.length ? m.tries.map((t) => (t.code === null ? 'not reached' : String(t.code))).join(', ') : 'not tried yet';

export function MailLog({ mails, mailConfigured }: { mails: MailRowFragment[]; mailConfigured: boolean }) {
  const { run, busy, error } = useAction(ReplayNotificationMailsDocument);
  const failed = mails.filter((m) => m.status === 'DEAD').length;
  return (
    <>
      {mailConfigured ? null : (
        <p className="notice small">This server sends no e-mail (SMTP_URL is not set): mails wait here until it is.</p>
      )}
      {failed ? (
        <div className="actions" style={{ marginBottom: '.5rem' }}>
          <ConfirmButton
            label={`Send ${failed} failed again`}
            question="Send every failed mail again, from a fresh retry schedule?"
            confirmLabel="Yes, send again"
            variant="primary"
            busy={busy}
            onConfirm={() => run({ ids: null })}
          />
          {error ? (
            <span role="alert" className="form-error small">
              {error}
            </span>
          ) : null}
        </div>
      ) : null}
      {mails.length ? (
        <div className="table-wrap">
          <table className="data" data-testid="mail-log">
            <caption>The latest {mails.length} mails, newest first; tries lists each answer (SMTP reply code) in order.</caption>
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">Kind</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Tries</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((m) => (
                <tr key={m.id} data-status={m.status}>
                  <td className="small">{formatDateTime(m.createdAt)}</td>
                  <td className="small">{humanize(m.purpose)}</td>
                  <td className="mono small">{m.to}</td>
                  <td>{m.subject}</td>
                  <td>
                    <span className={`badge ${STATUS[m.status].badge}`}>{STATUS[m.status].label}</span>
                    {m.status === 'PENDING' && m.nextAt ? <div className="small muted">next try {formatDateTime(m.nextAt)}</div> : null}
                  </td>
                  <td className="small">
                    {tries(m)}
                    {m.lastError && m.status !== 'DELIVERED' ? <div className="muted">{m.lastError}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No mail yet.</p>
      )}
    </>
  );
}
