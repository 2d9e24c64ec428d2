import type { ReactNode } from 'react';
import { NavList } from '@/components/nav-list';
import { DASHBOARD_TABS } from '@/lib/nav';

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <NavList items={DASHBOARD_TABS} label="Dashboard" variant="tabs" />
      {children}
    </>
  );
}
