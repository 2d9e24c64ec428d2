// One hit of the solution catalog: what it is, what fixed it (before the description), the repeats
// it groups, and "Why this matched" one click away, in words (no scores or stemmed terms).
import Link from 'next/link';
import type { SearchHitFieldsFragment } from '@/gql/graphql';
import { formatDate, humanize, priorityLabel } from '@/lib/format';
import { EffectivenessLine } from '@/components/knowledge/effectiveness-line';
import { KIND_LABELS, hitHref, snippetParts, withIncidentContext } from '@/lib/search';

export function Snippet({ text }: { text: string }) {
  return <>{snippetParts(text).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

const RESOLUTION: Record<string, string> = {
  WORKAROUND: 'Workaround',
  PERMANENT_FIX: 'Permanent fix',
  NO_FIX_NEEDED: 'No fix needed',
  ESCALATED_TO_PROVIDER: 'Escalated to the provider',
};

function Fix({ fix }: { fix: NonNullable<SearchHitFieldsFragment['fix']> }) {
  return (
    <div className="hit-fix">
      <span className="hit-fix-label">
        {fix.resolutionKind ? `Fixed · ${RESOLUTION[fix.resolutionKind] ?? humanize(fix.resolutionKind)}` : 'Fix'}
      </span>
      {fix.notes ? <span className="hit-fix-notes">{fix.notes}</span> : null}
      {fix.workaround || fix.model ? (
        <span className="hit-fix-refs small">
          {fix.workaround ? (
            <>
              Workaround: <Link href={`/workarounds/${fix.workaround.id}`}>{fix.workaround.title}</Link>
            </>
          ) : null}
          {fix.workaround && fix.model ? ' · ' : null}
          {fix.model ? (
            <>
              Model: <Link href={`/models/${fix.model.id}`}>{fix.model.title}</Link>
            </>
          ) : null}
        </span>
      ) : null}
    </div>
  );
}

function Repeats({ repeats: r }: { repeats: NonNullable<SearchHitFieldsFragment['repeats']> }) {
  return (
    <div className="hit-repeats small">
      <span>
        Recurring: {r.count} matching incidents of{' '}
        <Link href={`/problems/${encodeURIComponent(r.problem.number)}`}>
          <span className="mono">{r.problem.number}</span> {r.problem.title}
        </Link>
        . Latest:
      </span>
      <ul>
        {r.latest.map((i) => (
          <li key={i.id}>
            <Link href={`/incidents/${encodeURIComponent(i.number)}`}>
              <span className="mono">{i.number}</span> {i.title}
            </Link>{' '}
            <span className="muted">
              {humanize(i.status)}, {formatDate(i.occurredAt)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** `onOpen`: called when the hit's own link is followed (search analytics record where it stood). */
export function SearchHit({
  hit: h,
  fromIncident,
  onOpen,
}: {
  hit: SearchHitFieldsFragment;
  fromIncident?: string | null;
  onOpen?: () => void;
}) {
  const category = h.category ? (h.category.parent ? `${h.category.parent.name} › ${h.category.name}` : h.category.name) : null;
  const grouped = h.repeats && h.kind === 'INCIDENT';
  return (
    <li className={`hit${h.retired ? ' retired' : ''}${h.exactMatch ? ' exact' : ''}`}>
      <div className="hit-head">
        <span className={`badge kind kind-${h.kind.toLowerCase()}`}>{KIND_LABELS[h.kind] ?? humanize(h.kind)}</span>
        <Link className="hit-link" href={withIncidentContext(hitHref(h), h.kind, fromIncident)} onClick={onOpen} onAuxClick={onOpen}>
          {h.incident ? (
            <span className="mono">{h.incident.number} </span>
          ) : h.problem ? (
            <span className="mono">{h.problem.number} </span>
          ) : null}
          {h.title}
        </Link>
        {h.exactMatch ? <span className="badge exact-badge">Exact identifier</span> : null}
        {h.retired ? <span className="badge status-retired">Retired</span> : null}
        {grouped ? <span className="badge">Recurring</span> : null}
      </div>
      {h.fix ? <Fix fix={h.fix} /> : null}
      {h.repeats ? <Repeats repeats={h.repeats} /> : null}
      <p className="snippet">
        <Snippet text={h.snippet} />
      </p>
      <div className="hit-meta small muted">
        {[
          h.service?.name,
          category,
          h.priority ? priorityLabel(h.priority) : null,
          h.status ? humanize(h.status) : null,
          formatDate(h.occurredAt),
        ]
          .filter(Boolean)
          .join(' · ')}
      </div>
      {h.knowledge ? <EffectivenessLine e={h.knowledge.effectiveness} compact /> : null}
      {h.explanation.length ? (
        <details className="hit-why small">
          <summary>Why this matched</summary>
          <ul>
            {h.explanation.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}
