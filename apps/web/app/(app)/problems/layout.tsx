import type { ReactNode } from 'react';
import { NavList } from '@/components/nav-list';
import { Providers } from '@/components/providers';
import { visibleNav } from '@/lib/server';
import { PROBLEM_TABS } from '@/lib/nav';

export default async function ProblemsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <NavList items={await visibleNav(PROBLEM_TABS)} label="Problems" variant="tabs" />
      <Providers>{children}</Providers>
    </>
  );
}
