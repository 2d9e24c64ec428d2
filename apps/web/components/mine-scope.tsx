import Link from 'next/link';

/** The one-click scopes of the incident lists: everyone's, assigned to me, my team's (?mine=me|team). */
export type Mine = 'me' | 'team' | undefined;

export function parseMine(value: string | undefined): Mine {
  return value === 'me' || value === 'team' ? value : undefined;
}

const SCOPES: { value: Mine; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'me', label: 'Assigned to me' },
  { value: 'team', label: 'My team' },
];

/** hrefFor builds the list's URL with the other filters kept and mine set (a new scope starts at page one). */
export function MineScope({ current, hrefFor }: { current: Mine; hrefFor: (mine: Mine) => string }) {
  return (
    <nav className="mine-scope" aria-label="Whose incidents">
      {SCOPES.map((s) => (
        <Link key={s.label} href={hrefFor(s.value)} className="chip" aria-current={current === s.value ? 'page' : undefined}>
          {s.label}
        </Link>
      ))}
    </nav>
  );
}
