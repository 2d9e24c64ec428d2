'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { isActive, type NavItem } from '@/lib/nav';

/** Links with aria-current on the active one; `variant` picks the main bar or section tabs. */
export function NavList({ items, label, variant }: { items: NavItem[]; label: string; variant: 'main' | 'tabs' }) {
  const pathname = usePathname() ?? '/';
  // Deepest match wins among tabs so /incidents/new does not also light up /incidents.
  const active = items.filter((i) => isActive(i, pathname)).sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <nav aria-label={label} className={variant === 'main' ? 'main-nav' : 'tabs'}>
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} aria-current={item === active ? 'page' : undefined}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
