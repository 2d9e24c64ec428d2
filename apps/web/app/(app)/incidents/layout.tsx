import type { ReactNode } from 'react';
import { NavList } from '@/components/nav-list';
import { Providers } from '@/components/providers';
import { visibleNav } from '@/lib/server';
import { INCIDENT_TABS } from '@/lib/nav';

export default async function IncidentsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <NavList items={await visibleNav(INCIDENT_TABS)} label="Incidents" variant="tabs" />
      <Providers>{children}</Providers>
    </>
  );
}
