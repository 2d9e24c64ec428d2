import type { ReactNode } from 'react';
import { NavList } from '@/components/nav-list';
import { Providers } from '@/components/providers';
import { ADMIN_TABS } from '@/lib/nav';

export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <NavList items={ADMIN_TABS} label="Administration" variant="tabs" />
      <Providers>{children}</Providers>
    </>
  );
}
