import { SAVED_VIEW_KEYS } from '@ikb/domain';
import Link from 'next/link';
import type { Metadata } from 'next';
import { SavedViewsPanel, filtersFromParams } from '@/components/lists/saved-views-panel';
import { ExportLink } from '@/components/export-link';
import { IncidentTable } from '@/components/incident-table';
import { BulkIncidentBar } from '@/components/lists/bulk-incident-bar';
import { MineScope, parseMine, type Mine } from '@/components/mine-scope';
import { Empty, ErrorBox } from '@/components/ui';
import { LookupsDocument, WorkQueueDocument } from '@/gql/graphql';
import { one, type SearchParams } from '@/lib/params';
import { getMe, gql, may } from '@/lib/server';

export const metadata: Metadata = { title: 'Work queue' };
const PAGE = 50;
const BULK_FORM = 'queue-bulk';

export default async function WorkQueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const serviceId = one(sp, 'service');
  const teamId = one(sp, 'team');
  const offset = Math.max(0, Number(one(sp, 'offset')) || 0);
  const mine = parseMine(one(sp, 'mine'));
  const [queue, lookups, bulk, me] = await Promise.all([
    gql(WorkQueueDocument, { first: PAGE + 1, offset, serviceId, teamId, assignedToMe: mine === 'me', myTeam: mine === 'team' }),
    gql(LookupsDocument),
    may('bulkUpdateIncidents'),
    getMe(),
  ]);
  const user = me.data?.user;
  const link = (o: number, m: Mine = mine) => {
    const p = new URLSearchParams();
    if (m) p.set('mine', m);
    if (serviceId) p.set('service', serviceId);
    if (teamId) p.set('team', teamId);
    if (o) p.set('offset', String(o));
    const s = p.toString();
    return s ? `/incidents/queue?${s}` : '/incidents/queue';
  };
  const rows = queue.data?.workQueue ?? [];
  return (
    <>
      <h1>Work queue</h1>
      <SavedViewsPanel list="QUEUE" filters={filtersFromParams(sp, SAVED_VIEW_KEYS.QUEUE)} />
      <div className="list-tools">
        <ExportLink list="queue" searchParams={sp} />
      </div>
      <MineScope current={mine} hrefFor={(m) => link(0, m)} />
      <p className="lead">
        Open incidents by priority, then by resolution time left. Clocks tick live; colours mark 50, 75 and 90 % of the target used.
      </p>
      <form className="filters" method="get" action="/incidents/queue" aria-label="Filter the work queue">
        <div className="form">
          {mine ? <input type="hidden" name="mine" value={mine} /> : null}
          <label className="field">
            <span className="field-label">Team</span>
            <select name="team" defaultValue={teamId ?? ''} data-shortcut="filter">
              <option value="">All teams</option>
              {lookups.data?.teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Service</span>
            <select name="service" defaultValue={serviceId ?? ''}>
              <option value="">All services</option>
              {lookups.data?.services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <div className="actions">
            <button className="btn primary" type="submit">
              Show
            </button>
          </div>
        </div>
      </form>
      {queue.error !== undefined ? (
        <ErrorBox title="The work queue could not be loaded" message={queue.error} />
      ) : rows.length === 0 ? (
        <Empty>
          Nothing in the queue{mine === 'me' ? ' assigned to you' : mine === 'team' ? ' for your team' : ''}
          {teamId || serviceId ? ' for this selection' : ''}: no open incidents.
        </Empty>
      ) : (
        <>
          {bulk ? (
            <BulkIncidentBar
              form={BULK_FORM}
              users={(lookups.data?.users ?? []).map((u) => ({ id: u.id, name: u.name }))}
              teams={lookups.data?.teams ?? []}
              reviews={null}
              me={user ? { id: user.id, name: user.name } : null}
              acknowledge
            />
          ) : null}
          <IncidentTable
            selectForm={bulk ? BULK_FORM : undefined}
            incidents={rows.slice(0, PAGE)}
            caption="Open incidents, priority first, then least resolution time left"
          />
          <nav className="pager" aria-label="Pages">
            {offset > 0 ? <Link href={link(Math.max(0, offset - PAGE))}>« Previous</Link> : null}
            <span className="muted">
              {offset + 1}–{offset + Math.min(PAGE, rows.length)}
            </span>
            {rows.length > PAGE ? <Link href={link(offset + PAGE)}>Next »</Link> : null}
          </nav>
        </>
      )}
    </>
  );
}
