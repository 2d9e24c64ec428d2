import Link from 'next/link';
import type { SortDirection } from '@/gql/graphql';

/**
 * A sortable column heading: a plain link (focusable, Enter follows it) to the URL of the next
 * order, so sorting works with keyboard, without script and survives reloads. The <th> around it
 * carries aria-sort (see IncidentTable); the arrow is decoration, the hidden text says what a click does.
 */
export function SortHeader({
  href,
  label,
  active,
  nextLabel,
}: {
  href: string;
  label: string;
  active: SortDirection | null;
  nextLabel: string;
}) {
  return (
    <Link href={href} className="sort-header" data-sort-active={active ?? undefined}>
      {label}
      <span aria-hidden="true">{active === 'ASC' ? ' ▴' : active === 'DESC' ? ' ▾' : ' ↕'}</span>
      <span className="visually-hidden">, sort by {nextLabel}</span>
    </Link>
  );
}
