import type { ReactNode } from 'react';
import { NavList } from '@/components/nav-list';
import { Providers } from '../providers';
import { PROBLEM_TABS } from '@/lib/nav';

export default function ProblemsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <NavList items={PROBLEM_TABS} label="Problems" variant="tabs" />
      <Providers>{children}</Providers>
    </>
  );
}
