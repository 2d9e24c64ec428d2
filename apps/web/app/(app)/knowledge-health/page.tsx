import type { Metadata } from 'next';
import Link from 'next/link';
import { KNOWLEDGE_ATTENTION_LABELS, KNOWLEDGE_KIND_LABELS, KNOWLEDGE_STALE_LABELS } from '@ikb/domain';
import { ExportLink } from '@/components/export-link';
import { IfAllowed } from '@/components/if-allowed';
import { EffectivenessLine } from '@/components/knowledge/effectiveness-line';
import { MarkReviewedButton } from '@/components/knowledge/mark-reviewed-button';
import { Empty, ErrorBox, PageHeader } from '@/components/ui';
import { KnowledgeHealthDocument, LookupsDocument, type KnowledgeHealthFilter, type KnowledgeHealthRowFragment } from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';
import { KNOWLEDGE_KINDS, knowledgeHealthFilter } from '@/lib/knowledge-health';
import { one, type SearchParams } from '@/lib/params';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Knowledge health' };

const PAGE = 100;

function groups(items: KnowledgeHealthRowFragment[]) {
  const out: { key: string; name: string; items: KnowledgeHealthRowFragment[] }[] = [];
  for (const i of items) {
    const key = i.owner?.id ?? '';
    const last = out.at(-1);
    if (last && last.key === key) last.items.push(i);
    else out.push({ key, name: i.owner?.name ?? 'No owner', items: [i] });
  }
  return out;
}

function nextHref(f: KnowledgeHealthFilter, after: string): string {
  const p = new URLSearchParams();
  for (const [k, v] of [
    ['kind', f.kind],
    ['owner', f.ownerId],
    ['team', f.teamId],
    ['service', f.serviceId],
  ] as const)
    if (v) p.set(k, String(v));
  p.set('after', after);
  return `/knowledge-health?${p}`;
}

export default async function KnowledgeHealthPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const filter = knowledgeHealthFilter(sp);
  const after = one(sp, 'after');
  const [res, lookups] = await Promise.all([gql(KnowledgeHealthDocument, { filter, first: PAGE, after }), gql(LookupsDocument, {})]);
  const lk = lookups.error === undefined ? lookups.data : null;
  const filtered = Object.values(filter).some((v) => v);
  return (
    <>
      <PageHeader
        title="Knowledge health"
        lead={
          'Workarounds, known errors and incident models that need their owner: stale (with why), review due within 30 days, ' +
          'in review for over 14 days, or working poorly with enough data to say so.'
        }
      />
      <div className="list-tools">
        <ExportLink list="knowledge-health" searchParams={sp} />
      </div>
      <form className="filters" method="get" action="/knowledge-health" role="search" aria-label="Filter knowledge health">
        <div className="form">
          <label className="field">
            <span className="field-label">Kind</span>
            <select name="kind" defaultValue={filter.kind ?? ''}>
              <option value="">All kinds</option>
              {KNOWLEDGE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KNOWLEDGE_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Owner</span>
            <select name="owner" defaultValue={filter.ownerId ?? ''}>
              <option value="">Anyone</option>
              {lk?.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Team</span>
            <select name="team" defaultValue={filter.teamId ?? ''}>
              <option value="">Any team</option>
              {lk?.teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Service</span>
            <select name="service" defaultValue={filter.serviceId ?? ''}>
              <option value="">Any service</option>
              {lk?.services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <div className="actions">
            <button className="btn primary" type="submit">
              Apply filters
            </button>
            {filtered ? (
              <Link className="btn plain" href="/knowledge-health">
                Clear
              </Link>
            ) : null}
          </div>
        </div>
      </form>
      {res.error !== undefined ? (
        <ErrorBox title="Knowledge health could not be loaded" message={res.error} />
      ) : res.data.knowledgeHealth.items.length === 0 ? (
        <Empty>Nothing needs attention{filtered ? ' under these filters' : ''}.</Empty>
      ) : (
        <>
          <p className="muted small">
            {res.data.knowledgeHealth.totalCount} items need attention.
            {res.data.knowledgeHealth.truncated ? ' Only the first 5,000 candidate items were judged: narrow the filters.' : ''}
          </p>
          {groups(res.data.knowledgeHealth.items).map((g) => (
            <section className="panel" key={g.key || 'none'} aria-label={`Owner: ${g.name}`}>
              <h2>
                {g.name} <span className="muted small">({g.items.length})</span>
              </h2>
              <ul className="card-list">
                {g.items.map((i) => (
                  <li key={`${i.kind}:${i.itemId}`} data-testid="health-item">
                    <Link href={i.href}>{i.title}</Link> <span className="muted small">{KNOWLEDGE_KIND_LABELS[i.kind]}</span>{' '}
                    <span className="badge">{humanize(i.state)}</span>
                    <ul className="small">
                      {i.attention.map((a) => (
                        <li key={a}>
                          {KNOWLEDGE_ATTENTION_LABELS[a] ?? humanize(a)}
                          {a === 'STALE' ? `: ${i.staleReasons.map((r) => KNOWLEDGE_STALE_LABELS[r] ?? humanize(r)).join(', ')}` : ''}
                          {a === 'REVIEW_DUE' && i.reviewBy ? ` (by ${formatDateTime(i.reviewBy)})` : ''}
                        </li>
                      ))}
                    </ul>
                    <EffectivenessLine e={i.effectiveness} />
                    {i.state === 'PUBLISHED' || i.state === 'NEEDS_REVIEW' ? (
                      <IfAllowed op="markKnowledgeReviewed">
                        <MarkReviewedButton kind={i.kind} itemId={i.itemId} title={i.title} />
                      </IfAllowed>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ))}
          {res.data.knowledgeHealth.next ? (
            <nav className="pager" aria-label="Pages">
              <Link href={nextHref(filter, res.data.knowledgeHealth.next)} rel="next">
                Next page »
              </Link>
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}
