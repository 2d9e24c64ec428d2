import { INCIDENT_STATUSES, SAVED_VIEW_KEYS } from '@ikb/domain';
import Link from 'next/link';
import type { Metadata } from 'next';
import { ExportLink } from '@/components/export-link';
import { IncidentTable } from '@/components/incident-table';
import { MineScope } from '@/components/mine-scope';
import { Empty, ErrorBox, Pager } from '@/components/ui';
import { BulkReviewOptionsDocument, IncidentListDocument, LookupsDocument, type SortDirection } from '@/gql/graphql';
import { PRIORITY_LABELS, formatDateTime, humanize } from '@/lib/format';
import { INCIDENT_SORTS as SORTS, parseIncidentParams, queryString, type IncidentSort as Sort } from '@/lib/incident-params';
import { SortHeader } from '@/components/sort-header';
import { type SearchParams } from '@/lib/params';
import { gql, may } from '@/lib/server';
import { BulkIncidentBar } from '@/components/lists/bulk-incident-bar';
import { SavedViewsPanel, currentFilters } from '@/components/lists/saved-views-panel';

export const metadata: Metadata = { title: 'Incidents' };
const BULK_FORM = 'incident-bulk';

const DIRECTION_WORDS: Record<Sort, Record<SortDirection, string>> = {
  opened: { DESC: 'newest first', ASC: 'oldest first' },
  updated: { DESC: 'most recent first', ASC: 'least recent first' },
  priority: { ASC: 'critical first', DESC: 'planning first' },
  status: { ASC: 'new first', DESC: 'reviewed first' },
  number: { DESC: 'highest first', ASC: 'lowest first' },
  sla: { ASC: 'soonest due first', DESC: 'latest due first' },
};

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const v = parseIncidentParams(sp);
  const { status, priority, serviceId, categoryId, teamId, text, major, openedFrom, openedTo, problemId, mine } = v;
  const { sort, dir, dirParam, size, after, filter, keep } = v;

  const [list, lookups, bulk, toReview] = await Promise.all([
    gql(IncidentListDocument, { first: size, after, filter, orderBy: v.orderBy }),
    gql(LookupsDocument),
    may('bulkUpdateIncidents'),
    may('addIncidentsToReview'),
  ]);
  const reviews = toReview ? await gql(BulkReviewOptionsDocument) : null;
  // A new order starts again at the first page: a cursor belongs to the order it was made in.
  const sortHref = (s: Sort, d: SortDirection) => {
    const p = new URLSearchParams();
    for (const [k, val] of Object.entries({
      ...keep,
      sort: s === 'opened' ? undefined : s,
      dir: d === SORTS[s].initial ? undefined : d.toLowerCase(),
    }))
      if (val) p.set(k, val);
    const qs = p.toString();
    return qs ? `/incidents?${qs}` : '/incidents';
  };
  const sortHeader = (s: Sort) => {
    // The active column toggles its direction; another column starts in its natural one.
    const next: SortDirection = sort === s ? (dir === 'ASC' ? 'DESC' : 'ASC') : SORTS[s].initial;
    return (
      <SortHeader
        href={sortHref(s, next)}
        label={SORTS[s].label}
        active={sort === s ? dir : null}
        nextLabel={`${SORTS[s].label}, ${DIRECTION_WORDS[s][next]}`}
      />
    );
  };
  const hrefWithout = (...keys: string[]) => {
    const p = new URLSearchParams();
    for (const [k, val] of Object.entries(keep)) if (val && !keys.includes(k)) p.set(k, val);
    const qs = p.toString();
    return qs ? `/incidents?${qs}` : '/incidents';
  };
  const hrefWith = (changes: Record<string, string | undefined>) => `/incidents${queryString(keep, changes)}`;
  const filtered = Object.entries(keep).some(([k, val]) => val && k !== 'sort' && k !== 'dir' && k !== 'size' && k !== 'mine');

  return (
    <>
      <h1>Incident register</h1>
      <div className="list-tools">
        <ExportLink list="incidents" searchParams={sp} />
      </div>
      <MineScope current={mine} hrefFor={(m) => hrefWith({ mine: m, after: undefined })} />
      <SavedViewsPanel list="INCIDENTS" filters={currentFilters(keep, SAVED_VIEW_KEYS.INCIDENTS)} />
      <form className="filters" method="get" action="/incidents" role="search" aria-label="Filter incidents">
        <div className="form">
          <label className="field">
            <span className="field-label">Text</span>
            <input type="search" name="q" defaultValue={text} placeholder="Number, title or description" data-shortcut="filter" />
          </label>
          {mine ? <input type="hidden" name="mine" value={mine} /> : null}
          <label className="field">
            <span className="field-label">Service</span>
            <select name="service" defaultValue={serviceId[0] ?? ''}>
              <option value="">Any service</option>
              {lookups.data?.services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Category</span>
            <select name="category" defaultValue={categoryId[0] ?? ''}>
              <option value="">Any category</option>
              {lookups.data?.categories.map((c) => [
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>,
                ...c.children.map((ch) => (
                  <option key={ch.id} value={ch.id}>
                    {`${c.name} › ${ch.name}`}
                  </option>
                )),
              ])}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Team</span>
            <select name="team" defaultValue={teamId[0] ?? ''}>
              <option value="">Any team</option>
              {lookups.data?.teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Sort by</span>
            <select name="sort" defaultValue={sort}>
              {Object.entries(SORTS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Direction</span>
            <select name="dir" defaultValue={dirParam ? dir.toLowerCase() : ''}>
              <option value="">Natural for the column</option>
              <option value="asc">Ascending</option>
              <option value="desc">Descending</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">Per page</span>
            <select name="size" defaultValue={String(size)}>
              <option value="25">25</option>
              <option value="50">50</option>
              <option value="100">100</option>
            </select>
          </label>
          <fieldset className="wide">
            <legend>Status</legend>
            <div className="checks">
              {INCIDENT_STATUSES.map((s) => (
                <label key={s}>
                  <input type="checkbox" name="status" value={s} defaultChecked={status.includes(s)} /> {humanize(s)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="wide">
            <legend>Priority</legend>
            <div className="checks">
              {[1, 2, 3, 4, 5].map((p) => (
                <label key={p}>
                  <input type="checkbox" name="priority" value={p} defaultChecked={priority.includes(p)} /> P{p} {PRIORITY_LABELS[p]}
                </label>
              ))}
              <label>
                <input type="checkbox" name="major" value="yes" defaultChecked={major === 'yes'} /> Major incidents only
              </label>
            </div>
          </fieldset>
          {openedFrom || openedTo || problemId.length ? (
            <p className="wide small" data-testid="drill-down">
              {openedFrom ? <input type="hidden" name="from" value={openedFrom} /> : null}
              {openedTo ? <input type="hidden" name="to" value={openedTo} /> : null}
              {problemId.length ? <input type="hidden" name="problem" value={problemId.join(',')} /> : null}
              <strong>Also filtered:</strong>{' '}
              {[
                openedFrom || openedTo
                  ? `opened ${openedFrom ? `from ${formatDateTime(openedFrom)}` : ''}` +
                    `${openedTo ? ` before ${formatDateTime(openedTo)}` : ''}`
                  : null,
                problemId.length ? `linked to ${problemId.length === 1 ? 'one problem' : `${problemId.length} problems`}` : null,
              ]
                .filter(Boolean)
                .join('; ')}{' '}
              <Link href={hrefWithout('from', 'to', 'problem')}>remove</Link>
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" className="btn primary">
              Apply filters
            </button>
            {filtered ? (
              <Link href="/incidents" className="btn plain">
                Clear
              </Link>
            ) : null}
            {lookups.error !== undefined ? <span className="form-error">Filter options unavailable: {lookups.error}</span> : null}
          </div>
        </div>
      </form>

      {list.error !== undefined ? (
        <ErrorBox title="The incident register could not be loaded" message={list.error} />
      ) : list.data.incidents.edges.length === 0 ? (
        <Empty>
          {mine === 'me'
            ? 'No incident is assigned to you' + (filtered ? ' among these filters.' : '.')
            : filtered
              ? 'No incident matches these filters.'
              : 'No incidents have been logged yet.'}
        </Empty>
      ) : (
        <>
          <p className="muted small" data-testid="incident-count">
            {list.data.incidents.totalCount} incidents match, by {SORTS[sort].label.toLowerCase()}, {DIRECTION_WORDS[sort][dir]}.
          </p>
          {bulk ? (
            <BulkIncidentBar
              form={BULK_FORM}
              users={(lookups.data?.users ?? []).map((u) => ({ id: u.id, name: u.name }))}
              teams={lookups.data?.teams ?? []}
              reviews={reviews?.data ? reviews.data.reviews.nodes.map((r) => ({ id: r.id, name: `${r.number} ${r.title}` })) : null}
            />
          ) : null}
          <IncidentTable
            selectForm={bulk ? BULK_FORM : undefined}
            incidents={list.data.incidents.edges.map((e) => e.node)}
            caption={`Incidents by ${SORTS[sort].label.toLowerCase()}, ${DIRECTION_WORDS[sort][dir]}`}
            headers={{
              number: sortHeader('number'),
              priority: sortHeader('priority'),
              status: sortHeader('status'),
              sla: sortHeader('sla'),
              opened: sortHeader('opened'),
            }}
            sortedBy={{ column: sort, direction: dir }}
          />
          <Pager
            basePath="/incidents"
            params={keep}
            endCursor={list.data.incidents.pageInfo.endCursor}
            hasNextPage={list.data.incidents.pageInfo.hasNextPage}
            isFirstPage={!after}
            shown={list.data.incidents.edges.length}
            total={list.data.incidents.totalCount}
          />
        </>
      )}
    </>
  );
}
