import type { ReactNode } from 'react';
import { NavList } from '@/components/nav-list';
import { Providers } from '@/components/providers';
import { REVIEW_TABS } from '@/lib/nav';

export default function ReviewsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <NavList items={REVIEW_TABS} label="Reviews" variant="tabs" />
      <Providers>{children}</Providers>
    </>
  );
}
