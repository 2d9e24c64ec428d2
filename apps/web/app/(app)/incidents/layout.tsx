import type { ReactNode } from 'react';
import { NavList } from '@/components/nav-list';
import { Providers } from '../providers';
import { INCIDENT_TABS } from '@/lib/nav';

export default function IncidentsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <NavList items={INCIDENT_TABS} label="Incidents" variant="tabs" />
      <Providers>{children}</Providers>
    </>
  );
}
