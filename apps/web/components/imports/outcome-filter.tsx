// The outcome filter of /admin/imports: links that set ?outcome= (All clears it), each with its count.
import Link from 'next/link';
import type { ImportOutcome } from '@/gql/graphql';
import { OUTCOME_LABELS, OUTCOMES } from './format';

export type OutcomeCounts = Record<ImportOutcome | 'ALL', number>;

export function outcomeHref(outcome: ImportOutcome | null): string {
  return outcome ? `/admin/imports?outcome=${outcome}` : '/admin/imports';
}

export function OutcomeFilter({ selected, counts }: { selected: readonly ImportOutcome[]; counts: OutcomeCounts }) {
  const items: { key: ImportOutcome | null; label: string; count: number }[] = [
    { key: null, label: 'All', count: counts.ALL },
    ...OUTCOMES.map((o) => ({ key: o, label: OUTCOME_LABELS[o], count: counts[o] })),
  ];
  const current = (key: ImportOutcome | null) => (key === null ? selected.length === 0 : selected.length === 1 && selected[0] === key);
  return (
    <nav aria-label="Filter import runs by outcome" className="tabs">
      <ul>
        {items.map((i) => (
          <li key={i.key ?? 'ALL'}>
            <Link href={outcomeHref(i.key)} aria-current={current(i.key) ? 'page' : undefined}>
              {i.label} ({i.count.toLocaleString('en-GB')})
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
