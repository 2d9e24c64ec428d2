import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';

// Apollo Client for the boost review's buttons (approve, dismiss, revoke), which render only when
// there are suggestions or boosts: a page without them never showed that it was missing.
export default function Layout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
