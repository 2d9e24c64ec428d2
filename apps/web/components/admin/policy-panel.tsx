// One SLA policy on the admin page: its current targets as days, hours and minutes, what uses it,
// the rules its targets break (versions saved before the rules stay usable), versions and actions.
import { formatTargetMinutes } from '@ikb/domain';
import type { Option } from '@/components/forms';
import { IfAllowed } from '@/components/if-allowed';
import type { AdminSlaPoliciesQuery } from '@/gql/graphql';
import { PRIORITY_LABELS, formatDate, formatDateTime, humanize } from '@/lib/format';
import { EditPolicyForm } from './edit-policy-form';
import { MakeDefaultButton } from './make-default-button';
import { RestorePolicyButton } from './restore-policy-button';
import { RetirePolicyDialog } from './retire-policy-dialog';

type Policy = AdminSlaPoliciesQuery['slaPolicies'][number];

function TargetFlags({ issues }: { issues: NonNullable<Policy['current']>['targetIssues'] }) {
  const refused = issues.filter((i) => i.refused);
  const warned = issues.filter((i) => !i.refused);
  return (
    <>
      {refused.length ? (
        <div className="policy-flag bad" role="note">
          <strong>These targets break a rule that new versions must follow.</strong> Save a new version with fixed targets:
          <ul>
            {refused.map((i) => (
              <li key={`${i.priority}-${i.target}`}>{i.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {warned.length ? (
        <div className="policy-flag warn" role="note">
          <strong>Check these targets</strong> (a higher priority should not get more time than a lower one):
          <ul>
            {warned.map((i) => (
              <li key={`${i.priority}-${i.target}`}>{i.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

export function PolicyPanel({ p, calendars }: { p: Policy; calendars: Option[] }) {
  const cur = p.versions.find((v) => v.version === p.currentVersion) ?? p.versions[0];
  const services = p.services.map((s) => s.name);
  return (
    <section className={`panel${p.retired ? ' retired-policy' : ''}`} aria-labelledby={`pol-${p.id}`}>
      <div className="panel-head">
        <h2 id={`pol-${p.id}`}>
          {p.name} {p.isDefault ? <span className="badge status-active">Default</span> : null}
          {p.retired ? <span className="badge status-retired">Retired</span> : null}
        </h2>
        <span className="actions">
          <span className="muted small">version {p.currentVersion}</span>
          {p.retired ? (
            <IfAllowed op="restoreSlaPolicy">
              <RestorePolicyButton id={p.id} name={p.name} />
            </IfAllowed>
          ) : null}
          {!p.isDefault && !p.retired ? (
            <>
              <IfAllowed op="makeDefaultSlaPolicy">
                <MakeDefaultButton id={p.id} />
              </IfAllowed>
              <IfAllowed op="retireSlaPolicy">
                <RetirePolicyDialog id={p.id} name={p.name} services={services} />
              </IfAllowed>
            </>
          ) : null}
        </span>
      </div>
      <p className="small muted">
        {p.retired && p.retiredAt ? `Retired ${formatDate(p.retiredAt)}: not offered for services or models. ` : null}
        {services.length
          ? `Services with this policy: ${services.join(', ')}.`
          : p.isDefault
            ? 'Used by every service without its own.'
            : 'No service has this policy as its own.'}
      </p>
      {cur ? (
        <>
          <TargetFlags issues={p.current?.targetIssues ?? []} />
          <div className="table-wrap">
            <table className="data">
              <caption>
                Current targets · {cur.calendar?.name ?? 'calendar removed'} ({cur.timeZone}) · pauses on{' '}
                {cur.pauseHoldReasons.map(humanize).join(', ') || 'nothing'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Priority</th>
                  <th scope="col" className="num">
                    Response
                  </th>
                  <th scope="col" className="num">
                    Resolution
                  </th>
                </tr>
              </thead>
              <tbody>
                {cur.targets.map((t) => (
                  <tr key={t.priority}>
                    <th scope="row">
                      P{t.priority} {PRIORITY_LABELS[t.priority]}
                    </th>
                    <td className="num">{formatTargetMinutes(t.responseMinutes)}</td>
                    <td className="num">{formatTargetMinutes(t.resolutionMinutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details className="action" style={{ marginTop: '0.5rem' }}>
            <summary>Versions ({p.versions.length})</summary>
            <div className="body">
              <ol className="timeline" reversed>
                {p.versions.map((v) => (
                  <li key={v.id}>
                    <div className="meta">
                      v{v.version} · {formatDateTime(v.createdAt)} · {v.calendar?.name ?? '—'} ({v.timeZone})
                    </div>
                    <div>{v.note ?? <span className="muted">No note</span>}</div>
                    <div className="changes">
                      {v.targets
                        .map(
                          (t) => `P${t.priority} ${formatTargetMinutes(t.responseMinutes)} / ${formatTargetMinutes(t.resolutionMinutes)}`,
                        )
                        .join(' · ')}
                    </div>
                  </li>
                ))}
              </ol>
            </div>
          </details>
          {!p.retired ? (
            <IfAllowed op="updateSlaPolicy">
              <details className="action">
                <summary>Edit (new version)</summary>
                <div className="body">
                  <EditPolicyForm
                    id={p.id}
                    calendars={calendars}
                    terms={{ calendarId: cur.calendar?.id, pauseHoldReasons: cur.pauseHoldReasons, targets: cur.targets }}
                  />
                </div>
              </details>
            </IfAllowed>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
