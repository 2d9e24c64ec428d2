import type { ReactNode } from 'react';
import { NavList } from '@/components/nav-list';
import { Providers } from '@/components/providers';
import { ADMIN_TABS } from '@/lib/nav';
import { visibleNav } from '@/lib/server';

export default async function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <NavList items={await visibleNav(ADMIN_TABS)} label="Administration" variant="tabs" />
      <Providers>{children}</Providers>
    </>
  );
}
